-- Staff headcount per country. The web store's staff are counted in GB, where the clean store
-- table already places it.
SELECT country_code,
       sum(staff_numbers) AS total_staff_numbers
FROM star.dim_store_details
GROUP BY country_code
ORDER BY total_staff_numbers DESC, country_code COLLATE "C";
