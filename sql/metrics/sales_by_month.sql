-- Sales (quantity x price) per month of the year, over all years, highest first. Added up in whole
-- pence (prices are pounds and pence), so the total is exact whatever order Postgres adds rows in.
WITH by_month AS (
    SELECT d.month,
           sum(o.product_quantity * round(p.product_price * 100)::bigint) AS pence
    FROM star.orders_table AS o
    JOIN star.dim_date_times AS d USING (date_uuid)
    JOIN star.dim_products AS p USING (product_code)
    GROUP BY d.month
)
SELECT month,
       round(pence / 100, 2)::float8 AS total_sales
FROM by_month
ORDER BY pence DESC, month;
