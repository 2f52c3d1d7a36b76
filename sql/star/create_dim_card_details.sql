-- The payment-card dimension: one row per card, keyed by card_number (digits kept as text, so
-- leading zeros and 19-digit numbers survive).
CREATE TABLE {staging}.dim_card_details (
    card_number             VARCHAR({width_card_number}) NOT NULL,
    expiry_date             VARCHAR({width_expiry_date}),
    card_provider           VARCHAR({width_card_provider}),
    date_payment_confirmed  DATE
);
