"""The generator's entry point: determinism, and the layout and manifest of a world."""

from __future__ import annotations

import json
from pathlib import Path

from multinational_assets.sandbox.generate import generate_world
from multinational_assets_tests.sandbox.world_readers import SEED


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = _files(_generate(tmp_path / "a", 7))
    again = _files(_generate(tmp_path / "b", 7))
    other = _files(_generate(tmp_path / "c", 8))
    assert first.keys() == again.keys() == other.keys()
    assert [name for name in first if first[name] != again[name]] == []
    sources = ["legacy/legacy_users.csv", "legacy/orders_table.csv",
               "legacy/legacy_store_details.csv", "s3/products.csv", "s3/card_details.pdf",
               "s3/date_details.json", "api/stores.json"]
    assert [name for name in sources if first[name] == other[name]] == []


def _generate(out: Path, seed: int) -> Path:
    generate_world(seed, 0.05, out)
    return out


def test_layout_and_manifest(world: Path) -> None:
    expected = {"manifest.json", "legacy/legacy_users.csv", "legacy/orders_table.csv",
                "legacy/legacy_store_details.csv", "s3/products.csv", "s3/card_details.pdf",
                "s3/date_details.json", "api/stores.json"}
    tables = ["dim_users", "dim_card_details", "dim_store_details", "dim_products",
              "dim_date_times", "orders_table"]
    expected |= {f"truth/{t}.csv" for t in tables} | {f"truth/quarantine/{t}.csv" for t in tables}
    expected |= {f"truth/answers/{m}.csv" for m in (
        "stores_per_country", "top_localities", "sales_by_month", "online_vs_offline",
        "sales_by_store_type", "top_year_months", "staff_by_country", "german_sales_by_store_type",
        "time_between_sales")}
    assert set(_files(world)) == expected
    manifest = json.loads((world / "manifest.json").read_text())
    assert manifest["seed"] == SEED and manifest["scale"] == 1
    rows = {name: c["rows"] for name, c in manifest["counts"].items()}
    assert rows == {"legacy_users": 15320, "orders_table": 120123, "card_details": 15309,
                    "store_details": 451, "products": 1853, "date_details": 120161,
                    "legacy_store_details": rows["legacy_store_details"]}
