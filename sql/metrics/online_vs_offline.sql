-- Sales made through the web store against sales made in physical stores: how many sales and how
-- many items.
WITH sales AS (
    SELECT CASE WHEN s.store_type = 'Web Portal' THEN 'Web' ELSE 'Offline' END AS location,
           o.product_quantity
    FROM star.orders_table AS o
    JOIN star.dim_store_details AS s USING (store_code)
)
SELECT location,
       count(*) AS number_of_sales,
       sum(product_quantity) AS product_quantity_count
FROM sales
GROUP BY location
ORDER BY location = 'Web' DESC;
