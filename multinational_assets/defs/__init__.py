"""Everything Dagster loads, one folder per layer of the data path:

    sources/  the six sources as external assets, and the sensor that watches the S3 files
    raw/      each source copied as it is
    clean/    each table cleaned, with its quarantine, rejected values and checks
    star/     the star schema, one asset per table
    metrics/  the nine answers

plus the resources (`resources.py`, `io_manager.py`) and the jobs and schedule (`automation.py`).
The logic these definitions run is plain Python outside this folder.
"""
