"""The column lists of the contracts (docs/architecture.md): each source's raw columns, each clean
table's columns and key."""

from __future__ import annotations

from multinational_assets.sandbox.pdf import HEADER as PDF_HEADER

USERS_RAW = ["index", "first_name", "last_name", "date_of_birth", "company", "email_address",
             "address", "country", "country_code", "phone_number", "join_date", "user_uuid"]
ORDERS_RAW = ["level_0", "index", "date_uuid", "first_name", "last_name", "user_uuid",
              "card_number", "store_code", "product_code", "1", "product_quantity"]
CARDS_RAW = ["page", *PDF_HEADER]
STORES_RAW = ["index", "address", "longitude", "lat", "locality", "store_code", "staff_numbers",
              "opening_date", "store_type", "latitude", "country_code", "continent"]
PRODUCTS_RAW = ["row_label", "product_name", "product_price", "weight", "category", "EAN",
                "date_added", "uuid", "removed", "product_code"]
DATES_RAW = ["row_label", "timestamp", "month", "year", "day", "time_period", "date_uuid"]

CLEAN_COLUMNS = {
    "dim_users": ["user_uuid", "first_name", "last_name", "date_of_birth", "company",
                  "email_address", "address", "country", "country_code", "phone_number",
                  "join_date"],
    "dim_card_details": ["card_number", "expiry_date", "card_provider", "date_payment_confirmed"],
    "dim_store_details": ["store_code", "store_type", "address", "locality", "longitude",
                          "latitude", "staff_numbers", "opening_date", "country_code", "continent"],
    "dim_products": ["product_code", "product_name", "product_price", "weight", "category", "ean",
                     "date_added", "uuid", "still_available"],
    "dim_date_times": ["date_uuid", "timestamp", "month", "year", "day", "time_period"],
    "orders_table": ["date_uuid", "user_uuid", "card_number", "store_code", "product_code",
                     "product_quantity"],
}
CLEAN_KEYS = {"dim_users": "user_uuid", "dim_card_details": "card_number",
              "dim_store_details": "store_code", "dim_products": "product_code",
              "dim_date_times": "date_uuid", "orders_table": "date_uuid"}
RAW_COLUMNS_OF_CLEAN = {"dim_users": USERS_RAW, "dim_card_details": CARDS_RAW,
                        "dim_store_details": STORES_RAW, "dim_products": PRODUCTS_RAW,
                        "dim_date_times": DATES_RAW, "orders_table": ORDERS_RAW}
