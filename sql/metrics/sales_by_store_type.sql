-- Sales per store type (the web store included), with each type's share of all sales. Totals are
-- added up in whole pence; the share is computed from the exact totals, then both are rounded.
WITH by_type AS (
    SELECT s.store_type,
           sum(o.product_quantity * round(p.product_price * 100)::bigint) AS pence
    FROM star.orders_table AS o
    JOIN star.dim_store_details AS s USING (store_code)
    JOIN star.dim_products AS p USING (product_code)
    GROUP BY s.store_type
)
SELECT store_type,
       round(pence / 100, 2)::float8 AS total_sales,
       round(100 * pence / sum(pence) OVER (), 2)::float8 AS percentage_total
FROM by_type
ORDER BY pence DESC, store_type COLLATE "C";
