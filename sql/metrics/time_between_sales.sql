-- Per year, how long on average the company waits from one sale to the next. Every sale is put in
-- order by its full date and time; its gap is the time since the sale before it (the very first
-- sale has none) and counts towards the year the sale was made in.
WITH sales AS (
    SELECT d.year,
           make_date(d.year, d.month, d.day) + d."timestamp" AS sold_at
    FROM star.orders_table AS o
    JOIN star.dim_date_times AS d USING (date_uuid)
),
gaps AS (
    SELECT year,
           extract(EPOCH FROM sold_at - lag(sold_at) OVER (ORDER BY sold_at)) AS gap_seconds
    FROM sales
),
per_year AS (
    SELECT year,
           round(avg(gap_seconds), 3) AS average_seconds
    FROM gaps
    WHERE gap_seconds IS NOT NULL
    GROUP BY year
),
in_ms AS (
    SELECT year, average_seconds, (average_seconds * 1000)::bigint AS ms
    FROM per_year
)
SELECT year,
       average_seconds::float8 AS average_seconds,
       format('hours: %s, minutes: %s, seconds: %s, milliseconds: %s',
              ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000) AS actual_time_taken
FROM in_ms
ORDER BY average_seconds DESC, year;
