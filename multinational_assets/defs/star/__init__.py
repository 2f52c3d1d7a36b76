"""The star schema: one asset per table, built together and swapped in as a whole."""
