-- The customer dimension: one row per customer, keyed by user_uuid.
CREATE TABLE {staging}.dim_users (
    user_uuid      UUID NOT NULL,
    first_name     VARCHAR({width_first_name}),
    last_name      VARCHAR({width_last_name}),
    date_of_birth  DATE,
    company        VARCHAR({width_company}),
    email_address  VARCHAR({width_email_address}),
    address        VARCHAR({width_address}),
    country        VARCHAR({width_country}),
    country_code   VARCHAR({width_country_code}),
    phone_number   VARCHAR({width_phone_number}),
    join_date      DATE
);
