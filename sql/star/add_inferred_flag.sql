-- Every dimension row says whether it is real or inferred: a key that sales name but whose own row
-- has not arrived (a late-arriving dimension). Real rows are loaded with false.
ALTER TABLE {staging}.{table} ADD COLUMN is_inferred BOOL NOT NULL DEFAULT false;
