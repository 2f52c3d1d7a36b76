"""The README's cleaning reference is the one the declarations make (run `make docs` after changing
a kind or a table's declaration)."""

from multinational_assets.cli.docs import (
    END,
    SETTINGS_END,
    SETTINGS_START,
    START,
    TABLES_END,
    TABLES_START,
    reference_markdown,
    settings_markdown,
    tables_markdown,
)
from multinational_assets.settings import PROJECT_ROOT


def test_readme_cleaning_reference_is_up_to_date():
    readme = (PROJECT_ROOT / "README.md").read_text()
    start, end = readme.index(START), readme.index(END) + len(END)
    assert readme[start:end] == reference_markdown(), "run `make docs` to refresh the README's cleaning reference"
    start, end = readme.index(SETTINGS_START), readme.index(SETTINGS_END) + len(SETTINGS_END)
    assert readme[start:end] == settings_markdown(), "run `make docs` to refresh the README's settings table"
    architecture = (PROJECT_ROOT / "docs" / "architecture.md").read_text()
    start, end = architecture.index(TABLES_START), architecture.index(TABLES_END) + len(TABLES_END)
    assert architecture[start:end] == tables_markdown(), "run `make docs` to refresh docs/architecture.md"


def test_the_reference_names_every_kind_and_every_doubt():
    from multinational_assets.sources import CLEAN_TABLES

    text = reference_markdown()
    for contract in CLEAN_TABLES:
        for column in contract.columns:
            assert f"`{contract.table}.{column.name}`" in text
            assert type(column.kind).__name__ in text
        for doubt in contract.doubts:
            assert f"`{doubt.name}`" in text
