-- The number of rows of one star table, for the build report.
SELECT count(*) FROM {schema}.{table};
