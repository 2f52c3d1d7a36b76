"""The sources as Dagster sees them: external assets upstream of the raw layer, and the S3 sensor."""
