-- Up to 10 rows of one clean table whose value does not fit the star column's type (a bad UUID,
-- a staff number beyond SMALLINT, ...), with the row's key and the total count. Run only after a
-- load failed, to name the rows in the error.
SELECT {key}::text AS key_value, {column}::text AS bad_value, count(*) OVER () AS n_rows
FROM {source}.{table}
WHERE {column} IS NOT NULL
  AND NOT pg_input_is_valid({column}::text, {type_name})
ORDER BY 1, 2
LIMIT 10;
