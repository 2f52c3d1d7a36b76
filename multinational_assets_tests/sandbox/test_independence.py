"""The sandbox is a separate part: of the rest of the package it imports only the settings, so the
truth it writes never comes from the cleaning code it checks."""

from __future__ import annotations

import ast
from pathlib import Path

import multinational_assets.sandbox as sandbox_package

ALLOWED = {"multinational_assets.settings"}


def test_the_sandbox_imports_nothing_of_the_pipeline_but_the_settings() -> None:
    root = Path(sandbox_package.__file__).parent
    outside: list[str] = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path}: relative import"
                names = [f"{node.module}.{alias.name}" for alias in node.names]
                if node.module != "multinational_assets":
                    names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            outside += [f"{path.relative_to(root)}: {name}" for name in names
                        if name.startswith("multinational_assets") and name not in ALLOWED
                        and not name.startswith("multinational_assets.sandbox")]
    assert outside == []
