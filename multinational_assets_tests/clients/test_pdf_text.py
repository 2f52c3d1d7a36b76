"""The PDF read from text positions and ruling lines (pdfium) gives exactly what tabula gives, and
hands every page it cannot verify to tabula."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from multinational_assets.clients import SourceUnavailable
from multinational_assets.clients.pdf_tables import PdfTableReader
from multinational_assets.sandbox.pdf import write_card_details_pdf

pytestmark = pytest.mark.slow  # tabula starts a JVM

ROW = ["4111111111111111", "09/26", "Diners Club / Carte Blanche", "2020-01-01"]


def _pdf(tmp_path: Path, rows: list[list[str]], rows_per_page: int = 5) -> bytes:
    path = tmp_path / "cards.pdf"
    write_card_details_pdf(path, [list(col) for col in zip(*rows)], rows_per_page=rows_per_page)
    return path.read_bytes()


def test_every_page_of_the_sandbox_pdf_reads_the_same_both_ways(sandbox):
    pdf = (Path(sandbox.world) / "s3" / "card_details.pdf").read_bytes()
    fast = PdfTableReader(mode="auto").read_table(pdf)
    assert fast.attrs["pages_read_by_tabula"] == 0  # every page verified: no Java at all
    reference = PdfTableReader(mode="tabula").read_table(pdf)
    assert len(fast) == 15_309 and fast["page"].nunique() == 279
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), reference.reset_index(drop=True))


def test_an_empty_cell_reads_as_empty_as_tabula_reads_it(tmp_path):
    rows = [ROW] * 15
    rows[7] = [ROW[0], "", ROW[2], ROW[3]]  # page 2 of 3
    pdf = _pdf(tmp_path, rows)
    auto = PdfTableReader(mode="auto").read_table(pdf)
    assert auto.attrs["pages_read_by_tabula"] == 0
    pd.testing.assert_frame_equal(auto, PdfTableReader(mode="tabula").read_table(pdf))
    assert auto.iloc[7, 1:].tolist() == rows[7]
    pd.testing.assert_frame_equal(PdfTableReader(mode="fast").read_table(pdf), auto)


def test_text_crossing_a_rule_is_handed_to_tabula(tmp_path):
    """A value too long for its cell runs over the rule into the next cell (as overflowing text or a
    merged cell does): the page cannot be verified, so tabula reads it, and `fast` refuses it."""
    rows = [ROW] * 15
    rows[7] = [ROW[0], ROW[1], "Diners Club / Carte Blanche, Diners Club / Carte Blanche", ROW[3]]  # page 2 of 3
    pdf = _pdf(tmp_path, rows)
    auto = PdfTableReader(mode="auto").read_table(pdf)
    assert auto.attrs["pages_read_by_tabula"] == 1
    assert auto["page"].tolist() == ["1"] * 5 + ["2"] * 5 + ["3"] * 5
    # Where text crosses a rule, which cell a character belongs to is a guess: tabula's depends on how
    # it was asked (one page, or all). Every other row reads as tabula reads it.
    reference = PdfTableReader(mode="tabula").read_table(pdf)
    pd.testing.assert_frame_equal(auto.drop(index=7), reference.drop(index=7))
    assert auto.iloc[7, 3].startswith("Diners Club /")
    with pytest.raises(SourceUnavailable, match=r"1 page\(s\) cannot be read without tabula, the first 2"):
        PdfTableReader(mode="fast").read_table(pdf)


def test_an_unknown_mode_is_refused(tmp_path):
    with pytest.raises(ValueError, match="CARD_DETAILS_PDF_READER='quick'"):
        PdfTableReader(mode="quick").read_table(_pdf(tmp_path, [ROW] * 3))


def _spreadsheet_export_pdf(path: Path, rows: list[list[str]], rows_per_page: int = 40) -> bytes:
    """The card table as a spreadsheet program exports it, unlike the sandbox's PDF: narrow ruled
    columns, a bold header, numbers and dates right-aligned in their cells, text left-aligned, and the
    text written row by row (each cell drawn in turn), drawn with reportlab's ordinary calls."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    header = ["card_number", "expiry_date", "card_provider", "date_payment_confirmed"]
    widths, height = (92.0, 48.0, 118.0, 100.0), 12.0
    right_aligned = (True, True, False, True)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    left, top = 40.0, A4[1] - 50.0
    xs = [left]
    for width in widths:
        xs.append(xs[-1] + width)
    for start in range(0, len(rows), rows_per_page):
        page = [header, *rows[start:start + rows_per_page]]
        ys = [top - i * height for i in range(len(page) + 1)]
        pdf.setLineWidth(0.3)
        for y in ys:
            pdf.line(xs[0], y, xs[-1], y)
        for x in xs:
            pdf.line(x, ys[0], x, ys[-1])
        for number, row in enumerate(page):
            pdf.setFont("Helvetica-Bold" if number == 0 else "Helvetica", 6.5)
            baseline = ys[number] - height + 3.5
            for column, value in enumerate(row):
                if number > 0 and right_aligned[column]:
                    pdf.drawRightString(xs[column + 1] - 2, baseline, value)
                else:
                    pdf.drawString(xs[column] + 2, baseline, value)
        pdf.showPage()
    pdf.save()
    return path.read_bytes()


def test_a_spreadsheet_export_reads_the_same_both_ways(tmp_path):
    """Boundaries come from the ruling lines, so right-aligned values (past their header's left
    edge) land in their own cells; text stored row by row reads as well as column by column."""
    rows = [
        [f"{4111111111111111 + 7919 * i}", f"{1 + i % 12:02d}/2{i % 10}",
         ["VISA 16 digit", "Mastercard", "Diners Club / Carte Blanche", "JCB 15 digit"][i % 4],
         f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}"]
        for i in range(100)
    ]
    pdf = _spreadsheet_export_pdf(tmp_path / "export.pdf", rows)
    auto = PdfTableReader(mode="auto").read_table(pdf)
    print(f"pages read by tabula: {auto.attrs['pages_read_by_tabula']} of 3")
    assert auto.attrs["pages_read_by_tabula"] == 0
    assert auto.iloc[:, 1:].to_numpy().tolist() == rows
    pd.testing.assert_frame_equal(auto, PdfTableReader(mode="tabula").read_table(pdf))


def test_the_generators_spreadsheet_layout_reads_the_same_both_ways(tmp_path):
    """Dialect 1's card PDF (`layout="spreadsheet"`): narrow columns, right-aligned numbers and dates
    that start left of their header, the text written row by row; every page verified, as tabula reads it."""
    rows = [
        [f"{4111111111111111 + 7919 * i}", f"{1 + i % 12:02d}/2{i % 10}",
         ["VISA 16 DIGIT", "Mastercard", "DINERS CLUB / CARTE BLANCHE", "JCB 15 digit"][i % 4],
         ["2010-01-10", "October 23rd 1971", "1971/10/23", "23-Oct-1971"][i % 4]]
        for i in range(120)
    ]
    rows[3][0], rows[9][0] = "????4111111111111111111", "4111 1111 1111 1111"
    path = tmp_path / "export.pdf"
    assert write_card_details_pdf(path, [list(col) for col in zip(*rows)], layout="spreadsheet") == 3
    pdf = path.read_bytes()
    auto = PdfTableReader(mode="auto").read_table(pdf)
    assert auto.attrs["pages_read_by_tabula"] == 0
    assert auto.iloc[:, 1:].to_numpy().tolist() == rows
    pd.testing.assert_frame_equal(auto, PdfTableReader(mode="tabula").read_table(pdf))


def test_an_unknown_layout_is_refused(tmp_path):
    with pytest.raises(ValueError, match="layout must be one of"):
        write_card_details_pdf(tmp_path / "x.pdf", [[v] for v in ROW], layout="poster")


def test_a_file_of_few_pages_is_read_here_and_a_long_one_by_processes_alike(tmp_path, monkeypatch):
    """Below `MIN_PAGES_PER_PROCESS` pages no process is started (one would cost more than the pages);
    above it the pages are shared between processes, and both give what `verified_pages` gives."""
    import subprocess

    from multinational_assets.clients import pdf_text

    rows = [[f"4{n:015d}", "09/26", "VISA 16 digit", "2020-01-01"] for n in range(300)]
    few = _pdf(tmp_path, rows[:20], rows_per_page=5)  # 4 pages
    many = _pdf(tmp_path, rows, rows_per_page=2)  # 150 pages
    started = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: started.append(a) or real_popen(*a, **k))
    assert pdf_text.verified_pages_in_own_process(few, 4) == pdf_text.verified_pages(few)
    assert started == []
    read = pdf_text.verified_pages_in_own_process(many, 150)
    assert len(started) == 2
    assert read == pdf_text.verified_pages(many) and len(read[0]) == 150 and read[1] == []


def test_a_reading_process_hands_back_its_pages_whole_and_a_page_holding_the_cell_break_to_tabula():
    """The processes write their pages as one string of cells (`_write_share`); read back, every
    page has its rows and columns as read, the unverified pages are kept, and a page whose text holds
    the character that separates the cells is counted unverified rather than split wrongly."""
    from multinational_assets.clients import pdf_text

    pages = {
        3: [["card_number", "expiry_date"], ["4111", "09/26"], ["", "10/27"]],
        4: [["card_number", "expiry_date"]],
        5: [["card_number", "expiry_date"], ["41\x1f11", "09/26"]],
        7: [["a", "b", "c"], ["1", "2", "3"]],
    }
    shared = pdf_text._read_share(pdf_text._write_share(({**pages}, [6])))
    assert shared == ({n: rows for n, rows in pages.items() if n != 5}, [5, 6])
    assert pdf_text._read_share(pdf_text._write_share(None)) is None
    assert pdf_text._read_share(pdf_text._write_share(({}, [1, 2]))) == ({}, [1, 2])


def test_reader_processes_started_ahead_read_every_share_and_are_replaced_for_the_next_read(tmp_path, monkeypatch):
    """`PageReaders` started before the read: the read starts no process, a file of a few dozen pages
    is shared between them too (handing a share over costs a millisecond, not a start), and each
    process exits once it has read its share (its memory with it). The next read starts new ones, and
    one killed meanwhile is replaced; every read gives what `verified_pages` gives. The read does not
    wait for the used processes to exit: they are reaped when the next read starts."""
    import subprocess

    from multinational_assets.clients import pdf_text

    rows = [[f"4{n:015d}", "09/26", "VISA 16 digit", "2020-01-01"] for n in range(300)]
    few = _pdf(tmp_path, rows[:40], rows_per_page=2)  # 20 pages: below MIN_PAGES_PER_PROCESS
    many = _pdf(tmp_path, rows, rows_per_page=2)  # 150 pages
    with pdf_text.PageReaders(2) as readers:
        readers.wait_until_started()
        first_processes = list(readers._processes)
        asked = []
        real_read = readers.read
        monkeypatch.setattr(readers, "read", lambda *a, **k: asked.append(a[1]) or real_read(*a, **k))
        started = []
        real_popen = subprocess.Popen
        monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: started.append(a) or real_popen(*a, **k))
        assert pdf_text.verified_pages_in_own_process(few, 20, readers=readers) == pdf_text.verified_pages(few)
        assert started == []
        # Read their share and exit: set aside, not waited for by the read (reaped at the next start).
        assert readers._answered == first_processes and not set(first_processes) & set(readers._processes)
        assert all(process.wait(timeout=10) == 0 for process in first_processes)
        assert pdf_text.verified_pages_in_own_process(many, 150, readers=readers) == pdf_text.verified_pages(many)
        assert len(started) == 2
        assert [list(shares) for shares in asked] == [[(1, 10), (11, 20)], [(1, 75), (76, 150)]]
        readers.wait_until_started()
        assert len(started) == 4
        readers._processes[0].kill()
        readers._processes[0].wait()
        assert pdf_text.verified_pages_in_own_process(many, 150, readers=readers) == pdf_text.verified_pages(many)
        assert len(started) == 5  # only the killed one was replaced


def test_reader_processes_started_ahead_are_stopped_at_the_deadline_and_replaced_for_the_next_read(tmp_path):
    from multinational_assets.clients import pdf_text

    rows = [[f"4{n:015d}", "09/26", "VISA 16 digit", "2020-01-01"] for n in range(300)]
    many = _pdf(tmp_path, rows, rows_per_page=2)
    with pdf_text.PageReaders(2) as readers:
        readers.wait_until_started()
        before = [process.pid for process in readers._processes]
        with pytest.raises(pdf_text.ReadTooSlow):
            pdf_text.verified_pages_in_own_process(many, 150, seconds=0.001, readers=readers)
        assert all(process.poll() is not None for process in readers._processes)  # killed, reaped
        assert pdf_text.verified_pages_in_own_process(many, 150, readers=readers) == pdf_text.verified_pages(many)
        assert not set(before) & {process.pid for process in readers._processes}
    assert readers._processes == []


def test_a_read_broken_off_reads_here_and_leaves_no_process_with_a_request_pending(tmp_path, monkeypatch):
    """If the answers cannot be read (a pipe broke), the pages are read in this process, and the
    processes that were sent requests are replaced: one answering an old request later would
    otherwise be taken for the answer to the next."""
    from multinational_assets.clients import pdf_text

    rows = [[f"4{n:015d}", "09/26", "VISA 16 digit", "2020-01-01"] for n in range(300)]
    many = _pdf(tmp_path, rows, rows_per_page=2)
    expected = pdf_text.verified_pages(many)
    with pdf_text.PageReaders(2) as readers:
        readers.wait_until_started()
        before = {process.pid for process in readers._processes}

        def broken(process):
            raise BrokenPipeError

        monkeypatch.setattr(readers, "_answer", broken)
        assert pdf_text.verified_pages_in_own_process(many, 150, readers=readers) == expected
        monkeypatch.delattr(readers, "_answer")
        assert pdf_text.verified_pages_in_own_process(many, 150, readers=readers) == expected
        assert not before & {process.pid for process in readers._processes}


def test_the_warm_up_page_is_read_in_full_by_the_fast_reader():
    """A reading process warms up on this page before it says `ready`: it must go through every step
    of a real page (ruling lines, header, a right-aligned value), not be handed over."""
    from multinational_assets.clients import pdf_text

    assert pdf_text.verified_pages(pdf_text.warm_up_pdf()) == ({1: [["name", "value"], ["a", "1"]]}, [])
