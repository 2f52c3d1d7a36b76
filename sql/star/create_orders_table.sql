-- The fact table: one row per sale, pointing at each dimension. Every key is required: a sale
-- without a customer, card, store, product or moment cannot be reported on.
CREATE TABLE {staging}.orders_table (
    date_uuid         UUID NOT NULL,
    user_uuid         UUID NOT NULL,
    card_number       VARCHAR({width_card_number}) NOT NULL,
    store_code        VARCHAR({width_store_code}) NOT NULL,
    product_code      VARCHAR({width_product_code}) NOT NULL,
    product_quantity  SMALLINT NOT NULL
);
