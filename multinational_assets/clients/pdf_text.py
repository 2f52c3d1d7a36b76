"""Reading a ruled PDF table from the positions of its text and its ruling lines (pdfium), without Java.

A page is read here only when it can be verified: its ruling lines make a grid (column edges from the
vertical lines, row edges from the horizontal ones), its first row is the expected header, every run of
text lies wholly inside one cell (none crosses a rule, as text overflowing into the next cell or a
merged cell would), no cell holds two runs, and no text lies outside the grid. A cell with no text is
an empty value, as tabula reads it. Boundaries come from the ruling lines, not from header positions,
so right-aligned numbers and left-aligned text both land in their cells. A page that fails any of this
is handed back (`None`) for tabula to read.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import subprocess
import sys
import tempfile
import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from types import SimpleNamespace

# Points: ruling lines closer than this are one line (a rule drawn twice, or a cell border shared).
_SAME_LINE = 1.0


@dataclass(frozen=True)
class Grid:
    """A page's table grid: column edges left to right, row edges top to bottom (PDF points)."""

    columns: tuple[float, ...]
    rows: tuple[float, ...]


def _merge(values: list[float]) -> tuple[float, ...]:
    merged: list[float] = []
    for value in sorted(values):
        if not merged or value - merged[-1] > _SAME_LINE:
            merged.append(value)
    return tuple(merged)


@functools.cache
def _pdfium() -> SimpleNamespace:
    """The pdfium calls made hundreds of times a page, declared on plain integers: handles as
    addresses and out-parameters as the addresses of values made once, so that no call wraps a
    handle in a Python pointer object or converts an argument (0.13 ms a page of 1.2). The same
    functions as `pypdfium2.raw`'s, at the same addresses; made once per process."""
    import pypdfium2.raw as pdfium_c  # noqa: PLC0415

    address, integer = ctypes.c_void_p, ctypes.c_int

    def declared(function, result, *arguments):
        return ctypes.CFUNCTYPE(result, *arguments)(ctypes.cast(function, address).value)

    return SimpleNamespace(
        count_objects=declared(pdfium_c.FPDFPage_CountObjects, integer, address),
        get_object=declared(pdfium_c.FPDFPage_GetObject, address, address, integer),
        count_segments=declared(pdfium_c.FPDFPath_CountSegments, integer, address),
        get_segment=declared(pdfium_c.FPDFPath_GetPathSegment, address, address, integer),
        get_point=declared(pdfium_c.FPDFPathSegment_GetPoint, integer, address, address, address),
        segment_type=declared(pdfium_c.FPDFPathSegment_GetType, integer, address),
        count_rects=declared(pdfium_c.FPDFText_CountRects, integer, address, integer, integer),
        get_rect=declared(pdfium_c.FPDFText_GetRect, integer, address, integer, address, address, address, address),
        is_generated=declared(pdfium_c.FPDFText_IsGenerated, integer, address, integer),
        get_char_box=declared(pdfium_c.FPDFText_GetCharBox, integer, address, integer, address, address, address, address),
        line_to=pdfium_c.FPDF_SEGMENT_LINETO,
    )


def _address(handle) -> int:
    """A pypdfium2 handle (a ctypes pointer) as the integer `_pdfium`'s calls take."""
    return ctypes.cast(handle, ctypes.c_void_p).value


def ruling_grid(page) -> Grid | None:
    """The grid drawn by the page's straight ruling lines (path segments), or None without one."""
    vertical, horizontal = [], []
    x, y = ctypes.c_float(), ctypes.c_float()
    at_x, at_y = ctypes.addressof(x), ctypes.addressof(y)
    # pdfium's own calls rather than `page.get_objects()`, which wraps every object of the page (each
    # text run too: 200 a page here) in a Python object before filtering; bound to local names and
    # mapped over the objects, as this makes about 600 calls a page.
    calls = _pdfium()
    get_object, count_segments, get_segment = calls.get_object, calls.count_segments, calls.get_segment
    get_point, segment_type, line_to = calls.get_point, calls.segment_type, calls.line_to
    raw = _address(page.raw)
    count = calls.count_objects(raw)
    objects = list(map(get_object, repeat(raw, count), range(count)))
    # No type asked first: pdfium counts -1 segments for an object that is not a path (a text run).
    for obj, segments in zip(objects, map(count_segments, objects)):
        start_x = start_y = None
        for index in range(segments):
            segment = get_segment(obj, index)
            get_point(segment, at_x, at_y)
            point_x, point_y = x.value, y.value
            if start_x is not None:
                # A straight line drawn (not a move of the pen): its type is asked only when the
                # segment is level or upright, as a line of a grid is.
                dx, dy = point_x - start_x, point_y - start_y
                if -0.01 < dx < 0.01:
                    if (dy > _SAME_LINE or dy < -_SAME_LINE) and segment_type(segment) == line_to:
                        vertical.append(point_x)
                elif -0.01 < dy < 0.01 and (dx > _SAME_LINE or dx < -_SAME_LINE) and segment_type(segment) == line_to:
                    horizontal.append(point_y)
            start_x, start_y = point_x, point_y
    columns, rows = _merge(vertical), _merge(horizontal)
    if len(columns) < 2 or len(rows) < 2:
        return None
    # The transform of a path object is assumed to be the identity (as report writers draw tables);
    # a page drawn otherwise fails the checks below and goes to tabula.
    return Grid(columns, tuple(reversed(rows)))


def text_runs(textpage) -> list[tuple[float, float, float, float, str]]:
    """Every run of text on the page: (left, bottom, right, top, text). A line of the page's text is
    one run unless pdfium splits it into several rectangles (pieces far apart: a spreadsheet export
    writes a whole row as one line, one piece per cell)."""
    handle = textpage.raw
    # pdfium's own calls, bound to local names: the helpers' wrappers cost more than the work at
    # 60,000 lines a file.
    calls = _pdfium()
    count_rects, get_rect, address = calls.count_rects, calls.get_rect, _address(handle)
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    at_left, at_top, at_right, at_bottom = (ctypes.addressof(edge) for edge in (left, top, right, bottom))
    runs = []
    start = 0
    for line in textpage.get_text_range().split("\r\n"):
        length = len(line)
        if length:
            count = count_rects(address, start, length)
            if count == 1:  # most lines: one rectangle, the whole line
                get_rect(address, 0, at_left, at_top, at_right, at_bottom)
                runs.append((left.value, bottom.value, right.value, top.value, line.strip()))
            else:
                rects = []
                for index in range(count):
                    get_rect(address, index, at_left, at_top, at_right, at_bottom)
                    rects.append((left.value, bottom.value, right.value, top.value))
                pieces = _pieces(address, line, start, rects)
                for index, rect in enumerate(rects):
                    if pieces is not None:
                        piece = pieces[index].strip()
                    else:  # asking pdfium for the text inside the rectangle: right, but 40 us a call
                        piece = textpage.get_text_bounded(*rect).strip()
                    runs.append((*rect, piece))
        start += length + 2  # the "\r\n" pdfium puts between lines are characters of the page too
    return runs


def _pieces(address: int, line: str, start: int, rects: list[tuple[float, float, float, float]]) -> list[str] | None:
    """A line's text cut where pdfium put the spaces it generated between pieces far apart, when that
    makes one piece per rectangle (left, bottom, right, top) and each piece's first character lies in
    its rectangle; else None. `address`: the text page's (`_address`)."""
    calls = _pdfium()
    cuts, at = [], line.find(" ")
    while at != -1:
        if calls.is_generated(address, start + at) == 1:
            cuts.append(at)
        at = line.find(" ", at + 1)
    if len(cuts) != len(rects) - 1:
        return None
    firsts = [0, *(cut + 1 for cut in cuts)]
    pieces = [line[a:b] for a, b in zip(firsts, [*cuts, len(line)])]
    char = [ctypes.c_double() for _ in range(4)]
    at_char = [ctypes.addressof(edge) for edge in char]
    for (left, bottom, right, top), first, piece in zip(rects, firsts, pieces):
        offset = len(piece) - len(piece.lstrip())
        if offset == len(piece):
            return None
        calls.get_char_box(address, start + first + offset, *at_char)  # left, right, bottom, top
        x, y = (char[0].value + char[1].value) / 2, (char[2].value + char[3].value) / 2
        if not (left <= x <= right and bottom <= y <= top):
            return None
    return pieces


def page_rows(page, header: Sequence[str] | None) -> list[list[str]] | None:
    """The page's table as rows of cell texts (its header row first), or None when the page cannot be
    verified (see the module's docstring). `header`: the header every page must start with (None for
    the first page, which sets it)."""
    grid = ruling_grid(page)
    if grid is None:
        return None
    columns, rows = grid.columns, grid.rows
    n_columns, n_rows = len(columns) - 1, len(rows) - 1
    cells: list[list[str | None]] = [[None] * n_columns for _ in range(n_rows)]
    descending = [-edge for edge in rows]  # row edges top to bottom, as ascending numbers for bisect
    # Each edge widened by the tolerance once, not at every run.
    lowest_left = [edge - _SAME_LINE for edge in columns]
    highest_right = [edge + _SAME_LINE for edge in columns]
    highest_top = [edge + _SAME_LINE for edge in rows]
    lowest_bottom = [edge - _SAME_LINE for edge in rows]
    textpage = page.get_textpage()
    try:
        for left, bottom, right, top, text in text_runs(textpage):
            if not text:
                continue
            column = bisect_right(columns, (left + right) / 2) - 1
            row = bisect_right(descending, -(bottom + top) / 2) - 1
            if not (0 <= column < n_columns and 0 <= row < n_rows) or cells[row][column] is not None:
                return None  # outside the grid (a title, a footer), or two runs in one cell
            if (left < lowest_left[column] or right > highest_right[column + 1]
                    or top > highest_top[row] or bottom < lowest_bottom[row + 1]):
                return None  # the run crosses a rule: overflowing text, a merged cell
            cells[row][column] = text
    finally:
        textpage.close()
    table = [["" if cell is None else cell for cell in row] for row in cells]  # no text: an empty value
    if header is not None and table[0] != list(header):
        return None
    return table


def verified_pages(
    pdf: bytes, first: int = 1, last: int | None = None
) -> tuple[dict[int, list[list[str]]], list[int]] | None:
    """Every page of the file (or of pages `first` to `last`) that can be verified, as rows (page
    number -> rows, header first), and the numbers of the pages that cannot; None when pdfium cannot
    open the file."""
    import pypdfium2  # noqa: PLC0415

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError:
        return None
    pages: dict[int, list[list[str]]] = {}
    unverified: list[int] = []
    header = None
    try:
        for number in range(first, min(last or len(document), len(document)) + 1):
            page = document[number - 1]
            try:
                rows = page_rows(page, header)
            finally:
                page.close()
            if rows is None:
                unverified.append(number)
                continue
            header = header or rows[0]
            pages[number] = rows
    finally:
        document.close()
    return pages, unverified


class ReadTooSlow(Exception):
    """The pages were not read within the time they were given."""


# Pages a process started for the read reads at least: below this, a process costs more than it
# saves (about 60 ms to start Python and pdfium, against 1.5 to 2 ms a page).
MIN_PAGES_PER_PROCESS = 50
# Pages a process already running (`PageReaders` started ahead) reads at least: handing it a share
# costs about a millisecond.
MIN_PAGES_PER_READY_PROCESS = 8


def reading_process_count() -> int:
    """How many processes read a PDF's pages: one a core, at most two (the run reads its other
    sources meanwhile)."""
    return min(os.cpu_count() or 1, 2)


class PageReaders:
    """Processes that each read one share of a PDF's pages from their text (`python -m` this module,
    `_read_one_share`), answering with the share on their output pipe, then exiting.

    Started before the read (the PDF reader resource starts them with the run), their start-up is off
    the read's path. The processes a read used (or that were killed at a deadline, or crashed) are
    replaced when the next read starts. Closing the pool ends them; so does the end of the process
    that started them (their requests' pipe closes)."""

    def __init__(self, count: int | None = None) -> None:
        self.count = reading_process_count() if count is None else count
        self._processes: list[subprocess.Popen] = []
        self._started: set[subprocess.Popen] = set()  # those whose `ready` has been read
        self._answered: list[subprocess.Popen] = []  # used: exiting, reaped at the next start or close
        self._lock = threading.Lock()
        self._start_missing()

    def _start_missing(self) -> None:
        for process in self._answered:  # exited by now: reaped, their pipes closed
            process.wait()
            _close_pipes(process)
        self._answered = []
        for process in self._processes:
            if process.poll() is not None:  # ended: its pipes are closed, and a new one takes its place
                _close_pipes(process)
        self._processes = [process for process in self._processes if process.returncode is None]
        self._started &= set(self._processes)
        self._processes += [
            subprocess.Popen(
                [sys.executable, "-m", __name__],
                # Bytes, not text: a share is read by its length, and no line ending in a cell is translated.
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
            for _ in range(self.count - len(self._processes))
        ]

    def read(self, source: Path, shares: Sequence[tuple[int, int]], seconds: float | None = None) -> list[str] | None:
        """Pages `first` to `last` of the PDF at `source` read, one share (first, last) per process:
        each share as `_write_share` wrote it, or None when one could not be read. If they take
        longer than `seconds`, the processes are killed and `ReadTooSlow` raised."""
        with self._lock:
            self._start_missing()
            processes = self._processes[: len(shares)]
            # Answers awaited without a timeout, and the processes killed by a timer at the deadline:
            # a wait with a timeout polls, sleeping up to 50 ms between looks. The timer starts before
            # the processes get work: once they have it, they hold both cores and a new thread waited
            # milliseconds to be scheduled.
            late = threading.Event()

            def stop() -> None:
                late.set()
                for process in processes:
                    process.kill()

            timer = None if seconds is None else threading.Timer(seconds, stop)
            if timer is not None:
                timer.daemon = True
                timer.start()
            answers: list[str | None] = []
            try:
                for process, (first, last) in zip(processes, shares, strict=True):
                    process.stdin.write(f"{source}\t{first}\t{last}\n".encode())
                    process.stdin.flush()
                answers = [self._answer(process) for process in processes]
            except OSError:  # a process ended since it was checked
                pass
            finally:
                if timer is not None:
                    timer.cancel()
                unanswered = len(answers) < len(processes)
                if unanswered:  # a request may be left pending: these processes are not used again
                    for process in processes:
                        process.kill()
                if unanswered or late.is_set():
                    for process in processes:
                        process.wait()
            if late.is_set():
                raise ReadTooSlow
            # Each exits once it has answered; it is reaped later, not waited for here (1.3 ms, the
            # kernel unmapping its memory).
            self._processes = [process for process in self._processes if process not in processes]
            self._answered += processes
            if not answers or any(answer is None for answer in answers):
                return None
            return answers

    def _answer(self, process: subprocess.Popen) -> str | None:
        """The share the process answers with (past the `ready` it says once, when started); None
        when it answers `failed`, or ends before the whole share is read (killed at the deadline)."""
        line = process.stdout.readline().strip()
        if line == b"ready" and process not in self._started:
            self._started.add(process)
            line = process.stdout.readline().strip()
        if not line.startswith(b"done "):
            return None
        size = int(line.removeprefix(b"done "))
        share = process.stdout.read(size)
        return share.decode("utf-8") if len(share) == size else None

    def wait_until_started(self) -> None:
        """Return once every process has started (Python and pdfium loaded), starting any missing."""
        with self._lock:
            self._start_missing()
            for process in self._processes:
                if process not in self._started and process.stdout.readline().strip() == b"ready":
                    self._started.add(process)

    def close(self) -> None:
        """End the processes: their requests' pipe closes and they exit; one that does not is killed."""
        with self._lock:
            self._processes += self._answered
            self._answered = []
            for process in self._processes:
                with contextlib.suppress(OSError):
                    process.stdin.close()  # a process still waiting for its request exits
            for process in self._processes:
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                _close_pipes(process)
            self._processes, self._started = [], set()

    def __enter__(self) -> PageReaders:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _close_pipes(process: subprocess.Popen) -> None:
    for pipe in (process.stdin, process.stdout):
        with contextlib.suppress(OSError):
            pipe.close()


def verified_pages_in_own_process(
    pdf: bytes, page_count: int, seconds: float | None = None, readers: PageReaders | None = None,
    saved_at: Path | None = None,
) -> tuple[dict[int, list[list[str]]], list[int]] | None:
    """`verified_pages` in processes of their own, each on a share of the pages, one per core (at
    most two): their Python loops then run beside the sources the run reads meanwhile instead of
    taking turns with them under the interpreter lock (10 s of it at ten times the real size), and the
    pages are read on both cores. `readers`: processes started ahead (else they are started now). A
    file of too few pages to share is read here (`MIN_PAGES_PER_PROCESS`, or
    `MIN_PAGES_PER_READY_PROCESS` with `readers`). If a process fails, the pages are read here; if
    they take longer than `seconds`, the processes are killed and `ReadTooSlow` raised. `saved_at`:
    the file the bytes are already in, if any (else they are written to a temporary one)."""
    least = MIN_PAGES_PER_PROCESS if readers is None else MIN_PAGES_PER_READY_PROCESS
    cores = reading_process_count() if readers is None else readers.count
    if page_count < least:
        return verified_pages(pdf)
    shares = min(cores, page_count // least)
    size = -(-page_count // shares)
    jobs = [(first, min(first + size - 1, page_count)) for first in range(1, page_count + 1, size)]
    # The shares come back on the processes' pipes, not in files: deleting two files just written
    # took 0.5 to 1.8 ms.
    with contextlib.nullcontext() if saved_at else tempfile.TemporaryDirectory() as folder:
        source = saved_at
        if source is None:
            source = Path(folder) / "table.pdf"
            source.write_bytes(pdf)
        with contextlib.nullcontext(readers) if readers is not None else PageReaders(len(jobs)) as pool:
            texts = pool.read(source, jobs, seconds)
    if texts is None:
        return verified_pages(pdf)
    from multinational_assets.memory import collection_paused  # noqa: PLC0415 - not in the reading processes

    with collection_paused():
        found = [_read_share(text) for text in texts]
    if any(part is None for part in found):
        return None
    pages = {number: rows for part in found for number, rows in part[0].items()}
    unverified = [number for part in found for number in part[1]]
    if pages:  # each process checked its pages against its own first header: all against the first
        header = pages[min(pages)][0]
        unverified += [number for number, rows in pages.items() if rows[0] != header]
        pages = {number: rows for number, rows in pages.items() if rows[0] == header}
    return pages, sorted(unverified)


# Between the cells of a share written by a reading process. A page whose text holds this control
# character is left to tabula, so a cell never contains it.
_CELL_BREAK = "\x1f"


def _write_share(found: tuple[dict[int, list[list[str]]], list[int]] | None) -> str:
    """A process's pages as text: a JSON line with the page numbers, row and column counts and the
    unverified pages, then every cell, page by page and row by row, with `_CELL_BREAK` between. JSON
    of every cell took the parent 0.28 s to parse at ten times the real size; splitting a string,
    a few milliseconds."""
    import json  # noqa: PLC0415

    if found is None:
        return "null\n"
    pages, unverified = found
    written: list[str] = []
    shapes = []
    for number, rows in pages.items():
        flat = [cell for row in rows for cell in row]
        page = _CELL_BREAK.join(flat)
        if flat and page.count(_CELL_BREAK) != len(flat) - 1:  # a cell holds the separator (counted in C)
            unverified.append(number)
            continue
        if flat:
            written.append(page)
        shapes.append((number, len(rows), len(rows[0]) if rows else 0))
    return json.dumps({"pages": shapes, "unverified": sorted(unverified)}) + "\n" + _CELL_BREAK.join(written)


def _read_share(text: str) -> tuple[dict[int, list[list[str]]], list[int]] | None:
    """What `_write_share` wrote, back as (page number -> rows, unverified page numbers)."""
    import json  # noqa: PLC0415

    meta, _, body = text.partition("\n")
    shapes = json.loads(meta)
    if shapes is None:
        return None
    cells = body.split(_CELL_BREAK) if body else []
    pages, at = {}, 0
    for number, row_count, width in shapes["pages"]:
        pages[number] = [cells[start:start + width] for start in range(at, at + row_count * width, width)]
        at += row_count * width
    if at != len(cells):
        raise ValueError(f"a PDF reading process wrote {len(cells):,} cells for pages that hold {at:,}")
    return pages, shapes["unverified"]


def warm_up_pdf() -> bytes:
    """A one-page PDF of a ruled two-by-two table (a bold header, then `a`, `1`) in the standard
    fonts, which a reading process reads before it says `ready`."""
    content = (
        b"0.5 w 10 10 m 190 10 l 10 50 m 190 50 l 10 90 m 190 90 l 10 10 m 10 90 l 100 10 m 100 90 l "
        b"190 10 m 190 90 l S BT /F2 10 Tf 15 65 Td (name) Tj ET BT /F2 10 Tf 105 65 Td (value) Tj ET "
        b"BT /F1 10 Tf 15 25 Td (a) Tj ET BT /F1 10 Tf 180 25 Td (1) Tj ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >>"
        b" /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(pdf)


def _read_one_share() -> None:
    """A `PageReaders` process: says `ready` once pdfium is loaded and warmed up, then reads one
    request (PDF path, first page, last page, tab-separated), answers `done` and the share's length
    in bytes on a line, then the share (`failed` if it could not read it), and exits at once: its
    memory goes with it (a process that stayed held its share's rows for the rest of the run), and
    nothing is torn down object by object."""
    import pypdfium2  # noqa: F401, PLC0415 - loaded before the request, while the process waits

    # A small page read first, while the process waits: the first page a fresh process reads costs
    # 1.5 to 3 ms more than the next (pdfium loading its standard fonts, Python's first calls).
    verified_pages(warm_up_pdf())
    answers = sys.stdout.buffer
    answers.write(b"ready\n")
    answers.flush()
    request = sys.stdin.readline()
    if not request:  # the pipe closed unused: the pool was closed
        return
    try:
        path, first, last = request.rstrip("\n").split("\t")
        share = _write_share(verified_pages(Path(path).read_bytes(), int(first), int(last))).encode("utf-8")
        answer = b"done %d\n%s" % (len(share), share)
    except Exception:  # noqa: BLE001 - the parent reads the pages itself
        answer = b"failed\n"
    answers.write(answer)  # in one go: the pipe holds 64 KB, and the parent reads the rest as it comes
    answers.flush()
    os._exit(0)


if __name__ == "__main__":
    _read_one_share()
