-- The store dimension: one row per store, keyed by store_code. The web store is a row too; it has
-- no address, locality or coordinates.
CREATE TABLE {staging}.dim_store_details (
    store_code     VARCHAR({width_store_code}) NOT NULL,
    store_type     VARCHAR({width_store_type}),
    address        VARCHAR({width_address}),
    locality       VARCHAR({width_locality}),
    longitude      FLOAT,
    latitude       FLOAT,
    staff_numbers  SMALLINT,
    opening_date   DATE,
    country_code   VARCHAR({width_country_code}),
    continent      VARCHAR({width_continent})
);
