-- Copy one clean table into its typed star table, casting each clean column to the star
-- column's type (text columns are passed as text, so an over-long value is an error rather than
-- being silently cut to the VARCHAR width).
INSERT INTO {staging}.{table} ({columns})
SELECT {values}
FROM {source}.{table};
