"""The cleaning reference the README shows, made from the declarations themselves (so it cannot
drift from the code): what each kind of column reads, which columns are of that kind, and which
doubts each table reports.

`python -m multinational_assets.cleaning.reference` prints it; `make docs` writes it into the README
(and the clean tables' columns into docs/architecture.md) between their markers, and a test checks
both hold what this makes.
"""

from __future__ import annotations

import re
from pathlib import Path

START = "<!-- cleaning-reference: start (made by `make docs`) -->"
END = "<!-- cleaning-reference: end -->"
TABLES_START = "<!-- clean-tables: start (made by `make docs`) -->"
TABLES_END = "<!-- clean-tables: end -->"


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


def tables_table() -> str:
    """One row per clean table: its columns in order (with their kinds), key and references."""
    from multinational_assets.sources import CLEAN_TABLES  # noqa: PLC0415

    lines = ["| table | from | columns (in order) | key | references |", "| --- | --- | --- | --- | --- |"]
    for contract in CLEAN_TABLES:
        columns = ", ".join(
            f"`{c.name}` ({c.kind.describe()}{f', from `{c.source}`' if c.source else ''})" for c in contract.columns
        )
        refs = ", ".join(f"`{column}` → {dimension}" for column, dimension in contract.references.items()) or "-"
        lines.append(f"| `{contract.table}` | `raw.{contract.raw_table}` | {_cell(columns)} | `{contract.key}` | {refs} |")
    return "\n".join(lines)


def reference_markdown() -> str:
    return f"{START}\n\n{kinds_table()}\n\n{doubts_table()}\n\n{END}"


def tables_markdown() -> str:
    return f"{TABLES_START}\n\n{tables_table()}\n\n{TABLES_END}"


def _replace_between(path: Path, start: str, end: str, content: str) -> bool:
    text = path.read_text()
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"{path} has no {start!r} marker")
    updated = pattern.sub(lambda _: content, text)
    if updated != text:
        path.write_text(updated)
    return updated != text


def update_docs(root: Path) -> list[str]:
    """Write the references into README.md and docs/architecture.md; the files that changed."""
    changed = []
    if _replace_between(root / "README.md", START, END, reference_markdown()):
        changed.append("README.md")
    if _replace_between(root / "docs" / "architecture.md", TABLES_START, TABLES_END, tables_markdown()):
        changed.append("docs/architecture.md")
    return changed


if __name__ == "__main__":
    print(reference_markdown())
