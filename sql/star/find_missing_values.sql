-- Up to 10 rows of one clean table with no value in a column the star requires, with the total
-- count. Run only after a load failed, to name the rows in the error.
SELECT {key}::text AS key_value, count(*) OVER () AS n_rows
FROM {source}.{table}
WHERE {column} IS NULL
ORDER BY 1
LIMIT 10;
