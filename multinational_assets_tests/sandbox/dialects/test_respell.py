"""Dialects of the sandbox world: other spellings, the same truth, the same counts, the same bytes
for the same dialect."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from multinational_assets.sandbox.generate import generate_world
from multinational_assets_tests.sandbox.dialects.meanings import (
    DIALECTS,
    GARBAGE_D0,
    TEXT_COLUMNS,
    TRUTH_TABLES,
    row_kinds,
)
from multinational_assets_tests.sandbox.world_readers import PRODUCT_TEXT, read_pdf_pages


def _truth_files(world: Path) -> dict[str, bytes]:
    files = [world / "truth" / f"{t}.csv" for t in TRUTH_TABLES]
    files += sorted((world / "truth" / "answers").glob("*.csv"))
    return {str(p.relative_to(world)): p.read_bytes() for p in files}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_truth_and_answers_are_byte_identical(worlds: dict[int, Path], dialect: int) -> None:
    base = _truth_files(worlds[0])
    assert len(base) == 6 + 9
    assert _truth_files(worlds[dialect]) == base


@pytest.mark.parametrize("dialect", DIALECTS)
def test_manifest_counts_and_dialect(worlds: dict[int, Path], dialect: int) -> None:
    base = json.loads((worlds[0] / "manifest.json").read_text())
    manifest = json.loads((worlds[dialect] / "manifest.json").read_text())
    assert "dialect" not in base  # dialect 0 writes the manifest it always wrote
    assert manifest["dialect"] == dialect
    assert (manifest["seed"], manifest["scale"], manifest["counts"]) == (
        base["seed"], base["scale"], base["counts"])
    pdf = read_pdf_pages(worlds[dialect] / "s3" / "card_details.pdf")
    assert len(pdf) == base["counts"]["card_details"]["pages"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_rows_null_and_garbage_counts(sources: dict, worlds: dict[int, Path], dialect: int) -> None:
    counts = json.loads((worlds[0] / "manifest.json").read_text())["counts"]
    names = {"users": "legacy_users", "orders": "orders_table", "cards": "card_details",
             "stores": "store_details", "products": "products", "dates": "date_details"}
    for source, name in names.items():
        base, frame = sources[0][source], sources[dialect][source]
        assert len(frame) == len(base) == counts[name]["rows"], source
        assert list(frame.columns) == list(base.columns), source
        null, garbage = row_kinds(frame, TEXT_COLUMNS[source])
        null0 = (base[TEXT_COLUMNS[source]] == "NULL").all(axis=1).to_numpy()
        garbage0 = base[TEXT_COLUMNS[source]].apply(
            lambda c: c.map(lambda v: isinstance(v, str) and bool(GARBAGE_D0.fullmatch(v)))
        ).all(axis=1).to_numpy()
        if source == "orders":
            assert not null.any() and not garbage.any()
            continue
        assert (null.sum(), garbage.sum()) == (counts[name]["null"], counts[name]["garbage"]), source
        assert (null == null0).all() and (garbage == garbage0).all(), source


@pytest.mark.parametrize("dialect", DIALECTS)
def test_quarantine_truth_is_the_rows_as_spelled(worlds: dict[int, Path], sources: dict,
                                                 dialect: int) -> None:
    q0 = pd.read_csv(worlds[0] / "truth" / "quarantine" / "dim_products.csv", dtype=str,
                     keep_default_na=False)
    q = pd.read_csv(worlds[dialect] / "truth" / "quarantine" / "dim_products.csv", dtype=str,
                    keep_default_na=False)
    assert list(q.columns) == list(q0.columns) and len(q) == len(q0)
    assert q["row_label"].tolist() == q0["row_label"].tolist()
    raw = sources[dialect]["products"]
    rows = raw.set_index(raw.columns[0]).loc[q["row_label"], PRODUCT_TEXT]
    assert (rows.to_numpy() == q[PRODUCT_TEXT].to_numpy()).all()
    assert (q[PRODUCT_TEXT].to_numpy() != q0[PRODUCT_TEXT].to_numpy()).any()
    for table in TRUTH_TABLES[:-1]:
        q0 = pd.read_csv(worlds[0] / "truth" / "quarantine" / f"{table}.csv", dtype=str)
        q = pd.read_csv(worlds[dialect] / "truth" / "quarantine" / f"{table}.csv", dtype=str)
        assert q.shape == q0.shape and list(q.columns) == list(q0.columns), table
        assert q.iloc[:, 0].tolist() == q0.iloc[:, 0].tolist(), table  # same rows, same order


def test_same_dialect_same_bytes_other_dialect_other_bytes(tmp_path: Path) -> None:
    def files(out: Path) -> dict[str, bytes]:
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    for dialect in DIALECTS:
        generate_world(3, 0.05, tmp_path / f"a{dialect}", dialect=dialect)
        generate_world(3, 0.05, tmp_path / f"b{dialect}", dialect=dialect)
        assert files(tmp_path / f"a{dialect}") == files(tmp_path / f"b{dialect}")
    one, two = files(tmp_path / "a1"), files(tmp_path / "a2")
    sources_ = ["legacy/legacy_users.csv", "legacy/orders_table.csv", "s3/products.csv",
                "s3/card_details.pdf", "s3/date_details.json", "api/stores.json"]
    assert [name for name in sources_ if one[name] == two[name]] == []
    assert one["legacy/legacy_store_details.csv"] == two["legacy/legacy_store_details.csv"]
    with pytest.raises(ValueError, match="dialect"):
        generate_world(3, 0.05, tmp_path / "bad", dialect=3)


# ------------------------------------------------------------------------------------------------
