"""The raw layer: each source copied as it is."""
