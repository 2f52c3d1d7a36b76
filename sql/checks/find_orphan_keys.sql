-- Up to 10 values of one referencing column that name no row of the dimension it points at, with
-- the number of rows using each and the number of such values (the clean layer's reference checks
-- and the star build both ask it).
SELECT o.{column}::text AS key_value, count(*) AS n_rows, count(*) OVER () AS n_values
FROM {schema}.{table} AS o
WHERE o.{column} IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM {schema}.{dimension} AS d WHERE d.{key} = o.{column})
GROUP BY o.{column}
ORDER BY n_rows DESC, key_value
LIMIT 10;
