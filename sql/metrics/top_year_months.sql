-- The ten months (of a given year) with the highest sales, added up in whole pence.
WITH by_year_month AS (
    SELECT d.year,
           d.month,
           sum(o.product_quantity * round(p.product_price * 100)::bigint) AS pence
    FROM star.orders_table AS o
    JOIN star.dim_date_times AS d USING (date_uuid)
    JOIN star.dim_products AS p USING (product_code)
    GROUP BY d.year, d.month
)
SELECT year,
       month,
       round(pence / 100, 2)::float8 AS total_sales
FROM by_year_month
ORDER BY pence DESC, year, month
LIMIT 10;
