-- One primary key per dimension: the column every order points at.
ALTER TABLE {staging}.dim_users         ADD CONSTRAINT dim_users_pkey         PRIMARY KEY (user_uuid);
ALTER TABLE {staging}.dim_card_details  ADD CONSTRAINT dim_card_details_pkey  PRIMARY KEY (card_number);
ALTER TABLE {staging}.dim_store_details ADD CONSTRAINT dim_store_details_pkey PRIMARY KEY (store_code);
ALTER TABLE {staging}.dim_products      ADD CONSTRAINT dim_products_pkey      PRIMARY KEY (product_code);
ALTER TABLE {staging}.dim_date_times    ADD CONSTRAINT dim_date_times_pkey    PRIMARY KEY (date_uuid);
