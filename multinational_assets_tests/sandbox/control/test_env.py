"""`env`: its output can be sourced and used; commands that need a running sandbox say so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from multinational_assets.sandbox import control
from multinational_assets_tests.sandbox.control.tiny_sandbox import TINY_PRODUCTS, TINY_STORES, run_cli

pytestmark = pytest.mark.sandbox


def test_env_output_can_be_sourced_and_used(tiny):
    run_cli("up")
    env_out = run_cli("env").stdout
    lines = env_out.strip().splitlines()
    names = [line.split("=", 1)[0].removeprefix("export ") for line in lines]
    assert all(line.startswith("export ") for line in lines)
    for name in ("LEGACY_DATABASE_URL", "WAREHOUSE_URL", "DAGSTER_STORAGE_URL", "S3_ENDPOINT_URL",
                 "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "S3_BUCKET", "STORES_API_URL", "STORES_API_KEY"):
        assert name in names
    probe = (
        "import os, json, urllib.request, boto3, sqlalchemy as sa\n"
        "e = sa.create_engine(os.environ['LEGACY_DATABASE_URL'])\n"
        "with e.connect() as c: users = c.execute(sa.text('select count(*) from legacy_users')).scalar()\n"
        "for var in ('WAREHOUSE_URL', 'DAGSTER_STORAGE_URL'):\n"
        "    with sa.create_engine(os.environ[var]).connect() as c: c.execute(sa.text('select 1'))\n"
        "s3 = boto3.client('s3', endpoint_url=os.environ['S3_ENDPOINT_URL'], region_name='eu-west-1')\n"
        "size = len(s3.get_object(Bucket=os.environ['S3_BUCKET'], Key='products.csv')['Body'].read())\n"
        "req = urllib.request.Request(os.environ['STORES_API_URL'] + '/number_stores',"
        " headers={'x-api-key': os.environ['STORES_API_KEY']})\n"
        "stores = json.loads(urllib.request.urlopen(req).read())['number_stores']\n"
        "print(json.dumps([users, size, stores]))\n"
    )
    # A clean shell: only what `env` exports points anywhere (the probe must not fall back on defaults).
    shell_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root")}
    script = f'eval "$({shlex_quote(str(Path(sys.executable).with_name("multinational")))} sandbox env)" && ' \
             f'{shlex_quote(sys.executable)} -c {shlex_quote(probe)}'
    shell_env["MULTINATIONAL_SANDBOX_DIR"] = os.environ["MULTINATIONAL_SANDBOX_DIR"]
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=shell_env, timeout=120)
    assert result.returncode == 0, result.stderr
    users, size, stores = json.loads(result.stdout.strip().splitlines()[-1])
    assert users == 3 and size == len(TINY_PRODUCTS.encode()) and stores == len(TINY_STORES)


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def test_commands_need_a_running_sandbox(tiny):
    with pytest.raises(control.SandboxError, match="not up"):
        control.env_vars()
    with pytest.raises(control.SandboxError, match="not up"):
        control.stage_s3("products.csv", tiny / "world" / "s3" / "products.csv")
    result = run_cli("env", check=False)
    assert result.returncode == 1 and "not up" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("stage", "legacy", "orders_table", str(tiny / "nope.csv"), check=False)
    assert missing.returncode == 1 and "file not found" in missing.stderr
