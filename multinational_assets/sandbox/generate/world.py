"""The generator's entry points: `build_tables` (the whole world in memory, respelled in a dialect)
and `generate_world` (the world written to disk, with its truth, answers and manifest)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from multinational_assets.sandbox import dialects as dialects_module
from multinational_assets.sandbox import truth as truth_module
from multinational_assets.sandbox.generate.columns import (
    CLEAN_COLUMNS,
    CLEAN_KEYS,
    ORDERS_RAW,
    RAW_COLUMNS_OF_CLEAN,
    STORES_RAW,
    USERS_RAW,
)
from multinational_assets.sandbox.generate.counts import MIN_SCALE, plan_counts
from multinational_assets.sandbox.generate.dates import make_dates
from multinational_assets.sandbox.generate.decoy import make_decoy
from multinational_assets.sandbox.generate.orders import make_orders
from multinational_assets.sandbox.generate.products import make_products
from multinational_assets.sandbox.generate.stores import make_stores
from multinational_assets.sandbox.generate.tables import SourceTable
from multinational_assets.sandbox.generate.users_and_cards import make_users_and_cards
from multinational_assets.sandbox.generate.writers import (
    products_csv_text,
    stores_json_text,
    write_copy_csv,
    write_date_details_json,
    write_text,
    write_truth_csv,
)
from multinational_assets.sandbox.pdf import HEADER as PDF_HEADER
from multinational_assets.sandbox.pdf import write_card_details_pdf

# One random stream per source, spawned in this order from the seed.
_STREAMS = ("stores", "products", "users", "cards", "dates", "orders", "decoy")


_DIALECT_SOURCES = {"users": "dim_users", "orders": "orders_table", "cards": "dim_card_details",
                    "stores": "dim_store_details", "products": "dim_products",
                    "dates": "dim_date_times"}


def _respell(tables: dict[str, SourceTable], seed: int, dialect: int) -> None:
    """Replace each table's raw rows by their `dialect` spelling and re-slice its quarantine."""
    raws = {source: tables[name].raw for source, name in _DIALECT_SOURCES.items()}
    dirty = {source: tables[name].extra["dirty"] for source, name in _DIALECT_SOURCES.items()}
    respelled = dialects_module.respell(raws, dirty, seed, dialect)
    for source, name in _DIALECT_SOURCES.items():
        table = tables[name]
        table.raw = respelled[source]
        quarantine = table.raw[table.extra["dirty"]]
        if "quarantine_order" in table.extra:
            quarantine = quarantine.sort_values(table.extra["quarantine_order"])
        table.quarantine = quarantine.reset_index(drop=True)


def _sorted_by_key(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    # numpy's sort of fixed-width text is several times faster than pandas' sort of objects.
    order = np.argsort(frame[key].to_numpy().astype(str), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def build_tables(seed: int, scale: int | float, *, dialect: int = 0,
                 progress: Callable[[str], None] | None = None
                 ) -> tuple[dict, dict[str, SourceTable], pd.DataFrame]:
    """Everything `generate_world` writes, in memory: the plan (counts), the six tables by clean
    table name (truth, raw rows spelled in `dialect`, quarantine) and the decoy table."""
    if not scale >= MIN_SCALE:
        raise ValueError(f"scale must be at least {MIN_SCALE}, got {scale}")
    if dialect not in dialects_module.DIALECTS:
        raise ValueError(f"dialect must be one of {dialects_module.DIALECTS}, got {dialect!r}")
    say = progress or (lambda message: None)
    plan = plan_counts(scale)
    plan["scale"] = scale
    streams = dict(zip(_STREAMS, np.random.default_rng(seed).spawn(len(_STREAMS))))

    say("generating stores and products")
    stores = make_stores(streams["stores"], plan)
    products = make_products(streams["products"], plan)
    say(f"generating {plan['legacy_users']['valid']:,} users and their cards")
    users, cards = make_users_and_cards(streams["users"], streams["cards"], plan)
    say(f"generating {plan['orders_table']['valid']:,} date details and orders")
    dates = make_dates(streams["dates"], plan)
    orders = make_orders(streams["orders"], plan, users, cards, stores, products, dates)
    decoy = make_decoy(streams["decoy"], plan, stores)
    tables = {"dim_users": users, "dim_card_details": cards, "dim_store_details": stores,
              "dim_products": products, "dim_date_times": dates, "orders_table": orders}
    if dialect:
        say(f"respelling the sources in dialect {dialect} "
            f"({dialects_module.DIALECT_NAMES[dialect]})")
        _respell(tables, seed, dialect)
    return plan, tables, decoy


def generate_world(seed: int, scale: int | float = 1, out_dir: Path | str = Path("world"),
                   progress: Callable[[str], None] | None = None, *, dialect: int = 0) -> dict:
    """Generate the sandbox world for `seed` at `scale` into `out_dir`; return the manifest.

    Writes exactly the layout of docs/architecture.md ("Sandbox world on disk"): manifest.json,
    legacy/*.csv, s3/products.csv, s3/card_details.pdf, s3/date_details.json, api/stores.json,
    truth/<table>.csv, truth/quarantine/<table>.csv and truth/answers/<metric>.csv. Files of an
    earlier world in `out_dir` are overwritten. `progress`, if given, receives short messages.
    Same seed, scale and dialect, same bytes. The manifest is `{"seed", "scale", "counts"}`, counts
    by source (`rows`, `valid`, `null`, `garbage`, splits and dirt counts), plus `"dialect"` when it
    is not 0 (so a dialect-0 manifest is byte for byte what it always was). `dialect` (see the
    package docstring) changes only the spellings of the raw sources: the truth, the answers and
    every count stay those of dialect 0; truth/quarantine holds the rejected rows as spelled.
    """
    say = progress or (lambda message: None)
    out = Path(out_dir)
    plan, tables, decoy = build_tables(seed, scale, dialect=dialect, progress=say)
    users, cards, stores, products, dates, orders = (tables[name] for name in (
        "dim_users", "dim_card_details", "dim_store_details", "dim_products", "dim_date_times",
        "orders_table"))

    say("writing the legacy database tables")
    write_copy_csv(out / "legacy" / "legacy_users.csv", USERS_RAW, ["number"] + ["text"] * 11,
                   users.raw)
    write_copy_csv(out / "legacy" / "orders_table.csv", ORDERS_RAW,
                   ["number", "number", "text", "text", "text", "text", "number", "text", "text",
                    "number", "number"], orders.raw)
    write_copy_csv(out / "legacy" / "legacy_store_details.csv", STORES_RAW,
                   ["number"] + ["text"] * 11, decoy)

    say("writing the S3 objects and the stores API")
    write_text(out / "s3" / "products.csv", products_csv_text(products.raw))
    write_date_details_json(out / "s3" / "date_details.json", dates.raw)
    write_text(out / "api" / "stores.json", stores_json_text(stores.raw))
    say(f"writing card_details.pdf ({plan['card_details']['pages']:,} pages)")
    pages = write_card_details_pdf(out / "s3" / "card_details.pdf",
                                   [cards.raw[c].tolist() for c in PDF_HEADER],
                                   layout=dialects_module.PDF_LAYOUT[dialect])
    if pages != plan["card_details"]["pages"]:
        raise RuntimeError(f"card_details.pdf has {pages} pages, expected "
                           f"{plan['card_details']['pages']}")

    say("writing the truth")
    clean = {}
    for name, table in tables.items():
        clean[name] = _sorted_by_key(table.clean[CLEAN_COLUMNS[name]], CLEAN_KEYS[name])
        write_truth_csv(out / "truth" / f"{name}.csv", clean[name])
        write_truth_csv(out / "truth" / "quarantine" / f"{name}.csv",
                        table.quarantine[RAW_COLUMNS_OF_CLEAN[name]])

    # The answers come from the truth tables just written, held in memory with the types
    # `truth.read_truth_tables` gives them (a test checks the two agree).
    say("computing the nine answers")
    for metric, frame in truth_module.compute_answers(clean).items():
        write_truth_csv(out / "truth" / "answers" / f"{metric}.csv", frame)

    counts = {key: value for key, value in plan.items() if key != "scale"}
    counts["legacy_store_details"] = {"rows": len(decoy)}
    manifest = {"seed": seed, "scale": scale, "counts": counts}
    if dialect:
        manifest = {"seed": seed, "scale": scale, "dialect": dialect, "counts": counts}
    write_text(out / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    say("done")
    return manifest
