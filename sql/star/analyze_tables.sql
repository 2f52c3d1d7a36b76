-- Fresh planner statistics for the tables the metric queries read, so the queries that run right
-- after the build plan well. The customer and card tables are left to autovacuum: no metric reads
-- them, and analysing them would add about a third to the build.
ANALYZE {staging}.orders_table, {staging}.dim_date_times, {staging}.dim_products,
        {staging}.dim_store_details;
