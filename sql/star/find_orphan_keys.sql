-- Up to 10 values of one order column that have no row in the dimension it points at, with the
-- number of orders using each and the number of such values: a foreign key cannot be added while
-- any exist. (The clean layer's reference checks run it on schema clean.)
SELECT o.{column}::text AS key_value, count(*) AS n_orders, count(*) OVER () AS n_values
FROM {staging}.orders_table AS o
WHERE NOT EXISTS (
    SELECT 1 FROM {staging}.{dimension} AS d WHERE d.{key} = o.{column}
)
GROUP BY o.{column}
ORDER BY n_orders DESC, key_value
LIMIT 10;
