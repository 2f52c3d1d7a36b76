"""The Postgres warehouse, as plain functions (no Dagster): tables replaced atomically or by slices
and read back (`tables`), loads started early (`early_loads`), tables kept in memory for the next
step (`in_memory`). The Dagster side (the resource and the IO manager) is in `multinational_assets.defs`."""

from multinational_assets.warehouse.tables import read_slice, read_table, replace_slice, replace_table, table_comment

__all__ = ["read_slice", "read_table", "replace_slice", "replace_table", "table_comment"]
