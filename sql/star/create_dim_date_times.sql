-- The sale-time dimension: one row per sale's moment, keyed by date_uuid. The time of day is a
-- TIME, so the time between sales can be computed without parsing text.
CREATE TABLE {staging}.dim_date_times (
    date_uuid    UUID NOT NULL,
    "timestamp"  TIME,
    month        SMALLINT,
    year         SMALLINT,
    day          SMALLINT,
    time_period  VARCHAR({width_time_period})
);
