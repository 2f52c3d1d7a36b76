-- Late-arriving dimension rows: every key the sales name that the dimension does not have becomes
-- an inferred member (the key alone, every attribute NULL, is_inferred true). The next build, once
-- the real row has arrived, has the real row instead.
INSERT INTO {staging}.{dimension} ({key}, is_inferred)
SELECT DISTINCT o.{column}, TRUE
FROM {staging}.{table} AS o
WHERE o.{column} IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM {staging}.{dimension} AS d WHERE d.{key} = o.{column});
