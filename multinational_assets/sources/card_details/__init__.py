"""The card details source: the `card_details.pdf` table, cleaned into `dim_card_details`."""
