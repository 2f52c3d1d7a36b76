"""multinational_assets: a retailer's six dirty sales sources turned into one Postgres star schema.

Importing the package does no I/O; `multinational_assets.definitions.defs` is the Dagster entry point.
"""
