-- How many rows of one referencing table name a key its dimension does not have, and how many have
-- no value at all in that column (a value that could not be read is null). An anti-join: the
-- dimension's key is unique, so the join adds no rows.
SELECT count(*) FILTER (WHERE o.{column} IS NOT NULL AND d.{key} IS NULL) AS orphan_rows,
       count(*) FILTER (WHERE o.{column} IS NULL) AS rows_without_value
FROM {schema}.{table} AS o
LEFT JOIN {schema}.{dimension} AS d ON d.{key} = o.{column};
