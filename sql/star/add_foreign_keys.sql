-- Every order points at one row of each dimension.
ALTER TABLE {staging}.orders_table
    ADD CONSTRAINT orders_table_date_uuid_fkey    FOREIGN KEY (date_uuid)    REFERENCES {staging}.dim_date_times (date_uuid),
    ADD CONSTRAINT orders_table_user_uuid_fkey    FOREIGN KEY (user_uuid)    REFERENCES {staging}.dim_users (user_uuid),
    ADD CONSTRAINT orders_table_card_number_fkey  FOREIGN KEY (card_number)  REFERENCES {staging}.dim_card_details (card_number),
    ADD CONSTRAINT orders_table_store_code_fkey   FOREIGN KEY (store_code)   REFERENCES {staging}.dim_store_details (store_code),
    ADD CONSTRAINT orders_table_product_code_fkey FOREIGN KEY (product_code) REFERENCES {staging}.dim_products (product_code);
