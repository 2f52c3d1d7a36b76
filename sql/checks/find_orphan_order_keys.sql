-- Up to 10 values of one orders column with no row in the dimension it points at, with the number of
-- such values in all.
SELECT o.{column}::text AS key_value, count(*) AS n_orders, count(*) OVER () AS n_values
FROM {orders} AS o
WHERE o.{column} IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM {dimension} AS d WHERE d.{column} = o.{column})
GROUP BY o.{column}
ORDER BY n_orders DESC, key_value
LIMIT 10;
