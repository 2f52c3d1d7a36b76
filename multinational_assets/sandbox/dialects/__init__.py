"""Dialects: the same world, spelled by other people and programs.

`generate.generate_world(..., dialect=N)` first builds every table exactly as dialect 0 does (the
truth and the dialect-0 raw text), then, for N > 0, `respell` rewrites the raw text of the six
sources column by column. Every respelled value means exactly what the dialect-0 value means, so
the truth, the counts and the answers do not change; only spellings do. The rows keep their order.

Randomness: dialect 0 never gets here, so it draws nothing and stays byte-identical. Dialect N uses
its own `np.random.default_rng([seed, N])`, spawned into one stream per source, so the same (seed,
scale, dialect) gives the same bytes and the world's own draws are never disturbed.

This package knows only the generator's own dialect-0 formats (it parses the text it is given,
which the generator wrote); it never imports the pipeline's cleaning code.

The spellings each dialect writes (rough shares of the valid values; "keep" = the dialect-0
spelling; `forms.choose_forms` also gives every spelling of a column, or of a kind of dirt, to at
least one value where there are values enough, so a small world still shows each of them):

================  ==========================================  ==========================================
column(s)         1 = spreadsheet export                      2 = hand-typed
================  ==========================================  ==========================================
any text value    5% trailing `" "`, `"  "` or `"   "`          12% leading/trailing space, tab or NBSP
 (not the PDF)
names, company,   5%: every space an NBSP; addresses: CRLF    12%: every space doubled or an NBSP;
 address,           line breaks 60%                             addresses: a space before each line
 locality,                                                      break 15%
 product_name
missing values    `#N/A`, `NULL`, ``, null, `NaN` per field   `n/a`, `N/A`, `None`, `null`, ``, null,
 (NULL rows, web    (PDF: no null)                              `nan`, `NULL` per field (PDF: no null)
 store's N/A)
garbage rows      8-14 of [A-Za-z0-9], >= 2 letters, a digit  8-14 of [a-z0-9#$%&*+=?!^~_], >= 2 letters
UUIDs             keep 40, `UPPER` 40, `{UPPER}` 20           keep 42, 32 hex 21, `urn:uuid:` 16,
                                                                `UPPER` 10.5, `{lower}` 10.5
store_code        30% trailing spaces (API and orders)        40% lower-case, 10% padded
product_code      15% trailing spaces                         15% padded
dates             keep 10, `1971-10-23 00:00:00` 30,          keep 20, `23 October 1971` 20,
                    `1971-10-23T00:00:00` 10, `1971/10/23` 20,  `Oct 23, 1971` 15, `October 23rd 1971` 10,
                    `23-Oct-1971` 15, `23/10/1971` 10,          `1971 Oct 23` 10, `23 Oct 1971` 5,
                    `10/23/1971` 5 (numeric day/month order     `1971-1-3` 15, `23/10/1971` 5 (only when
                    only when day > 12, else `1971/10/23`)      day > 12, else `23 October 1971`)
timestamp         keep 50, `9:05:06 PM` 40, `09:05:06 PM` 10  keep 30, `9:05:06` 60, `9:05:06 PM` 10
month             keep 35, `09` 30, `9.0` 20, `Sep` 15        keep 50, `September` 20, `Sep` 20, `09` 10
year, day         year keep 70, `2015.0` 25, `2,015` 5;       year keep; day keep 80, `07` 20
                    day keep 50, `07` 30, `7.0` 20
store_type        keep 35, `SUPER STORE` 50, `SUPER_STORE`    keep 20, `super store` 40, `super_store` 10,
                    10, `Superstore` 5 (only Super Store)       `Super-Store` 10, `SuperStore` 10,
                                                                `Superstore` 10 (only Super Store)
category          keep 30, `TOYS-AND-GAMES` 50,               keep 30, `toys and games` 30,
                    `TOYS_AND_GAMES` 10, `Toys And Games` 10    `Toys-And-Games` 20, `ToysAndGames` 10,
                                                                `toys_and_games` 10
card_provider     keep 30, `VISA 16 DIGIT` 50,                keep 40, `visa 16 digit` 40,
                    `Visa 16 Digit` 15, `Diners Club/Carte      `visa_16_digit` 10, `Diners Club/Carte
                    Blanche` 5 (only Diners)                    Blanche` 10 (only Diners)
time_period       keep 30, `LATE_HOURS` 50, `LATE HOURS` 10,  keep 30, `late hours` 40, `late_hours` 10,
                    `Late Hours` 10                             `LateHours` 10, `Late-Hours` 10
continent         keep 50, `EUROPE` 50; `ee` dirt: thirds     keep 60, `europe` 40; `ee` dirt: quarters
                    keep, `eeEUROPE`, `Europe.`                 keep, `xEurope`, `_Europe_`, `europe.`
country           keep 30, `UNITED KINGDOM` 40, synonyms 30   keep 40, `united kingdom` 20, synonyms 40
                    (`UK`, `Great Britain`, `USA`, `United      (`Great Britain`, `UK`, `United States of
                    States of America`, `GERMANY`)              America`, `USA`, `Deutschland`)
country_code      padding only; `GGB` dirt: thirds keep,      keep 70, `gb` 30; `GGB` dirt: quarters
                    `GBR`, `GB.`                                keep, `gGB`, `GB.`, `ggb`
removed           `Still_avaliable` 40 / `Still Available` 60;  `Still_avaliable` 40 / `still_available` 30
                    `Removed` 40 / `REMOVED` 60                 / `available` 30; `Removed` 40 / `removed` 60
staff_numbers     keep 60, `34.0` 40; letter dirt: keep 25,   keep 75, `034` 25; letter dirt: keep 25,
                    letter case swapped 50, letter moved 25     moved 25, a second letter 50 (3+ digits;
                    (2+ digits)                                 never more letters than digits - 1)
product_price     keep 30, `39.99 GBP` 30, `GBP 39.99` 15,    keep 40, `£ 39.99` 25, `39.99£` 15,
                    `39.99` 25                                  `39.99` 20
weight            per shape: keep 35, `1.6KG`/`400G`/`500ML`  kg: keep 25, `1.6 kg` 25, `1.6 kilograms` 10,
                    35, `1.6 KG`/`400 G`/`500 ML` 30;           `1.6kgs` 10, `1600 g` 30; g: keep 25,
                    `12 X 100G`, `12 X 100 G`; `77G .`,         `400 g` 25, `400 grams` 10, `400grams` 10,
                    `77 G .`; `16oz` -> `1 LB` (halves)         `0.4 kg` 15, `0.4kg` 15; `3.5g`: `3.5 g`,
                                                                `3.5 grams`, `3500 mg`; ml: `500 ml`,
                                                                `0.5 l`, `0.5l`; `12x100g`, `12 × 100g`,
                                                                `12 x 100 g`; `77 g.`, `77g ..`; `16oz` ->
                                                                `1 lb`, `1lb`, `1 lbs`
card_number       keep 50, `4111111111111111.0` 30,           keep 50, `4111-1111-1111-1111` 30,
 (PDF)              `4111 1111 1111 1111` 20; `?` dirt: digits  `4111 1111 1111 1111` 20; `?` dirt: digits
                    kept or spaced, prefix `#`, `##`, `*`,      kept, hyphened or spaced, prefix `'`, `*`,
                    `??` or `?`                                 `??`, `#` or `?`
expiry_date       keep 60, `05/2024` 40                       keep 40, `5/24` 30, `05-24` 30
 (PDF)
coordinates       keep 30, JSON number 70                     keep 60, 1-3 more trailing zeros 40
 (API)
lat (physical)    null                                        30% a missing token
email_address     keep 90, `mailto:` 10; `@@` dirt: halves    padding; `@@` dirt: thirds keep, ` @@ `,
                    keep, `@@@`                                 `@@@`
phone, EAN        padding only                                padding only
================  ==========================================  ==========================================

Not respelled in any dialect: BIGINT columns of the legacy tables (index, level_0, card_number,
product_quantity, and the null `1`), row labels, EAN digits (padding only), phone numbers
(padding only), the decoy table `legacy_store_details`, and nothing in the PDF is padded (PDF
text is printable ASCII, and a ruled cell has no visible padding). The PDF's layout changes instead
(`PDF_LAYOUT`): dialect 1 writes it as a spreadsheet export (narrow ruled columns, a bold header,
numbers and dates right-aligned, text row by row), dialects 0 and 2 as a report (wide columns,
left-aligned, text column by column).

Modules: `spellings` (the table above as data: each dialect's forms and their weights), `forms` (the
machinery every family shares: drawing a form per value, padding, free text, missing tokens, junk),
one module per family of values (`identifiers`, `dates`, `vocabularies`, `amounts`), and `sources`
(which family spells which column of each source; `respell`).
"""

from __future__ import annotations

from multinational_assets.sandbox.dialects.sources import SOURCES, respell
from multinational_assets.sandbox.dialects.spellings import DIALECT_NAMES, DIALECTS, PDF_LAYOUT

__all__ = ["DIALECTS", "DIALECT_NAMES", "PDF_LAYOUT", "SOURCES", "respell"]
