-- Up to 10 inferred members of one dimension with the number of sales naming each (most first), and
-- how many inferred members there are: what the build's report shows as examples.
SELECT d.{key}::text AS key_value, count(o.{column}) AS n_rows, count(*) OVER () AS n_values
FROM {staging}.{dimension} AS d
JOIN {staging}.{table} AS o ON o.{column} = d.{key}
WHERE d.is_inferred
GROUP BY d.{key}
ORDER BY n_rows DESC, key_value
LIMIT 10;
