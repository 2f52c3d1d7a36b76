"""Every source staged in spellings neither the generator nor its dialects write (a careful person
reads them without hesitation), then the whole pipeline: it succeeds, and every clean table and the
nine answers equal the ground truth, with nothing rejected or quarantined beyond the truth's rows.

The respellings are written here, by hand, from the generated world's files: they share nothing with
the generator's dialects or with the pipeline's parsers.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from psycopg import sql

from multinational_assets.cli.runs import run_pipeline
from multinational_assets.defs.resources import WarehouseResource
from multinational_assets.sandbox import control
from multinational_assets.sandbox.pdf import write_card_details_pdf
from multinational_assets.warehouse import read_table
from multinational_assets_tests.test_pipeline_against_truth import score_against_truth
from multinational_assets_tests.truth_compare import read_truth_csv

pytestmark = pytest.mark.slow

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def long_date(value: str) -> str:
    """`1971-10-23` as `23rd October 1971`; anything else as it is."""
    found = ISO.match(value or "")
    if not found:
        return value
    year, month, day = found.groups()
    return f"{ordinal(int(day))} {MONTHS[int(month) - 1]} {year}"


def dotted_date(value: str) -> str:
    return value.replace("-", ".") if ISO.match(value or "") else value


def bare_uuid(value: str) -> str:
    return value.replace("-", "").upper() if value and len(value) == 36 else value


def braced_uuid(value: str) -> str:
    return "{" + value.upper() + "}" if value and len(value) == 36 else value


def weight(value: str) -> str:
    found = re.fullmatch(r"(\d+) x (\d+)g", value or "")
    if found:
        return f"{found[1]}*{found[2]} G"
    found = re.fullmatch(r"([\d.]+)(kg|g|ml|oz)", value or "")
    if not found:
        return value
    amount, unit = found.groups()
    return f"{amount} " + {"kg": "Kilograms", "g": "grams", "ml": "mL", "oz": "OZ"}[unit]


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def respell_users(world: Path, folder: Path) -> Path:
    header, rows = read_csv(world / "legacy" / "legacy_users.csv")
    country = {"United Kingdom": "U.K.", "Germany": "GERMANY", "United States": "U.S.A."}
    for row in rows:
        row["date_of_birth"] = long_date(row["date_of_birth"])
        row["join_date"] = dotted_date(row["join_date"])
        row["country"] = country.get(row["country"], row["country"])
        row["country_code"] = row["country_code"].lower() + " "
        row["first_name"] = "\u00a0" + row["first_name"] + "\u00a0"
        row["user_uuid"] = bare_uuid(row["user_uuid"])
    return write_csv(folder / "legacy_users.csv", header, rows)


def respell_orders(world: Path, folder: Path) -> Path:
    header, rows = read_csv(world / "legacy" / "orders_table.csv")
    for row in rows:
        row["date_uuid"] = braced_uuid(row["date_uuid"])
        row["user_uuid"] = bare_uuid(row["user_uuid"])
        row["store_code"] = row["store_code"].lower()
        row["product_code"] = f" {row['product_code']} "
    return write_csv(folder / "orders_table.csv", header, rows)


def respell_products(world: Path, folder: Path) -> Path:
    header, rows = read_csv(world / "s3" / "products.csv")
    availability = {"Still_avaliable": "In stock", "Removed": "discontinued"}
    for row in rows:
        row["product_price"] = re.sub(r"^£([\d.]+)$", r"GBP\1", row["product_price"])
        row["weight"] = weight(row["weight"])
        row["category"] = row["category"].replace("-", "_").title()
        row["removed"] = availability.get(row["removed"], row["removed"])
        row["date_added"] = row["date_added"] + "T00:00:00Z" if ISO.match(row["date_added"]) else row["date_added"]
        row["uuid"] = "urn:uuid:" + row["uuid"] if len(row["uuid"]) == 36 else row["uuid"]
    return write_csv(folder / "products.csv", header, rows)


def twelve_hour(value: str) -> str:
    found = re.fullmatch(r"(\d{2}):(\d{2}):(\d{2})", value or "")
    if not found:
        return value
    hour = int(found[1])
    return f"{hour % 12 or 12}:{found[2]}:{found[3]} {'p.m.' if hour >= 12 else 'a.m.'}"


def respell_dates(world: Path, folder: Path) -> Path:
    data = json.loads((world / "s3" / "date_details.json").read_text())
    for label, value in data["timestamp"].items():
        data["timestamp"][label] = twelve_hour(value)
    for label, value in data["month"].items():
        data["month"][label] = MONTHS[int(value) - 1][:3] if value.isdigit() and 1 <= int(value) <= 12 else value
    for label, value in data["day"].items():
        data["day"][label] = ordinal(int(value)) if value.isdigit() else value
    for label, value in data["time_period"].items():
        data["time_period"][label] = value.replace("_", "-").upper()
    for label, value in data["date_uuid"].items():
        data["date_uuid"][label] = bare_uuid(value)
    path = folder / "date_details.json"
    path.write_text(json.dumps(data))
    return path


def hemisphere(value: str | None, positive: str, negative: str) -> str | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return f"{abs(number)}° {positive if number >= 0 else negative}"


def respell_stores(world: Path, folder: Path) -> Path:
    stores = json.loads((world / "api" / "stores.json").read_text())
    for store in stores:
        store["opening_date"] = (
            re.sub(
                r"^(\d{4})-(\d{2})-(\d{2})$",
                lambda m: f"{MONTHS[int(m[2]) - 1][:3]} {int(m[3])}, {m[1]}",
                store["opening_date"] or "",
            )
            or store["opening_date"]
        )
        store["store_type"] = {"Super Store": "superstore", "Mall Kiosk": "MALL-KIOSK"}.get(
            store["store_type"], store["store_type"]
        )
        store["continent"] = (
            f" {store['continent'].lower()} " if store["continent"] in ("Europe", "America") else store["continent"]
        )
        # The source's `longitude` field holds the latitude, and `latitude` the longitude.
        store["longitude"] = hemisphere(store["longitude"], "N", "S")
        store["latitude"] = hemisphere(store["latitude"], "E", "W")
        store["country_code"] = (store["country_code"] or "").lower() or store["country_code"]
        store["store_code"] = (store["store_code"] or "").lower() or store["store_code"]
        if store["staff_numbers"] and store["staff_numbers"].isdigit():
            store["staff_numbers"] = f"0{store['staff_numbers']}.0"
    path = folder / "stores.json"
    path.write_text(json.dumps(stores, ensure_ascii=False))
    return path


def respell_cards(world: Path, folder: Path) -> Path:
    """A new card-details PDF from the truth's cards (respelled) and the truth's rejected rows."""
    clean = read_truth_csv(world / "truth" / "dim_card_details.csv")
    rejected = read_truth_csv(world / "truth" / "quarantine" / "dim_card_details.csv")
    columns: list[list[str]] = [[], [], [], []]
    for card in clean.itertuples(index=False):
        number = card.card_number
        month, year = card.expiry_date.split("/")
        columns[0].append(".".join(number[i : i + 4] for i in range(0, len(number), 4)))
        columns[1].append(f"{MONTHS[int(month) - 1][:3]} 20{year}")
        columns[2].append(card.card_provider.lower())
        y, m, d = card.date_payment_confirmed.split("-")
        columns[3].append(f"{d}-{MONTHS[int(m) - 1][:3]}-{y}")
    for row in rejected.itertuples(index=False):
        for i, name in enumerate(("card_number", "expiry_date", "card_provider", "date_payment_confirmed")):
            columns[i].append(getattr(row, name) or "")
    path = folder / "card_details.pdf"
    write_card_details_pdf(path, columns)
    return path


@pytest.fixture
def staged_world(sandbox_restored, tmp_path):
    # sandbox_restored: afterwards the generated sources are served again and the warehouse rebuilt.
    world = Path(sandbox_restored.world)
    control.stage_legacy("legacy_users", respell_users(world, tmp_path))
    control.stage_legacy("orders_table", respell_orders(world, tmp_path))
    control.stage_s3("products.csv", respell_products(world, tmp_path))
    control.stage_s3("date_details.json", respell_dates(world, tmp_path))
    control.stage_s3("card_details.pdf", respell_cards(world, tmp_path))
    control.stage_stores(respell_stores(world, tmp_path))
    return world


def test_a_run_over_unfamiliar_spellings_in_every_source_equals_the_truth(staged_world):
    run = run_pipeline()
    assert run.success, run.failure
    # The raw layer holds the respelled sources (so the comparison below is not of the generated ones).
    respelled = {
        ("legacy_users", "country"): "U.K.",
        ("orders_table", "date_uuid"): "{%",
        ("products", "weight"): "% Kilograms",
        ("date_details", "timestamp"): "% p.m.",
        ("store_details", "longitude"): "%° N",
        ("card_details", "card_number"): "%.%.%",
    }
    with WarehouseResource().connect() as conn:
        for (table, column), pattern in respelled.items():
            query = sql.SQL("SELECT count(*) FROM raw.{} WHERE {} LIKE %s").format(sql.Identifier(table), sql.Identifier(column))
            assert conn.execute(query, (pattern,)).fetchone()[0] > 100, (table, column)
    # The truth's clean tables and answers, and its quarantined rows (raw text aside: it was
    # respelled); nothing rejected.
    with WarehouseResource().connect() as conn:
        for table, figures in run.cleaning.items():
            truth_rows = len(read_truth_csv(staged_world / "truth" / "quarantine" / f"{table}.csv"))
            assert figures["rows_quarantined"] == truth_rows, table
            assert figures["values_rejected"] == 0, (table, read_table(conn, "quarantine", "rejected_values").head())
    score_against_truth(staged_world, compare_quarantined_text=False)
