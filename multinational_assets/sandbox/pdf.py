"""The card-details PDF: a ruled four-column table, 55 rows a page under a repeated header row, in
one of two layouts:

- `report` (dialects 0 and 2): wide columns, every value left-aligned, the text of each column
  written top to bottom before the next column's;
- `spreadsheet` (dialect 1, as a spreadsheet program exports a sheet): narrow columns, a bold header,
  numbers and dates right-aligned in their cells, the text written row by row, cell after cell.

At scale 10 the file has about 2,790 pages, so drawing is kept lean: no platypus, and not even one
reportlab call per cell (without reportlab's optional C accelerators each `drawString` or
`textLine` costs tens of microseconds). Each page's grid and text are written as PDF operators
with the canvas's public `addLiteral`; fonts are selected with `setFont`, whose font and leading
persist across text objects (they belong to the graphics state). `invariant=1` keeps the
creation date and the random document id out of the file, so one input gives one byte sequence.

Every cell is ruled (a line between every row and every column) because tabula's lattice mode finds
cells from those lines; it then reads every row of every page right.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

HEADER = ("card_number", "expiry_date", "card_provider", "date_payment_confirmed")
ROWS_PER_PAGE = 55

def page_count(n_rows: int, rows_per_page: int = ROWS_PER_PAGE) -> int:
    """How many pages `write_card_details_pdf` makes for `n_rows` data rows."""
    return max(1, math.ceil(n_rows / rows_per_page))


def _pdf_string(text: str) -> str:
    """`text` as a PDF literal string: backslash and parentheses escaped."""
    if "\\" in text or "(" in text or ")" in text:
        text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({text})"


class _Layout:
    """The `report` layout: positions of the table's lines and text, the grid operators by number of
    data rows, and a page's text. Geometry in points: 56 rows (header + 55) of 13.75 pt fill A4
    between 36 pt margins; the columns fit the longest values ('????' + 19 digits, 'Diners Club /
    Carte Blanche') at 8 pt Helvetica."""

    COLUMN_WIDTHS: tuple[float, ...] = (150.0, 75.0, 160.0, 140.0)
    LEFT: float | None = None  # the table's left edge; None: centred on the page
    TOP_MARGIN = 36.0
    ROW_HEIGHT = 13.75
    FONT_SIZE = 8.0
    PADDING = 4.0
    BASELINE_OFFSET = 4.5  # from a cell's bottom line up to the text baseline
    LINE_WIDTH = 0.5

    def __init__(self) -> None:
        page_width, page_height = A4
        left = (page_width - sum(self.COLUMN_WIDTHS)) / 2 if self.LEFT is None else self.LEFT
        self.xs = [left]
        for width in self.COLUMN_WIDTHS:
            self.xs.append(self.xs[-1] + width)
        self.top = page_height - self.TOP_MARGIN
        self.header_baseline = self.top - self.ROW_HEIGHT + self.BASELINE_OFFSET
        self._grids: dict[int, str] = {}

    def grid(self, rows: int) -> str:
        """Stroke operators ruling `rows` data rows plus the header row."""
        if rows not in self._grids:
            ys = [self.top - i * self.ROW_HEIGHT for i in range(rows + 2)]
            x0, x1 = self.xs[0], self.xs[-1]
            ops = [f"{self.LINE_WIDTH} w"]
            ops += [f"{x0:.2f} {y:.2f} m {x1:.2f} {y:.2f} l" for y in ys]
            ops += [f"{x:.2f} {ys[0]:.2f} m {x:.2f} {ys[-1]:.2f} l" for x in self.xs]
            ops.append("S")
            self._grids[rows] = "\n".join(ops)
        return self._grids[rows]

    def draw_text(self, pdf: canvas.Canvas, columns: Sequence[Sequence[str]]) -> None:
        """The bold header and the page's rows, each column written top to bottom in turn."""
        pdf.setFont("Helvetica-Bold", self.FONT_SIZE, leading=self.ROW_HEIGHT)
        pdf.addLiteral(self._columns_text([[name] for name in HEADER], self.header_baseline))
        pdf.setFont("Helvetica", self.FONT_SIZE, leading=self.ROW_HEIGHT)
        pdf.addLiteral(self._columns_text(columns, self.header_baseline - self.ROW_HEIGHT))

    def _columns_text(self, columns: Sequence[Sequence[str]], baseline: float) -> str:
        ops = ["BT"]
        for x, column in zip(self.xs, columns):
            ops.append(f"1 0 0 1 {x + self.PADDING:.2f} {baseline:.2f} Tm")
            ops.append(" T*\n".join(f"{_pdf_string(value)} Tj" for value in column))
        ops.append("ET")
        return "\n".join(ops)


class _SpreadsheetLayout(_Layout):
    """The `spreadsheet` layout, as a spreadsheet program exports a sheet: narrow ruled columns, 6.5 pt
    text, numbers and dates right-aligned, the text written row by row, cell after cell."""

    COLUMN_WIDTHS = (92.0, 56.0, 118.0, 100.0)  # the widest values at 6.5 pt: 83, 48, 104 and 64 pt
    RIGHT_ALIGNED = (True, True, False, True)  # card number, expiry date, payment date
    LEFT, TOP_MARGIN = 40.0, 50.0
    ROW_HEIGHT, FONT_SIZE, PADDING, BASELINE_OFFSET, LINE_WIDTH = 12.0, 6.5, 2.0, 3.5, 0.3

    def __init__(self) -> None:
        from reportlab.pdfbase.pdfmetrics import getFont  # noqa: PLC0415

        super().__init__()
        self._widths = getFont("Helvetica").widths  # per character code, in 1/1000 of the font size

    def draw_text(self, pdf: canvas.Canvas, columns: Sequence[Sequence[str]]) -> None:
        pdf.setFont("Helvetica-Bold", self.FONT_SIZE)
        pdf.addLiteral(self._rows_text([HEADER], self.header_baseline, align=False))
        pdf.setFont("Helvetica", self.FONT_SIZE)
        pdf.addLiteral(self._rows_text(list(zip(*columns)), self.header_baseline - self.ROW_HEIGHT, align=True))

    def _width(self, text: str) -> float:
        return sum(self._widths[ord(ch)] for ch in text) * self.FONT_SIZE / 1000

    def _rows_text(self, rows: Sequence[Sequence[str]], baseline: float, align: bool) -> str:
        ops = ["BT"]
        for number, row in enumerate(rows):
            y = baseline - number * self.ROW_HEIGHT
            for column, value in enumerate(row):
                if align and self.RIGHT_ALIGNED[column]:
                    x = self.xs[column + 1] - self.PADDING - self._width(value)
                else:
                    x = self.xs[column] + self.PADDING
                ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm {_pdf_string(value)} Tj")
        ops.append("ET")
        return "\n".join(ops)


LAYOUTS = {"report": _Layout, "spreadsheet": _SpreadsheetLayout}


def geometry(layout: str) -> tuple[tuple[float, ...], float, float]:
    """A layout's column widths, font size and cell padding (points): every value must fit."""
    drawing = LAYOUTS[layout]
    return drawing.COLUMN_WIDTHS, drawing.FONT_SIZE, drawing.PADDING


def write_card_details_pdf(
    path: Path, columns: Sequence[Sequence[str]], rows_per_page: int = ROWS_PER_PAGE, layout: str = "report"
) -> int:
    """Write the table whose four columns (in `HEADER` order) are `columns` in `layout` (see the
    module's docstring); return the page count.

    Values must be single-line, printable ASCII text (card data is); anything else raises
    ValueError rather than being drawn wrong.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {tuple(LAYOUTS)}, got {layout!r}")
    if len(columns) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} columns, got {len(columns)}")
    n_rows = len(columns[0])
    if any(len(col) != n_rows for col in columns):
        raise ValueError("columns differ in length")
    for column in columns:
        joined = "".join(column)
        if not (joined.isascii() and joined.isprintable()):
            raise ValueError("card details values must be printable ASCII")

    drawing = LAYOUTS[layout]()
    pages = page_count(n_rows, rows_per_page)
    # Plain Flate streams: reportlab's default ASCII85 layer adds a quarter to the size and, in pure
    # Python, most of the write time. rl_config is global, so it is restored afterwards.
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        pdf.setTitle("card_details")
        for page in range(pages):
            start = page * rows_per_page
            stop = min(start + rows_per_page, n_rows)
            pdf.addLiteral(drawing.grid(stop - start))
            drawing.draw_text(pdf, [col[start:stop] for col in columns])
            pdf.showPage()
        pdf.save()
    finally:
        rl_config.useA85 = saved_a85
    return pages
