"""The cleaning reference the README shows, made from the declarations themselves (so it cannot
drift from the code): what each kind of column reads, which columns are of that kind, and which
doubts each table reports.

`python -m multinational_assets.cleaning.reference` prints it; `make docs` writes it into the README
between its markers, and a test checks the README holds what this prints.
"""

from __future__ import annotations

import re
from pathlib import Path

START = "<!-- cleaning-reference: start (made by `make docs`) -->"
END = "<!-- cleaning-reference: end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def kinds_table() -> str:
    """One row per kind of column: the families of spellings it reads, and the columns of that kind."""
    from multinational_assets.sources import CLEAN_TABLES  # noqa: PLC0415 - the declarations

    kinds: dict[str, tuple[str, list[str]]] = {}
    for contract in CLEAN_TABLES:
        for column in contract.columns:
            name = type(column.kind).__name__
            accepts, used = kinds.setdefault(name, (column.kind.accepts, []))
            used.append(f"`{contract.table}.{column.name}`")
    lines = ["| kind | reads | columns |", "| --- | --- | --- |"]
    for name, (accepts, used) in kinds.items():
        lines.append(f"| {name} | {_cell(accepts)} | {', '.join(used)} |")
    return "\n".join(lines)


def doubts_table() -> str:
    """One row per non-blocking check of a clean table: what it reports."""
    from multinational_assets.sources import CLEAN_TABLES  # noqa: PLC0415

    lines = ["| table | check | reports (kept, never dropped) |", "| --- | --- | --- |"]
    for contract in CLEAN_TABLES:
        for doubt in contract.doubts:
            lines.append(f"| {contract.table} | `{doubt.name}` | {_cell(doubt.description)} |")
    return "\n".join(lines)


def reference_markdown() -> str:
    return f"{START}\n\n{kinds_table()}\n\n{doubts_table()}\n\n{END}"


def update_readme(path: Path) -> bool:
    """Write the reference into the README between its markers; True if it changed."""
    text = path.read_text()
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"{path} has no cleaning-reference markers")
    updated = pattern.sub(lambda _: reference_markdown(), text)
    if updated != text:
        path.write_text(updated)
    return updated != text


if __name__ == "__main__":
    print(reference_markdown())
