"""The date details source: `date_details.json` in S3, cleaned into `dim_date_times`."""
