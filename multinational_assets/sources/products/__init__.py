"""The products source: `products.csv` in S3, cleaned into `dim_products`."""
