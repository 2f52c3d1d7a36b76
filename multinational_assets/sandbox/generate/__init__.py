"""The sandbox's deterministic world generator and its ground truth.

`generate_world(seed, scale, out_dir)` writes the six sources exactly as docs/architecture.md
("Sandbox world on disk") and /work/shared/source-world.md describe them, plus the truth: the clean
tables, the rows a correct cleaner rejects and the answers to the nine business questions.

How it works: every table is first generated *clean* (the truth), then dirtied into its source form
(odd date formats, `GGB`, `@@`, `?` card prefixes, swapped coordinates, ...), and the unrecoverable
NULL and garbage rows are mixed in. The truth is therefore never derived by cleaning the dirty output.

Determinism: one `np.random.default_rng(seed)` is split (`spawn`) into one stream per source, so
one seed gives byte-identical files (the PDF too, written with reportlab's `invariant=1`), and
changing how one source is drawn does not reshuffle the others. Nothing iterates over a Python `set`
(its order changes between processes).

Scale: every count of source-world.md (scale 1) is multiplied by `scale` and rounded half up, with
at least 1 where the scale-1 count is non-zero (`scaled`). Splits (countries, providers, categories,
weight forms, ...) are scaled part by part and then fitted to their table's total (`fit_split`), so
at scale 1 every figure is exact. Two choices the brief leaves open:

* the web store stays exactly **one** store at every scale (a business has one website), and
* the top-7 locality counts scale like any count; below about scale 0.2 they round to equal values,
  so the top 7 is only unambiguous (8th strictly fewer than 7th) from there up.

The smallest supported scale is 0.02 (below it the seven top localities no longer fit in the
scaled store counts).

Value formats chosen here (documented for the servers and the cleaners):

* stores API objects: `index` is a JSON int; every other value is a JSON string (numbers too, as
  the original API sends them) or JSON null (`lat` on physical stores, `latitude` on the web store);
  coordinates have 5 decimals; `staff_numbers` is a string of digits.
* date details: `time_period` follows the hour: Morning 05:00-10:59, Midday 11:00-16:59,
  Evening 17:00-21:59, Late_Hours 22:00-04:59.
* odd date formats: `1971/10/23`, `January 1951 27`, `1968 October 16` (day always two digits).
* truth weights: grams / 1000 computed in float64 (`400g` -> 400 / 1000, `12 x 100g` ->
  12 * 100 / 1000, `16oz` -> 16 * 28.349523125 / 1000); compare weights with a tolerance.

Dialects (`generate_world(..., dialect=N)`, `multinational sandbox up --dialect N`): the same world
spelled by other people and programs. The truth (truth/<table>.csv, truth/answers) and every count
are those of dialect 0, byte for byte; only the raw text of the six sources changes (the decoy
table is never respelled), and truth/quarantine holds the rejected rows as the dialect spelled
them. Every respelled value means exactly its dialect-0 value. `sandbox/dialects/` respells the
finished dialect-0 raw rows with its own random stream (`default_rng([seed, dialect])`), so dialect
0 draws nothing extra and its files are unchanged; its docstring has the full table.

* 0 -- source-world.md: the spellings above.
* 1 -- "spreadsheet export": upper-case vocabularies (`SUPER STORE`, `TOYS-AND-GAMES`, `LATE_HOURS`,
  `UK`, `USA`), upper-case and braced UUIDs, ISO date-times (`1971-10-23 00:00:00`), slashes
  (`1971/10/23`, `23/10/1971` only when the day is over 12), `23-Oct-1971`, 12-hour times
  (`9:05:06 PM`), `.0` and zero-padded counts (`34.0`, `09`, `Sep`, `2015.0`), prices with currency
  codes (`39.99 GBP`, `GBP 39.99`, `39.99`), upper-case weight units (`1.6 KG`, `12 X 100 G`,
  `1 LB`), card numbers with `.0` or in groups of four, `MM/YYYY` expiries, JSON-number
  coordinates, CRLF line breaks in addresses, trailing spaces, `#N/A`/`NaN`/`NULL`/empty/null for
  missing values, mixed-case garbage.
* 2 -- "hand-typed": lower-case vocabularies (`super_store`, `toys and games`, `late hours`,
  `Great Britain`, `Deutschland`, `United States of America`), UUIDs without hyphens, with
  `urn:uuid:` or in braces, spelled-out dates (`23 October 1971`, `Oct 23, 1971`,
  `October 23rd 1971`, `1971 Oct 23`, `1971-1-3`), hours without a leading zero (`9:05:06`),
  month names (`September`, `Sep`), `£ 39.99` and `39.99£`, weights in words or other units
  (`400 grams`, `1.6 kilograms`, `0.4 kg`, `1600 g`, `0.5 l`, `3500 mg`, `1 lb`, `12x100g`,
  `12 × 100g`), card numbers grouped by hyphens or spaces, `M/YY` and `MM-YY` expiries, trailing
  zeros on coordinates, padding with spaces, tabs and NBSPs, doubled spaces or NBSPs inside free
  text, `n/a`/`None`/`null`/`nan` for missing values, lower-case garbage with symbols.

Modules: `world` (the entry points: `build_tables` in memory, `generate_world` to disk), `counts`
(every figure at a scale), one module per source table (`stores`, `products`, `users_and_cards`,
`dates`, `orders`, `decoy`) built from `draws` (random values), `addresses` and `tables` (a source's
truth, raw rows and quarantine), `columns` (the contracts' column lists) and `writers` (the file
formats). The word lists are `sandbox.vocabulary`, the PDF `sandbox.pdf`, the answers `sandbox.truth`,
the respelling `sandbox.dialects`.
"""

from __future__ import annotations

from multinational_assets.sandbox.generate.counts import MIN_SCALE, SCALE1, fit_split, plan_counts, scaled
from multinational_assets.sandbox.generate.tables import SourceTable
from multinational_assets.sandbox.generate.world import build_tables, generate_world

__all__ = [
    "MIN_SCALE",
    "SCALE1",
    "SourceTable",
    "build_tables",
    "fit_split",
    "generate_world",
    "plan_counts",
    "scaled",
]
