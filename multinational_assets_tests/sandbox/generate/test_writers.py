"""The file formats: the legacy tables in Postgres COPY CSV form."""

from __future__ import annotations

import re
from pathlib import Path

from multinational_assets_tests.sandbox.world_readers import USER_TEXT


def test_users_copy_csv_quoting(world: Path) -> None:
    text = (world / "legacy" / "legacy_users.csv").read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    assert header == "index," + ",".join(USER_TEXT)
    # Every record: a bare integer, then 11 quoted strings (no NULLs among users).
    record = r'\d+(?:,"(?:[^"]|"")*"){11}\n'
    assert re.fullmatch(f"(?:{record})*", body)
