"""The raw layer: every source read with the client production uses and stored as it is.

Two steps. `extract_sources` reads the database, the API, the CSV and the JSON concurrently (the two
large ones, the orders and the date JSON, one after the other) and stores nothing unless every one of
them was read and has the expected shape; each source starts loading into the warehouse as soon as it
is read (the IO manager's early loads). The card-details PDF is read in processes of its own, the
run's longest read: `extract_sources` starts it in the background first thing (the `reads_ahead`
resource), and `extract_card_details` runs as late as it can and stores what was read, so the other
sources are cleaned meanwhile. A bad source fails the run with a message
naming it; a PDF that cannot be opened or whose first page cannot be read fails `extract_sources`
too, so no raw table is replaced. Selecting a single raw asset (the S3 sensor does) reads only that
source.
"""

import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetOut,
    BetaWarning,
    DataVersion,
    Failure,
    MetadataValue,
    Output,
    ResourceParam,
    asset,
    multi_asset,
)
from dagster_pandera import pandera_schema_to_dagster_type

from multinational_assets.defs.io_manager import PostgresDataFrameIOManager
from multinational_assets.defs.resources import (
    LegacyDatabaseResource,
    PdfReaderResource,
    ReadsAheadResource,
    SourceBucket,
    StoresApiResource,
)
from multinational_assets.defs.sources.assets import origin_key
from multinational_assets.sources import SOURCES, source_of
from multinational_assets.sources.source import Source, SourceClients, pinned_versions, validate_raw
from multinational_assets.warehouse.early_loads import EarlyLoadScope

HEAD_START_SECONDS = 60.0
CARD_DETAILS = source_of("card_details")
OTHER_SOURCES = [s for s in SOURCES if s is not CARD_DETAILS]


def raw_key(source: Source) -> AssetKey:
    return AssetKey(["raw", source.raw_table])


def raw_dagster_type(source: Source):
    """A Dagster type for the UI from the raw pandera schema, made once per source (two types with
    one name are a definition error)."""
    with warnings.catch_warnings():
        # The integration is marked beta; we use only its stable core (schema → type).
        warnings.simplefilter("ignore", BetaWarning)
        return pandera_schema_to_dagster_type(source.schema)


def source_metadata(df: pd.DataFrame, seconds: float, **facts) -> dict:
    """Where the rows came from and what reading them cost."""
    metadata = {
        "rows": MetadataValue.int(len(df)),
        "read_seconds": MetadataValue.float(round(seconds, 3)),
        "rows_per_second": MetadataValue.float(round(len(df) / seconds, 1) if seconds else 0.0),
    }
    for key, value in facts.items():
        if isinstance(value, int):
            metadata[key] = MetadataValue.int(value)
        elif isinstance(value, float):
            metadata[key] = MetadataValue.float(value)
        else:
            metadata[key] = MetadataValue.text(str(value))
    return metadata


def raw_output(frame: pd.DataFrame, metadata: dict, **options) -> Output:
    """The raw table as an output; an S3 file's has the version of the file it was read from (its
    ETag) as its data version."""
    etag = metadata.get("etag")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BetaWarning)  # `data_version` is marked beta; only its value is used
        return Output(frame, metadata=metadata, data_version=DataVersion(str(etag.value)) if etag else None, **options)


def read_source(source: Source, clients: SourceClients, loads: EarlyLoadScope | None = None):
    """Read one source and check its shape; returns (frame, metadata). With `loads`, the frame's rows
    start loading into the warehouse at once, uncommitted until the IO manager stores the frame."""
    started = time.perf_counter()
    extract = source.read(clients)
    where = extract.facts.get("source", source.raw_table)
    frame = validate_raw(extract.frame, source.schema, where)
    metadata = source_metadata(frame, time.perf_counter() - started, **extract.facts)
    if loads is not None:
        problem = loads.start("raw", source.raw_table, frame)
        if problem:
            clients.log(f"raw/{source.raw_table} will be loaded when stored; loading it early failed: {problem}")
    return frame, metadata


def _run_includes(context: AssetExecutionContext, key: AssetKey) -> bool:
    selection = context.run.asset_selection
    if selection is not None:
        return key in selection
    return key in context.job_def.asset_layer.executable_asset_keys


@multi_asset(
    name="extract_sources",
    outs={
        source.raw_table: AssetOut(
            key=raw_key(source),
            group_name="raw",
            description=source.description,
            dagster_type=raw_dagster_type(source),
            kinds={source.kind, "pandas"},
            # A subset run yields only the selected outputs: each must be optional, or Dagster fails
            # the step for every source that was not selected.
            is_required=False,
        )
        for source in OTHER_SOURCES
    },
    deps=[origin_key(source) for source in OTHER_SOURCES],
    internal_asset_deps={source.raw_table: {origin_key(source)} for source in OTHER_SOURCES},
    can_subset=True,
)
def extract_sources(
    context: AssetExecutionContext,
    legacy_database: LegacyDatabaseResource,
    source_bucket: SourceBucket,
    stores_api: StoresApiResource,
    pdf_reader: PdfReaderResource,
    reads_ahead: ReadsAheadResource,
    io_manager: ResourceParam[PostgresDataFrameIOManager],
):
    """Copy the database tables, the stores API, the product CSV and the date JSON, as they are, into
    the warehouse's raw layer."""
    selected = [s for s in OTHER_SOURCES if raw_key(s) in context.selected_asset_keys]
    pinned = pinned_versions(context.run.tags)
    clients = SourceClients(legacy_database, source_bucket, stores_api, pdf_reader, log=context.log.info, pinned=pinned)
    pdf = None
    if reads_ahead.enabled and _run_includes(context, raw_key(CARD_DETAILS)):
        clients.pdf_extraction_started.clear()  # set by the PDF reader once its pages are being read, or it failed
        pdf_clients = SourceClients(legacy_database, source_bucket, stores_api, pdf_reader, pinned=pinned)
        pdf_clients.pdf_extraction_started = clients.pdf_extraction_started

        def read_pdf(log):
            pdf_clients.log = log
            return read_source(CARD_DETAILS, pdf_clients)

        pdf = reads_ahead.start(CARD_DETAILS.raw_table, read_pdf)
        context.log.info("Started reading the card-details PDF in the background for extract_card_details")
    try:
        yield from _read_and_store(context, selected, clients, io_manager, pdf)
    except BaseException as error:
        if pdf is not None:
            reads_ahead.refuse(CARD_DETAILS.raw_table, f"extract_sources failed ({type(error).__name__})")
        raise


def _read_in_turn(sources: list[Source], clients: SourceClients, loads: EarlyLoadScope) -> dict:
    """Read the large sources one after another (table -> (frame, metadata), or the error): the ones
    decoded in Python first, once the PDF's reading has started. Their parse holds several times the
    size of what it gives (at ten times the real size, the date JSON's 1.2M rows: 700 MB for a
    moment, 140 MB after), so it runs before the orders are held; read together, the two reached
    1.35 GB, one after the other 1.13 GB."""
    results = {}
    for source in sorted(sources, key=lambda s: not s.decodes_in_python):
        if source.decodes_in_python:
            clients.pdf_extraction_started.wait(timeout=HEAD_START_SECONDS)
        try:
            results[source.raw_table] = read_source(source, clients, loads)
        except Exception as error:  # noqa: BLE001 - reported with the others' failures, by source
            results[source.raw_table] = error
    return results


def _read_and_store(context, selected: list[Source], clients: SourceClients, io_manager, pdf):
    started = time.perf_counter()
    # Each source starts loading as soon as it is read, while the others (and the PDF) are still
    # being read; nothing is committed unless every source was read (the scope rolls back the rest).
    with io_manager.early_loads().scope() as loads:
        one_by_one = [s for s in selected if s.large or s.decodes_in_python]
        alongside = [s for s in selected if s not in one_by_one]
        with ThreadPoolExecutor(max_workers=len(alongside) + 1, thread_name_prefix="extract") as pool:
            futures = {source.raw_table: pool.submit(read_source, source, clients, loads) for source in alongside}
            in_turn = pool.submit(_read_in_turn, one_by_one, clients, loads)
            results, failures = {}, {}
            for table, future in futures.items():
                try:
                    results[table] = future.result()
                except Exception as error:  # noqa: BLE001 - every failure is reported below, by source
                    failures[table] = error
            for table, outcome in in_turn.result().items():
                if isinstance(outcome, Exception):
                    failures[table] = outcome
                else:
                    results[table] = outcome
        if pdf is not None:
            # A PDF that is missing, not whole or unreadable fails before every page is read:
            # wait for that point, so that such a PDF leaves every raw table as it was.
            clients.pdf_extraction_started.wait(timeout=HEAD_START_SECONDS)
            if pdf.future.done() and pdf.future.exception() is not None:
                failures[CARD_DETAILS.raw_table] = pdf.future.exception()
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
            yield raw_output(frame, metadata, output_name=table)
            del frame


@asset(
    key=raw_key(CARD_DETAILS),
    group_name="raw",
    description=CARD_DETAILS.description,
    dagster_type=raw_dagster_type(CARD_DETAILS),
    kinds={CARD_DETAILS.kind, "pandas"},
    deps=[origin_key(CARD_DETAILS)],
    # As late as the run allows: its reading was started by extract_sources, and every step
    # that runs before this one is work done while the PDF is read.
    op_tags={"dagster/priority": "-1"},
)
def extract_card_details(
    context: AssetExecutionContext, source_bucket: SourceBucket, pdf_reader: PdfReaderResource,
    reads_ahead: ReadsAheadResource,
) -> Output:
    """Copy every row of the card-details PDF, as it is, into the warehouse's raw layer."""
    ahead = reads_ahead.take(CARD_DETAILS.raw_table)
    waited = time.perf_counter()
    try:
        if ahead is None:
            clients = SourceClients(
                None, source_bucket, None, pdf_reader, log=context.log.info, pinned=pinned_versions(context.run.tags)
            )
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
    return raw_output(frame, metadata)
