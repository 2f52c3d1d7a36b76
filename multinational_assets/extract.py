"""The raw layer: every source read with the client production uses and stored as it is.

One step reads the selected sources concurrently (the PDF's Java table reader, the database, S3 and
the API all wait on I/O or another process), and stores nothing unless every selected source was
read and has the expected shape: a bad source fails the run with a message naming it and leaves
every raw table of the last good run in place. Selecting a single raw asset (the S3 sensor does)
reads only that source.
"""

import time
from concurrent.futures import ThreadPoolExecutor, wait

from dagster import AssetExecutionContext, AssetKey, AssetOut, Failure, MetadataValue, Output, multi_asset

from multinational_assets.memory import release_after_step
from multinational_assets.raw import RawSource, SourceClients, raw_dagster_type, source_metadata, validate_raw
from multinational_assets.resources import LegacyDatabaseResource, PdfTableReader, SourceBucket, StoresApiResource
from multinational_assets.sources.card_details import extract as card_details
from multinational_assets.sources.date_times import extract as date_times
from multinational_assets.sources.orders import extract as orders
from multinational_assets.sources.products import extract as products
from multinational_assets.sources.store_details import extract as store_details
from multinational_assets.sources.users import extract as users
from multinational_assets.warehouse import EarlyLoadScope, WarehouseResource, early_loads

PDF_SOURCE = "card_details"
HEAD_START_SECONDS = 60.0
RAW_SOURCES = [
    RawSource("legacy_users", users.raw_schema, users.read_legacy_users,
              "Every customer record exactly as the legacy database holds it, before any cleaning.", "postgres"),
    RawSource("orders_table", orders.raw_schema, orders.read_orders,
              "Every sale exactly as the legacy orders table records it, before any cleaning.", "postgres"),
    RawSource("card_details", card_details.raw_schema, card_details.read_card_details,
              "Every payment card listed in the card-details PDF, page by page, before any cleaning.", "s3"),
    RawSource("store_details", store_details.raw_schema, store_details.read_store_details,
              "Every store's details as the stores API reports them, before any cleaning.", "api"),
    RawSource("products", products.raw_schema, products.read_products,
              "Every product in the catalogue CSV, before any cleaning.", "s3"),
    RawSource("date_details", date_times.raw_schema, date_times.read_date_details,
              "The date and time of every sale, as the date-details file records them, before any cleaning.", "s3",
              decodes_in_python=True),
]


def raw_key(source: RawSource) -> AssetKey:
    return AssetKey(["raw", source.table])


def read_source(source: RawSource, clients: SourceClients, loads: EarlyLoadScope | None = None):
    """Read one source and check its shape; returns (frame, metadata). With `loads`, the frame's rows
    start loading into the warehouse at once, uncommitted until the IO manager stores the frame."""
    started = time.perf_counter()
    extract = source.read(clients)
    where = extract.facts.get("source", source.table)
    frame = validate_raw(extract.frame, source.schema, where)
    metadata = source_metadata(frame, time.perf_counter() - started, **extract.facts)
    if loads is not None:
        problem = loads.start(raw_key(source).path, frame)
        if problem:
            clients.log(f"raw/{source.table} will be loaded when stored; loading it early failed: {problem}")
    return frame, metadata


@multi_asset(
    name="extract_sources",
    outs={
        source.table: AssetOut(
            key=raw_key(source),
            group_name="raw",
            description=source.description,
            dagster_type=raw_dagster_type(source.schema),
            kinds={source.kind, "pandas"},
            # A subset run yields only the selected outputs: each must be optional, or Dagster fails
            # the step for every source that was not selected.
            is_required=False,
        )
        for source in RAW_SOURCES
    },
    can_subset=True,
)
def extract_sources(
    context: AssetExecutionContext,
    legacy_database: LegacyDatabaseResource,
    source_bucket: SourceBucket,
    stores_api: StoresApiResource,
    pdf_reader: PdfTableReader,
    warehouse: WarehouseResource,
):
    """Copy each selected source, as it is, into the warehouse's raw layer."""
    selected = [s for s in RAW_SOURCES if raw_key(s) in context.selected_asset_keys]
    clients = SourceClients(legacy_database, source_bucket, stores_api, pdf_reader, log=context.log.info)
    first = [s for s in selected if not s.decodes_in_python]
    later = [s for s in selected if s.decodes_in_python]
    if any(s.table == PDF_SOURCE for s in selected):
        clients.pdf_extraction_started.clear()  # set by the PDF reader once Java runs
    started = time.perf_counter()
    # Each source starts loading as soon as it is read, while the others (above all the PDF) are still
    # being read; nothing is committed unless every source was read (the scope rolls back the rest).
    with early_loads.scope(warehouse) as loads:
        with ThreadPoolExecutor(max_workers=len(selected), thread_name_prefix="extract") as pool:
            futures = {source.table: pool.submit(read_source, source, clients, loads) for source in first}
            if later:
                # Their decoding would hold the interpreter lock the other reads need: start it once
                # those reads are done and Java is running (bounded, so a stuck read cannot hold it).
                wait([f for t, f in futures.items() if t != PDF_SOURCE], timeout=HEAD_START_SECONDS)
                clients.pdf_extraction_started.wait(timeout=HEAD_START_SECONDS)
                futures.update({source.table: pool.submit(read_source, source, clients, loads) for source in later})
            results, failures = {}, {}
            for table, future in futures.items():
                try:
                    results[table] = future.result()
                except Exception as error:  # noqa: BLE001 - every failure is reported below, by source
                    failures[table] = error
        if failures:
            lines = [f"raw/{table}: {type(error).__name__}: {error}" for table, error in failures.items()]
            raise Failure(
                description="Not every selected source could be read, so no raw table was replaced:\n"
                + "\n".join(lines),
                metadata={"failed_sources": MetadataValue.text(", ".join(failures))},
            )
        context.log.info(f"Read {len(results)} sources in {time.perf_counter() - started:.1f} s")
        for table in list(results):
            frame, metadata = results.pop(table)  # stored below, then let go before the next is written
            rows = len(frame)
            yield Output(frame, output_name=table, metadata=metadata)
            del frame
            release_after_step(rows)
