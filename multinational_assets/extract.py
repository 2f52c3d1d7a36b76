"""The raw layer: every source read with the client production uses and stored as it is.

Two steps. `extract_sources` reads the database, the API, the CSV and the JSON concurrently and
stores nothing unless every one of them was read and has the expected shape. The card-details PDF is
read by Java, the run's longest job: `extract_sources` starts it in the background first thing
(see `reads_ahead`), and `extract_card_details` runs as late as it can and stores what it read, so the
other sources are cleaned while Java works. A bad source fails the run with a message naming it; a
PDF that cannot be opened or whose first page cannot be read fails `extract_sources` too, so no raw
table is replaced. Selecting a single raw asset (the S3 sensor does) reads only that source.
"""

import time
from concurrent.futures import ThreadPoolExecutor, wait

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetOut,
    Failure,
    MetadataValue,
    Output,
    asset,
    multi_asset,
)

from multinational_assets.memory import release_after_step
from multinational_assets.raw import RawSource, SourceClients, raw_dagster_type, source_metadata, validate_raw
from multinational_assets.reads_ahead import reads_ahead
from multinational_assets.resources import LegacyDatabaseResource, PdfTableReader, SourceBucket, StoresApiResource
from multinational_assets.sources.card_details import extract as card_details
from multinational_assets.sources.date_times import extract as date_times
from multinational_assets.sources.orders import extract as orders
from multinational_assets.sources.products import extract as products
from multinational_assets.sources.store_details import extract as store_details
from multinational_assets.sources.users import extract as users
from multinational_assets.warehouse import EarlyLoadScope, WarehouseResource, early_loads

HEAD_START_SECONDS = 60.0
CARD_DETAILS = RawSource(
    "card_details", card_details.raw_schema, card_details.read_card_details,
    "Every payment card listed in the card-details PDF, page by page, before any cleaning.", "s3",
)
OTHER_SOURCES = [
    RawSource("legacy_users", users.raw_schema, users.read_legacy_users,
              "Every customer record exactly as the legacy database holds it, before any cleaning.", "postgres"),
    RawSource("orders_table", orders.raw_schema, orders.read_orders,
              "Every sale exactly as the legacy orders table records it, before any cleaning.", "postgres"),
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


def _run_includes(context: AssetExecutionContext, key: AssetKey) -> bool:
    selection = context.run.asset_selection
    if selection is not None:
        return key in selection
    return key in context.job_def.asset_layer.executable_asset_keys


def _reads_pdf_ahead(context: AssetExecutionContext) -> bool:
    """Whether this step should start the PDF's read for `extract_card_details`: that step is in the
    run and will run in this process."""
    return context.job_def.executor_def.name == "in_process" and _run_includes(context, raw_key(CARD_DETAILS))


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
        for source in OTHER_SOURCES
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
    """Copy the database tables, the stores API, the product CSV and the date JSON, as they are, into
    the warehouse's raw layer."""
    selected = [s for s in OTHER_SOURCES if raw_key(s) in context.selected_asset_keys]
    clients = SourceClients(legacy_database, source_bucket, stores_api, pdf_reader, log=context.log.info)
    pdf = None
    if _reads_pdf_ahead(context):
        clients.pdf_extraction_started.clear()  # set by the PDF reader once Java runs, or it failed
        pdf_clients = SourceClients(legacy_database, source_bucket, stores_api, pdf_reader)
        pdf_clients.pdf_extraction_started = clients.pdf_extraction_started

        def read_pdf(log):
            pdf_clients.log = log
            return read_source(CARD_DETAILS, pdf_clients)

        pdf = reads_ahead.start(context.run.run_id, CARD_DETAILS.table, read_pdf)
        context.log.info("Started reading the card-details PDF in the background for extract_card_details")
    try:
        yield from _read_and_store(context, selected, clients, warehouse, pdf)
    except BaseException as error:
        if pdf is not None:
            reads_ahead.refuse(context.run.run_id, CARD_DETAILS.table, f"extract_sources failed ({type(error).__name__})")
        raise


def _read_and_store(context, selected: list[RawSource], clients: SourceClients, warehouse, pdf):
    first = [s for s in selected if not s.decodes_in_python]
    later = [s for s in selected if s.decodes_in_python]
    started = time.perf_counter()
    # Each source starts loading as soon as it is read, while the others (and the PDF) are still
    # being read; nothing is committed unless every source was read (the scope rolls back the rest).
    with early_loads.scope(warehouse) as loads:
        with ThreadPoolExecutor(max_workers=max(len(selected), 1), thread_name_prefix="extract") as pool:
            futures = {source.table: pool.submit(read_source, source, clients, loads) for source in first}
            if later:
                # Their decoding would hold the interpreter lock the other reads need: start it once
                # those reads are done and Java is running (bounded, so a stuck read cannot hold it).
                wait(list(futures.values()), timeout=HEAD_START_SECONDS)
                clients.pdf_extraction_started.wait(timeout=HEAD_START_SECONDS)
                futures.update({source.table: pool.submit(read_source, source, clients, loads) for source in later})
            results, failures = {}, {}
            for table, future in futures.items():
                try:
                    results[table] = future.result()
                except Exception as error:  # noqa: BLE001 - every failure is reported below, by source
                    failures[table] = error
        if pdf is not None:
            # A PDF that is missing, not whole or unreadable fails before Java starts on every page:
            # wait for that point, so that such a PDF leaves every raw table as it was.
            clients.pdf_extraction_started.wait(timeout=HEAD_START_SECONDS)
            if pdf.future.done() and pdf.future.exception() is not None:
                error = pdf.future.exception()
                failures[CARD_DETAILS.table] = error
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


@asset(
    key=raw_key(CARD_DETAILS),
    group_name="raw",
    description=CARD_DETAILS.description,
    dagster_type=raw_dagster_type(CARD_DETAILS.schema),
    kinds={CARD_DETAILS.kind, "pandas"},
    # As late as the run allows: its Java extraction was started by extract_sources, and every step
    # that runs before this one is work done while Java runs.
    op_tags={"dagster/priority": "-1"},
)
def extract_card_details(
    context: AssetExecutionContext, source_bucket: SourceBucket, pdf_reader: PdfTableReader
) -> Output:
    """Copy every row of the card-details PDF, as it is, into the warehouse's raw layer."""
    ahead = reads_ahead.take(context.run.run_id, CARD_DETAILS.table)
    waited = time.perf_counter()
    try:
        if ahead is None:
            clients = SourceClients(None, source_bucket, None, pdf_reader, log=context.log.info)
            frame, metadata = read_source(CARD_DETAILS, clients)
        else:
            frame, metadata = ahead.future.result()
    except Exception as error:
        raise Failure(description=f"raw/card_details: {type(error).__name__}: {error}") from error
    finally:
        for line in ahead.log_lines if ahead else ():
            context.log.info(line)
    if ahead is not None:
        context.log.info(f"The PDF read started by extract_sources; waited {time.perf_counter() - waited:.1f} s for it")
        if ahead.refused_because:
            raise Failure(
                description=f"raw/card_details was read but not stored, so that the raw layer stays whole: "
                f"{ahead.refused_because}."
            )
    return Output(frame, metadata=metadata)
