"""Every resource the definitions use, configured from the environment (see `settings`).

Each field that a setting fills names that setting once, in its declaration (`from_setting`). The
definitions build the resources with `from_settings()`: a field is a Dagster `EnvVar` when its variable
is set, else left empty and filled with the setting's default (the sandbox) once, when a run starts
(`setup_for_execution`). No setting is read again per call, and no secret is ever part of run config.
The work itself is done by the plain clients in `multinational_assets.clients` and
`multinational_assets.warehouse`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import psycopg
from dagster import ConfigurableResource, EnvVar, InitResourceContext
from dagster_aws.s3 import S3Resource
from pydantic import Field, PrivateAttr

from multinational_assets.clients.bucket import Bucket, s3_client
from multinational_assets.clients.legacy_database import LegacyDatabase
from multinational_assets.clients.pdf_tables import PdfTableReader
from multinational_assets.clients.pdf_text import PageReaders
from multinational_assets.clients.stores_api import StoresApi
from multinational_assets.postgres.connection import connect
from multinational_assets.settings import SETTINGS, resource_value, s3_endpoint, setting

_SETTING = "setting"  # where a field's declaration keeps the name of the setting that fills it


def from_setting(name: str) -> Any:
    """A resource field filled by setting `name` (e.g. `WAREHOUSE_URL`); its description is the
    setting's meaning, so the UI's resource page says what it is."""
    return Field(default=None, description=SETTINGS[name].meaning, json_schema_extra={_SETTING: name})


class ReadsSettings:
    """For resources whose fields are declared with `from_setting`."""

    @classmethod
    def setting_fields(cls) -> dict[str, str]:
        """Field name -> the setting that fills it."""
        return {
            name: info.json_schema_extra[_SETTING]
            for name, info in cls.model_fields.items()
            if isinstance(info.json_schema_extra, dict) and _SETTING in info.json_schema_extra
        }

    @classmethod
    def from_settings(cls, **fields):
        """The resource with each setting's field an `EnvVar` when its variable is set now (text
        fields; a number is read when the run starts), else empty; `fields` given here win."""
        text_fields = {name for name, info in cls.model_fields.items() if info.annotation in (str | None, "str | None")}
        for name, setting_name in cls.setting_fields().items():
            if name not in fields and name in text_fields:
                fields[name] = resource_value(setting_name)
        return cls(**fields)

    def resolved(self, field_name: str):
        """The field's value, else its setting's value now (the sandbox's, when nothing is set)."""
        value = getattr(self, field_name)
        if isinstance(value, EnvVar):  # used outside a run (the CLI, a test): Dagster has not resolved it
            value = value.get_value()
        return value if value is not None else setting(self.setting_fields()[field_name])


class WarehouseResource(ReadsSettings, ConfigurableResource):
    """The Postgres warehouse that holds every layer of the pipeline."""

    url: str | None = from_setting("WAREHOUSE_URL")
    _url: str | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._url = self.resolved("url")

    def resolved_url(self) -> str:
        if self._url is None:  # used outside a run (a test, the CLI): resolved on first use
            self._url = self.resolved("url")
        return self._url

    def connect(self, autocommit: bool = False) -> psycopg.Connection:
        return connect(self.resolved_url(), "the warehouse", autocommit=autocommit)


class LegacyDatabaseResource(ReadsSettings, ConfigurableResource):
    """The legacy Postgres database of users and orders, read-only."""

    url: str | None = from_setting("LEGACY_DATABASE_URL")
    max_rows: int | None = from_setting("LEGACY_MAX_ROWS")
    _client: LegacyDatabase | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._client = self._connect()

    def _connect(self) -> LegacyDatabase:
        return LegacyDatabase(self.resolved("url"), max_rows=int(self.resolved("max_rows")))

    @property
    def client(self) -> LegacyDatabase:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def read_table(self, table: str, columns: Mapping[str, str]) -> tuple[pd.DataFrame, dict]:
        return self.client.read_table(table, columns)


class SourceBucket(ReadsSettings, S3Resource):
    """The S3 bucket of the three source files, and where in it each file is. On AWS, boto3's usual
    credential chain applies."""

    bucket: str | None = from_setting("S3_BUCKET")
    products_key: str | None = from_setting("PRODUCTS_KEY")
    card_details_key: str | None = from_setting("CARD_DETAILS_KEY")
    date_details_key: str | None = from_setting("DATE_DETAILS_KEY")
    products_max_bytes: int | None = from_setting("PRODUCTS_MAX_BYTES")
    products_max_line_bytes: int | None = from_setting("PRODUCTS_MAX_LINE_BYTES")
    card_details_max_bytes: int | None = from_setting("CARD_DETAILS_MAX_BYTES")
    date_details_max_bytes: int | None = from_setting("DATE_DETAILS_MAX_BYTES")
    endpoint_url: str | None = from_setting("S3_ENDPOINT_URL")
    region_name: str | None = from_setting("AWS_REGION")
    aws_access_key_id: str | None = from_setting("AWS_ACCESS_KEY_ID")
    aws_secret_access_key: str | None = from_setting("AWS_SECRET_ACCESS_KEY")
    _bucket: Bucket | None = PrivateAttr(default=None)
    _connecting: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    # No `setup_for_execution`: making a boto3 client takes 0.16 s of Python, which then delayed the
    # run's first step. The first read of the bucket makes it, in the raw step's reading thread, while
    # the other sources are being read.

    def _connect(self) -> Bucket:
        client = s3_client(
            max_attempts=self.max_attempts,
            region_name=self.resolved("region_name"),
            endpoint_url=s3_endpoint(self.resolved("endpoint_url")),
            use_unsigned_session=self.use_unsigned_session,
            profile_name=self.profile_name,
            use_ssl=self.use_ssl,
            verify=self.verify,
            aws_access_key_id=self.resolved("aws_access_key_id"),
            aws_secret_access_key=self.resolved("aws_secret_access_key"),
            aws_session_token=self.aws_session_token,
        )
        return Bucket(client, self.resolved("bucket"))

    @property
    def source(self) -> Bucket:
        with self._connecting:  # the PDF, CSV and JSON are read in threads of their own: one client
            if self._bucket is None:
                self._bucket = self._connect()
        return self._bucket

    def get_client(self):
        return self.source.client

    def bucket_name(self) -> str:
        return self.source.name

    def key_of(self, setting_name: str) -> str:
        """Where the file of `setting_name` (`PRODUCTS_KEY`, ...) is: this resource's field, else the setting."""
        return self.resolved(setting_name.lower())

    def get_object(
        self, key: str, max_bytes: int | None = None, limit_name: str = "the limit", if_match: str | None = None
    ) -> tuple[bytes, dict]:
        return self.source.get_object(key, max_bytes, limit_name, if_match)

    def limit(self, setting_name: str) -> int:
        """A size limit of a file of the bucket (`PRODUCTS_MAX_BYTES`, ...): this resource's field, else
        the setting."""
        return int(self.resolved(setting_name.lower()))


class StoresApiResource(ReadsSettings, ConfigurableResource):
    """The REST API of store details. Its key is only ever sent as a header: it never appears in
    config, logs, errors or metadata."""

    base_url: str | None = from_setting("STORES_API_URL")
    api_key: str | None = from_setting("STORES_API_KEY")
    concurrency: int | None = from_setting("STORES_API_CONCURRENCY")
    timeout_seconds: float | None = from_setting("STORES_API_TIMEOUT")
    max_retries: int | None = from_setting("STORES_API_RETRIES")
    max_body_bytes: int | None = from_setting("STORES_API_MAX_BODY_BYTES")
    backoff_seconds: float = 0.2
    _client: StoresApi | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._client = self._connect()

    def _connect(self) -> StoresApi:
        return StoresApi(
            base_url=self.resolved("base_url").rstrip("/"),
            key=self.resolved("api_key"),
            concurrency=int(self.resolved("concurrency")),
            timeout_seconds=float(self.resolved("timeout_seconds")),
            max_retries=int(self.resolved("max_retries")),
            max_body_bytes=int(self.resolved("max_body_bytes")),
            backoff_seconds=self.backoff_seconds,
        )

    @property
    def client(self) -> StoresApi:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def fetch_all(self, progress=None):
        return self.client.fetch_all(progress)


class PdfReaderResource(ReadsSettings, ConfigurableResource):
    """Reads the card-details PDF's table: from its text positions where a page can be verified, with
    tabula (Java) otherwise; see `clients.pdf_tables`. In a run, the two processes that read the pages
    are started when the run starts, whether or not it reads the PDF (under an executor that runs each
    step in a process of its own, by each step that uses this resource)."""

    fast_stream_mode: bool = True
    pages_per_run: int = 1400
    java_heap: str = "768m"
    max_pages: int | None = from_setting("CARD_DETAILS_MAX_PAGES")
    max_seconds_per_page: float | None = from_setting("CARD_DETAILS_MAX_SECONDS_PER_PAGE")
    mode: str | None = from_setting("CARD_DETAILS_PDF_READER")
    _page_readers: PageReaders | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        # The processes that read the pages start with the run, beside its other start-up work, so that
        # the read does not wait for them (about 60 ms each to start Python and pdfium).
        if self.resolved("mode") != "tabula":
            self._page_readers = PageReaders()

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._page_readers is not None:
            self._page_readers.close()
            self._page_readers = None

    @property
    def reader(self) -> PdfTableReader:
        return PdfTableReader(
            self.fast_stream_mode, self.pages_per_run, self.java_heap,
            max_pages=int(self.resolved("max_pages")), max_seconds_per_page=float(self.resolved("max_seconds_per_page")),
            mode=self.resolved("mode"), readers=self._page_readers,
        )

    def read_table(self, pdf: bytes, source: str = "The PDF", on_started: Callable[[], None] | None = None) -> pd.DataFrame:
        return self.reader.read_table(pdf, source, on_started)


@dataclass
class ReadAhead:
    """One read running ahead: its result (or error) when done, the lines it logged, and whether the
    step that started it failed (then its result must not be stored)."""

    future: Future
    log_lines: list[str] = field(default_factory=list)
    refused_because: str | None = None


class ReadsAheadResource(ConfigurableResource):
    """Source reads one step of a run starts for a later step of the same run, kept for that run only.

    Reading the card-details PDF is the run's longest job (Java extracting every page) and needs little
    of the interpreter, so the first raw step starts it in the background and the step that stores
    `raw/card_details` collects it as late as it can: meanwhile the other sources are read and cleaned
    on the other core. This only pays when steps share a process (the in-process executor): the
    definitions turn it off otherwise (`enabled`), and a step that finds nothing started for it reads
    the source itself."""

    enabled: bool = True
    _reads: dict = PrivateAttr(default_factory=dict)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def start(self, source: str, read: Callable[[Callable[[str], None]], object]) -> ReadAhead:
        """Run `read(log)` in a background thread; `log` collects lines for the step that takes it."""
        ahead = ReadAhead(Future())

        def run() -> None:
            if not ahead.future.set_running_or_notify_cancel():
                return
            try:
                ahead.future.set_result(read(ahead.log_lines.append))
            except BaseException as error:  # noqa: BLE001 - handed to the step that takes the read
                ahead.future.set_exception(error)

        with self._lock:
            self._reads[source] = ahead
        threading.Thread(target=run, name=f"read-ahead-{source}", daemon=True).start()
        return ahead

    def refuse(self, source: str, reason: str) -> None:
        """Mark the read so that its result is not stored (the step that started it failed)."""
        with self._lock:
            ahead = self._reads.get(source)
        if ahead is not None:
            ahead.refused_because = reason

    def take(self, source: str) -> ReadAhead | None:
        """The read started in this run for `source`, once; None if there is none."""
        with self._lock:
            return self._reads.pop(source, None)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        # A read nobody took (its step was not run): let its thread finish on its own, drop the result.
        with self._lock:
            self._reads.clear()


def configured_resources(read_ahead: bool) -> dict:
    """The resources of the definitions, each field from its environment variable when that is set."""
    from multinational_assets.defs.io_manager import PostgresDataFrameIOManager  # noqa: PLC0415

    warehouse = WarehouseResource.from_settings()
    return {
        "io_manager": PostgresDataFrameIOManager(warehouse=warehouse),
        "warehouse": warehouse,
        "legacy_database": LegacyDatabaseResource.from_settings(),
        "source_bucket": SourceBucket.from_settings(),
        "stores_api": StoresApiResource.from_settings(),
        "pdf_reader": PdfReaderResource.from_settings(),
        "reads_ahead": ReadsAheadResource(enabled=read_ahead),
    }
