-- Up to 10 key values that occur more than once in one star table, with how often, and how many
-- such values there are: a primary key cannot be added while any exist.
SELECT {key}::text AS key_value, count(*) AS n_rows, count(*) OVER () AS n_values
FROM {staging}.{table}
GROUP BY {key}
HAVING count(*) > 1
ORDER BY n_rows DESC, key_value
LIMIT 10;
