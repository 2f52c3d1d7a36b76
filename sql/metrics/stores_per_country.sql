-- How many physical stores each country has (the web store is not a place and is left out).
SELECT country_code,
       count(*) AS total_no_stores
FROM star.dim_store_details
WHERE store_type IS DISTINCT FROM 'Web Portal'
GROUP BY country_code
ORDER BY total_no_stores DESC, country_code COLLATE "C";
