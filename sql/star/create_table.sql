-- One typed star table. Its columns, their types (UUID, DATE, TIME, SMALLINT, FLOAT, BOOL, VARCHAR
-- sized to the data) and which one is the required key come from the clean table's contract.
CREATE TABLE {staging}.{table} ({column_definitions});
