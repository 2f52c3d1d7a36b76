-- Sales per store type in Germany, lowest first, added up in whole pence.
WITH by_type AS (
    SELECT s.store_type,
           s.country_code,
           sum(o.product_quantity * round(p.product_price * 100)::bigint) AS pence
    FROM star.orders_table AS o
    JOIN star.dim_store_details AS s USING (store_code)
    JOIN star.dim_products AS p USING (product_code)
    WHERE s.country_code = 'DE'
    GROUP BY s.store_type, s.country_code
)
SELECT store_type,
       country_code,
       round(pence / 100, 2)::float8 AS total_sales
FROM by_type
ORDER BY pence, store_type COLLATE "C";
