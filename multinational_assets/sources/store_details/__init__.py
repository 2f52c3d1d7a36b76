"""The store details source: the stores API, cleaned into `dim_store_details`."""
