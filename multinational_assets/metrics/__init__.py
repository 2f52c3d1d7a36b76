"""The business questions, as plain Python (no Dagster): declared once (`registry`), answered by SQL
files against the star (`answers`), drawn where a picture says more (`charts`)."""
