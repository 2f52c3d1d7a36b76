"""The raw layer done by dlt, tuned as its documentation advises, to compare this project's raw layer
against: run once in this process (started in a child process by the benchmark) and write its figures
as JSON.

    python benchmarks/bench_dlt.py OUT.json

The five sources other than the PDF, extracted and loaded into the benchmark sandbox's warehouse
(schema `dlt_raw`, dropped afterwards by the benchmark):
- the two legacy tables with `sql_table(backend="connectorx")` (Arrow straight from Postgres, in Rust);
- the stores API with a transformer whose calls are `@dlt.defer`red, so they run in dlt's extract
  thread pool (`EXTRACT__WORKERS` set to the project's concurrency, 32);
- the products CSV and the dates JSON from S3 with boto3, handed to dlt as Arrow tables (dlt's fast
  path: no per-row Python);
- the postgres destination with `loader_file_format="csv"` (COPY).
dlt is installed by the `bench` extra only (`make bench`); it is not a dependency of the project.
Settings come from the environment the parent set (the benchmark's sandbox).
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

DATASET = "dlt_raw"


def dlt_url(url: str) -> str:
    """A plain postgresql:// URL dlt accepts. dlt's credentials want a host and a password: a sandbox
    URL that reaches Postgres by its Unix socket (`?host=/dir`, no password) gets `localhost` and a
    password the socket's trust authentication ignores; the socket directory still decides."""
    from urllib.parse import urlsplit, urlunsplit  # noqa: PLC0415

    from multinational_assets.postgres.connection import libpq_url  # noqa: PLC0415

    parts = urlsplit(libpq_url(url))
    if parts.hostname or "host=" not in parts.query:
        return urlunsplit(parts)
    user = parts.username or "postgres"
    return urlunsplit(parts._replace(netloc=f"{user}:unused@localhost:{parts.port or 5432}"))


def main(out_path: str) -> int:
    started = time.perf_counter()
    stages: dict[str, float] = {}
    from multinational_assets.settings import s3_endpoint, setting  # noqa: PLC0415

    workers = setting("STORES_API_CONCURRENCY")
    os.environ.setdefault("EXTRACT__WORKERS", workers)
    os.environ.setdefault("EXTRACT__MAX_PARALLEL_ITEMS", str(int(workers) * 2))
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")
    # The files dlt writes between its stages are gzipped by default; uncompressed, normalize took
    # 0.26 s instead of 3.9 s here (its performance guide: compression off where storage is local).
    os.environ.setdefault("DATA_WRITER__DISABLE_COMPRESSION", "true")

    import boto3  # noqa: PLC0415
    import dlt  # noqa: PLC0415
    import pandas  # noqa: F401, PLC0415 - before dlt's extract threads: two threads importing it at once fail
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pa_csv  # noqa: PLC0415
    import urllib3  # noqa: PLC0415
    from dlt.sources.sql_database import sql_table  # noqa: PLC0415

    stages["imports"] = round(time.perf_counter() - started, 3)
    legacy_url = dlt_url(setting("LEGACY_DATABASE_URL"))
    tables = [sql_table(credentials=legacy_url, table=t, backend="connectorx").parallelize()
              for t in ("legacy_users", "orders_table")]

    s3 = boto3.client(
        "s3", endpoint_url=s3_endpoint(setting("S3_ENDPOINT_URL")), region_name=setting("AWS_REGION"),
        aws_access_key_id=setting("AWS_ACCESS_KEY_ID"), aws_secret_access_key=setting("AWS_SECRET_ACCESS_KEY"),
    )

    def s3_bytes(key_setting: str) -> bytes:
        return s3.get_object(Bucket=setting("S3_BUCKET"), Key=setting(key_setting))["Body"].read()

    @dlt.resource(name="products", parallelized=True)
    def products():
        table = pa_csv.read_csv(io.BytesIO(s3_bytes("PRODUCTS_KEY")),
                                convert_options=pa_csv.ConvertOptions(strings_can_be_null=True))
        yield table.rename_columns([name or "row_label" for name in table.column_names])  # the unnamed index

    @dlt.resource(name="date_details", parallelized=True)
    def date_details():
        columns = json.loads(s3_bytes("DATE_DETAILS_KEY"))  # {column: {row label: value}}
        labels = list(next(iter(columns.values())).keys())
        yield pa.table({"row_label": labels, **{name: [values.get(k) for k in labels] for name, values in columns.items()}})

    base, headers = setting("STORES_API_URL").rstrip("/"), {"x-api-key": setting("STORES_API_KEY")}
    http = urllib3.PoolManager(maxsize=int(workers))

    def get_json(path: str):
        return json.loads(http.request("GET", f"{base}/{path}", headers=headers, timeout=30).data)

    @dlt.resource(name="store_numbers", selected=False)
    def store_numbers():
        yield from range(get_json("number_stores")["number_stores"])

    @dlt.transformer(data_from=store_numbers, name="store_details")
    def store_details(number: int):
        @dlt.defer
        def fetch():
            return get_json(f"store_details/{number}")
        yield fetch()

    with tempfile.TemporaryDirectory() as pipelines_dir:
        pipeline = dlt.pipeline(
            pipeline_name="bench_dlt", pipelines_dir=pipelines_dir, dataset_name=DATASET,
            destination=dlt.destinations.postgres(credentials=dlt_url(setting("WAREHOUSE_URL"))),
        )
        since = time.perf_counter()
        info = pipeline.run([*tables, products(), date_details(), store_numbers, store_details],
                            loader_file_format="csv")
        stages["pipeline.run (extract, normalize, load)"] = round(time.perf_counter() - since, 3)
        info.raise_on_failed_jobs()
        for step in pipeline.last_trace.steps:  # where dlt's time went
            stages[step.step] = round((step.finished_at - step.started_at).total_seconds(), 3)
        with pipeline.sql_client() as client:  # what reached the warehouse
            rows = {table: client.execute_sql(f"SELECT count(*) FROM {client.make_qualified_table_name(table)}")[0][0]
                    for table in ("legacy_users", "orders_table", "store_details", "products", "date_details")}
    result = {"seconds": round(time.perf_counter() - started, 3), "stages": stages, "rows": rows}
    Path(out_path).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
