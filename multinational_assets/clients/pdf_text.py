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

import ctypes
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

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


def ruling_grid(page) -> Grid | None:
    """The grid drawn by the page's straight ruling lines (path segments), or None without one."""
    import pypdfium2.raw as pdfium_c  # noqa: PLC0415

    vertical, horizontal = [], []
    x, y = ctypes.c_float(), ctypes.c_float()
    # pdfium's own calls rather than `page.get_objects()`, which wraps every object of the page (each
    # text run too: 200 a page here) in a Python object before filtering; bound to local names, as
    # this loop makes about 800 calls a page.
    get_object, object_type, path = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDF_PAGEOBJ_PATH
    count_segments, get_segment = pdfium_c.FPDFPath_CountSegments, pdfium_c.FPDFPath_GetPathSegment
    get_point, segment_type = pdfium_c.FPDFPathSegment_GetPoint, pdfium_c.FPDFPathSegment_GetType
    line_to = pdfium_c.FPDF_SEGMENT_LINETO
    raw = page.raw
    for object_index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = get_object(raw, object_index)
        if object_type(obj) != path:
            continue
        start_x = start_y = None
        for index in range(count_segments(obj)):
            segment = get_segment(obj, index)
            get_point(segment, x, y)
            point_x, point_y = x.value, y.value
            if start_x is not None and segment_type(segment) == line_to:
                if abs(point_x - start_x) < 0.01 and abs(point_y - start_y) > _SAME_LINE:
                    vertical.append(point_x)
                elif abs(point_y - start_y) < 0.01 and abs(point_x - start_x) > _SAME_LINE:
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
    import pypdfium2.raw as pdfium_c  # noqa: PLC0415

    handle = textpage.raw
    # pdfium's own calls, bound to local names: the helpers' wrappers cost more than the work at
    # 60,000 lines a file.
    count_rects, get_rect = pdfium_c.FPDFText_CountRects, pdfium_c.FPDFText_GetRect
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    runs = []
    start = 0
    for line in textpage.get_text_range().split("\r\n"):
        length = len(line)
        if length:
            count = count_rects(handle, start, length)
            if count == 1:  # most lines: one rectangle, the whole line
                get_rect(handle, 0, left, top, right, bottom)
                runs.append((left.value, bottom.value, right.value, top.value, line.strip()))
            else:
                rects = []
                for index in range(count):
                    get_rect(handle, index, left, top, right, bottom)
                    rects.append((left.value, bottom.value, right.value, top.value))
                pieces = _pieces(handle, line, start, rects)
                for index, rect in enumerate(rects):
                    if pieces is not None:
                        piece = pieces[index].strip()
                    else:  # asking pdfium for the text inside the rectangle: right, but 40 us a call
                        piece = textpage.get_text_bounded(*rect).strip()
                    runs.append((*rect, piece))
        start += length + 2  # the "\r\n" pdfium puts between lines are characters of the page too
    return runs


def _pieces(handle, line: str, start: int, rects: list[tuple[float, float, float, float]]) -> list[str] | None:
    """A line's text cut where pdfium put the spaces it generated between pieces far apart, when that
    makes one piece per rectangle (left, bottom, right, top) and each piece's first character lies in
    its rectangle; else None."""
    import pypdfium2.raw as pdfium_c  # noqa: PLC0415

    cuts, at = [], line.find(" ")
    while at != -1:
        if pdfium_c.FPDFText_IsGenerated(handle, start + at) == 1:
            cuts.append(at)
        at = line.find(" ", at + 1)
    if len(cuts) != len(rects) - 1:
        return None
    firsts = [0, *(cut + 1 for cut in cuts)]
    pieces = [line[a:b] for a, b in zip(firsts, [*cuts, len(line)])]
    char = [ctypes.c_double() for _ in range(4)]
    for (left, bottom, right, top), first, piece in zip(rects, firsts, pieces):
        offset = len(piece) - len(piece.lstrip())
        if offset == len(piece):
            return None
        pdfium_c.FPDFText_GetCharBox(handle, start + first + offset, *char)  # left, right, bottom, top
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
    textpage = page.get_textpage()
    try:
        for left, bottom, right, top, text in text_runs(textpage):
            if not text:
                continue
            column = bisect_right(columns, (left + right) / 2) - 1
            row = bisect_right(descending, -(bottom + top) / 2) - 1
            if not (0 <= column < n_columns and 0 <= row < n_rows) or cells[row][column] is not None:
                return None  # outside the grid (a title, a footer), or two runs in one cell
            if (left < columns[column] - _SAME_LINE or right > columns[column + 1] + _SAME_LINE
                    or top > rows[row] + _SAME_LINE or bottom < rows[row + 1] - _SAME_LINE):
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


# Pages a process of its own reads at least: below this, a second process costs more than it saves.
MIN_PAGES_PER_PROCESS = 50


def verified_pages_in_own_process(
    pdf: bytes, page_count: int, seconds: float | None = None
) -> tuple[dict[int, list[list[str]]], list[int]] | None:
    """`verified_pages` in processes of their own (`python -m` this module on a share of the pages,
    JSON back in a file each), one per core: their Python loops then run beside the sources the run
    reads meanwhile instead of taking turns with them under the interpreter lock (10 s of it at ten
    times the real size), and the pages are read on both cores. A file of fewer pages than
    `MIN_PAGES_PER_PROCESS` is read here: a process would cost more than its pages. If a process
    fails, the pages are read here; if they take longer than `seconds`, they are killed and
    `ReadTooSlow` raised."""
    import os  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    import tempfile  # noqa: PLC0415
    import threading  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    if page_count < MIN_PAGES_PER_PROCESS:
        return verified_pages(pdf)
    shares = min(os.cpu_count() or 1, 2, page_count // MIN_PAGES_PER_PROCESS)  # at least 1 here
    size = max(1, -(-page_count // shares))
    ranges = [(first, first + size - 1) for first in range(1, page_count + 1, size)]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "table.pdf"
        source.write_bytes(pdf)
        outputs = [Path(folder) / f"pages-{first}.json" for first, _ in ranges]
        # Each writes its answer to a file: read from pipes one after the other, the second process
        # stalled on a full pipe until the first was read.
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "multinational_assets.clients.pdf_text", str(source), str(first), str(last), str(out)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            for (first, last), out in zip(ranges, outputs)
        ]
        # Waited for without a timeout, and killed by a timer at the deadline: `wait(timeout)` polls,
        # sleeping up to 50 ms between looks, which a read of a few hundred pages felt.
        late = threading.Event()

        def stop() -> None:
            late.set()
            for child in children:
                child.kill()

        timer = None if seconds is None else threading.Timer(seconds, stop)
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            codes = [child.wait() for child in children]
        finally:
            if timer is not None:
                timer.cancel()
        if late.is_set():
            raise ReadTooSlow
        if any(code != 0 for code in codes):
            return verified_pages(pdf)
        found = [_read_share(out.read_text(encoding="utf-8")) for out in outputs]
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
    cells: list[str] = []
    shapes = []
    for number, rows in pages.items():
        flat = [cell for row in rows for cell in row]
        if any(_CELL_BREAK in cell for cell in flat):
            unverified.append(number)
            continue
        cells += flat
        shapes.append((number, len(rows), len(rows[0]) if rows else 0))
    return json.dumps({"pages": shapes, "unverified": sorted(unverified)}) + "\n" + _CELL_BREAK.join(cells)


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


def _main() -> None:
    import sys  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    path, first, last, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    # Written in one go: a file written piece by piece makes one system call a piece when unbuffered.
    out.write_text(_write_share(verified_pages(Path(path).read_bytes(), first, last)), encoding="utf-8")


if __name__ == "__main__":
    _main()
