-- The length of the longest value of each text column of one clean table, so that each VARCHAR of
-- the star is sized to the data. Each measure is at least 1: VARCHAR(0) does not exist, and an
-- empty or all-null column still needs a width.
SELECT {widths}
FROM {source}.{table};
