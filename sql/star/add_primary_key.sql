-- A dimension's primary key: the column every sale points at.
ALTER TABLE {staging}.{table} ADD CONSTRAINT {constraint} PRIMARY KEY ({key});
