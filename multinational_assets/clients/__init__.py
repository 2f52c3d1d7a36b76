"""Clients of the services the sources live in, as plain Python (no Dagster): the legacy database,
the S3 bucket, the stores REST API and the PDF table reader. The Dagster resources that configure
them from the environment are in `multinational_assets.defs.resources`."""


class SourceUnavailable(RuntimeError):
    """A source could not be read; the message names the source and the cause."""
