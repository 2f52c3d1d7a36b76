"""The parts of the docs made from the declarations themselves, so they cannot drift from the code:
what each kind of column reads and which doubts each table reports (README), every setting (README),
and the clean tables' columns (docs/architecture.md).

`python -m multinational_assets.cli.docs` prints the cleaning reference; `make docs` writes every
part between its markers, and a test checks the docs hold what this makes.
"""

from __future__ import annotations

import re
from pathlib import Path

START = "<!-- cleaning-reference: start (made by `make docs`) -->"
END = "<!-- cleaning-reference: end -->"
TABLES_START = "<!-- clean-tables: start (made by `make docs`) -->"
TABLES_END = "<!-- clean-tables: end -->"
SETTINGS_START = "<!-- settings: start (made by `make docs`) -->"
SETTINGS_END = "<!-- settings: end -->"


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


def settings_table() -> str:
    """One row per environment variable: what it means and what it is when unset."""
    from multinational_assets.settings import SETTINGS  # noqa: PLC0415

    lines = ["| variable | meaning | when unset |", "| --- | --- | --- |"]
    for setting in SETTINGS.values():
        if callable(setting.default):
            unset = "the sandbox's"
        elif setting.default is None:
            unset = "-"
        else:
            unset = f"`{setting.default}`"
        lines.append(f"| `{setting.name}` | {_cell(setting.meaning)} | {unset} |")
    return "\n".join(lines)


def settings_markdown() -> str:
    return f"{SETTINGS_START}\n\n{settings_table()}\n\n{SETTINGS_END}"


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
    if _replace_between(root / "README.md", SETTINGS_START, SETTINGS_END, settings_markdown()):
        changed.append("README.md (settings)")
    if _replace_between(root / "docs" / "architecture.md", TABLES_START, TABLES_END, tables_markdown()):
        changed.append("docs/architecture.md")
    return changed


if __name__ == "__main__":
    print(reference_markdown())
