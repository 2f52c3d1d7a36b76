-- The seven localities with the most stores; ties are broken alphabetically (by code point, so the
-- order does not depend on the server's locale). The web store has no locality.
SELECT locality,
       count(*) AS total_no_stores
FROM star.dim_store_details
WHERE locality IS NOT NULL
GROUP BY locality
ORDER BY total_no_stores DESC, locality COLLATE "C"
LIMIT 7;
