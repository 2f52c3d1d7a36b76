"""The sandbox: local stand-ins for the six sources, a generated world to fill them, and its truth.

It is a separate part of the package: the pipeline's assets never import it (only the `multinational`
command starts it, through `control`), and it imports nothing of the package but
`multinational_assets.settings`, so the truth it writes is independent of the cleaning code it checks
(a test keeps it so).

The world (deterministic, from a seed, a scale and a dialect):
    generate/       `generate_world`: every source table, its dirt, the writers of the files
    dialects/       the same world spelled by other people and programs
    truth.py        the answers to the nine business questions, from the truth tables
    pdf.py          the card-details PDF writer
    vocabulary.py   the word lists the generator draws from

The servers (stand-ins for the real services; S3 and the stores API run as `python -m` processes):
    postgres.py     the embedded Postgres (legacy, warehouse and dagster databases)
    s3.py           the S3 server (moto) and its bucket
    stores_api/     the stores REST API, with fault injection

Running it:
    control/        up, down, status, env, faults, stage and unstage, as plain functions
    cli.py          `multinational sandbox ...`, the command-line face of `control`
"""
