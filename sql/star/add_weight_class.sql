-- weight_class is derived from the weight in kg (Light < 2, Mid_Sized < 40, Heavy < 140,
-- Truck_Required from 140), as a generated column so the rule lives with the table and can never
-- disagree with the weight. Its width is that of the longest label, 'Truck_Required' (14).
ALTER TABLE {staging}.dim_products ADD COLUMN weight_class VARCHAR(14) GENERATED ALWAYS AS (
    CASE
        WHEN weight < 2 THEN 'Light'
        WHEN weight < 40 THEN 'Mid_Sized'
        WHEN weight < 140 THEN 'Heavy'
        WHEN weight >= 140 THEN 'Truck_Required'
    END
) STORED;
