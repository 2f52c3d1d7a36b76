"""Postgres plumbing shared by the warehouse and the legacy-database reader (plain, no Dagster)."""
