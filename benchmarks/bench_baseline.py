"""A seed-style pipeline, the baseline the project is measured against: run once in this process
(started in a child process by the benchmark) and write its figures as JSON.

    python benchmarks/bench_baseline.py OUT.json

What a first version of this job usually looks like: pandas `read_sql` for the legacy tables,
tabula with its default options over every page, the stores API one call after another with
requests, boto3 and pandas for the CSV and the JSON, `DataFrame.to_sql` for the clean tables. Between the
loads it uses the project's own cleaning functions and then the same star and answer SQL, so the two
pipelines produce the same tables and differ only in how they move the data. Settings come from the
environment the parent set (the benchmark's sandbox). It overwrites that sandbox's `clean` and `star`
schemas, so the benchmark runs it last.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
from pathlib import Path


def main(out_path: str) -> int:
    started = time.perf_counter()
    stages: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        stages[name] = round(now - since, 3)
        return now

    import boto3
    import pandas as pd
    import requests
    import sqlalchemy as sa
    import tabula

    from multinational_assets.cleaning import clean_table
    from multinational_assets.metrics.answers import run_metric
    from multinational_assets.metrics.registry import METRIC_NAMES
    from multinational_assets.postgres.connection import connect
    from multinational_assets.settings import s3_endpoint, setting
    from multinational_assets.sources import CLEAN_TABLES
    from multinational_assets.sources.source import as_text_frame
    from multinational_assets.star.build import build_star

    now = lap("imports", started)
    raw: dict[str, pd.DataFrame] = {}

    legacy = sa.create_engine(setting("LEGACY_DATABASE_URL"))
    with legacy.connect() as conn:
        for table in ("legacy_users", "orders_table"):
            raw[table] = pd.read_sql(f'SELECT * FROM "{table}"', conn)
    now = lap("legacy tables (read_sql)", now)

    s3 = boto3.client(
        "s3", endpoint_url=s3_endpoint(setting("S3_ENDPOINT_URL")), region_name=setting("AWS_REGION"),
        aws_access_key_id=setting("AWS_ACCESS_KEY_ID"), aws_secret_access_key=setting("AWS_SECRET_ACCESS_KEY"),
    )
    bucket = setting("S3_BUCKET")

    def s3_bytes(key_setting: str) -> bytes:
        return s3.get_object(Bucket=bucket, Key=setting(key_setting))["Body"].read()

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "card_details.pdf"
        pdf.write_bytes(s3_bytes("CARD_DETAILS_KEY"))
        pages = tabula.read_pdf(str(pdf), pages="all", pandas_options={"dtype": str})
    raw["card_details"] = pd.concat(
        [frame.assign(page=str(number)) for number, frame in enumerate(pages, start=1)], ignore_index=True
    )
    now = lap("card details PDF (tabula, defaults)", now)

    base, headers = setting("STORES_API_URL").rstrip("/"), {"x-api-key": setting("STORES_API_KEY")}
    count = requests.get(f"{base}/number_stores", headers=headers, timeout=30).json()["number_stores"]
    raw["store_details"] = pd.DataFrame(
        [requests.get(f"{base}/store_details/{n}", headers=headers, timeout=30).json() for n in range(count)]
    )
    now = lap("stores API (one call after another)", now)

    raw["products"] = pd.read_csv(io.BytesIO(s3_bytes("PRODUCTS_KEY")), dtype=str, keep_default_na=False)
    raw["products"] = raw["products"].rename(columns={"Unnamed: 0": "row_label"})
    raw["date_details"] = pd.read_json(io.BytesIO(s3_bytes("DATE_DETAILS_KEY")), dtype=False)
    raw["date_details"] = raw["date_details"].rename_axis("row_label").reset_index()
    now = lap("products CSV and dates JSON (pandas)", now)

    # A seed pipeline loads only its clean tables (the project also keeps the raw layer and the
    # quarantine: more work on its side, not counted here).
    warehouse = sa.create_engine(setting("WAREHOUSE_URL"))
    cleaned = {}
    for contract in CLEAN_TABLES:
        frame = as_text_frame(raw[contract.raw_table].astype(object))
        columns = [c for c in frame.columns if c in set(contract.raw_columns)]
        cleaned[contract.table] = clean_table(frame[columns], contract).clean
    now = lap("cleaning (the project's functions)", now)

    for table, frame in cleaned.items():
        frame.to_sql(table, warehouse, schema="clean", if_exists="replace", index=False)
    now = lap("clean loads (to_sql)", now)

    with connect(setting("WAREHOUSE_URL")) as conn:
        report = build_star(conn)
        conn.commit()
        now = lap("star (same SQL)", now)
        answers = {name: len(run_metric(conn, name)) for name in METRIC_NAMES}
    lap("nine answers (same SQL)", now)

    result = {
        "seconds": round(time.perf_counter() - started, 3),
        "stages": stages,
        "star_rows": report["rows"],
        "answers": answers,
    }
    Path(out_path).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
