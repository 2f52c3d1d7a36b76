-- A sale's column points at one row of its dimension.
ALTER TABLE {staging}.{table} ADD CONSTRAINT {constraint} FOREIGN KEY ({column}) REFERENCES {staging}.{dimension} ({key});
