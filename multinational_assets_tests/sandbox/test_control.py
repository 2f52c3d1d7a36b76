"""`up` / `down` / `status` / `env` / `stage` on a tiny hand-made world in a private sandbox directory.

These tests do not need the world generator: the tiny world follows the layout of docs/architecture.md
with a few rows per file, and its manifest says seed 0 / scale 1 so `up` serves it as it is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from multinational_assets.sandbox import control, postgres

PROJECT_ROOT = Path(__file__).resolve().parents[2]

TINY_USERS = (
    '"index","first_name","last_name","date_of_birth","company","email_address","address","country",'
    '"country_code","phone_number","join_date","user_uuid"\n'
    '2,"Hans D.","Gießen","1971/10/23","Acme","hans@@example.de","Hauptstr. 1\n12345 Gießen","Germany",'
    '"DE","+49(0) 047905356","2001-02-03","6f1c3a2e-1d6c-4d2b-9f0e-2b1b1f0c9a11"\n'
    '0,"NULL","NULL","NULL","NULL","NULL","NULL","NULL","NULL","NULL","NULL","NULL"\n'
    '1,"Mary","O\'Connor","1980-01-01","Widgets","mary@example.co.uk","1 High St\nLondon","United Kingdom",'
    '"GGB","+44(0)121 4960340","1979-12-31","0a8e5b1c-4c5d-4e2f-8a9b-1c2d3e4f5a6b"\n'
)
TINY_ORDERS = (
    '"level_0","index","date_uuid","first_name","last_name","user_uuid","card_number","store_code",'
    '"product_code","1","product_quantity"\n'
    '0,0,"9476f17e-5d6a-4117-874d-9cdb38ca1fa6","Mary","O\'Connor","0a8e5b1c-4c5d-4e2f-8a9b-1c2d3e4f5a6b",'
    '4971858637664481,"WEB-1388012W","R7-3126933h",,3\n'
    '1,1,"0423a395-a04d-4e2a-9e6b-8a2f6b2c6e4f",,,"6f1c3a2e-1d6c-4d2b-9f0e-2b1b1f0c9a11",'
    '3554954842403828,"BL-8387506C","C2-7287916l",,15\n'
)
TINY_DECOY = (
    '"index","address","longitude","lat","locality","store_code"\n'
    '0,"N/A","N/A","N/A","N/A","WEB-1388012W"\n'
    '1,"Flat 72W, Sally isle\nEast Deantown","51.62907","","High Wycombe","HI-9B97EE4E"\n'
)
TINY_PRODUCTS = (
    ',product_name,product_price,weight,category,EAN,date_added,uuid,removed,product_code\n'
    '0,FurReal Dazzlin\' Dimples,£39.99,1.6kg,toys-and-games,7425710935115,2005-12-02,'
    '83dc0a69-f96f-4c34-bcb7-928acae19a94,Still_avaliable,R7-3126933h\n'
    '1,Tiffany Bracelet,£72.00,12 x 100g,homeware,0487567380423,2006-09-01,'
    '68c9e45c-9d8e-4a4d-9a47-1f7c2b1c2d3e,Removed,C2-7287916l\n'
)
TINY_DATES = {
    "timestamp": {"0": "22:00:06", "1": "NULL"},
    "month": {"0": "9", "1": "NULL"},
    "year": {"0": "2012", "1": "NULL"},
    "day": {"0": "19", "1": "NULL"},
    "time_period": {"0": "Evening", "1": "NULL"},
    "date_uuid": {"0": "9476f17e-5d6a-4117-874d-9cdb38ca1fa6", "1": "NULL"},
}
TINY_STORES = [
    {"index": 0, "address": "N/A", "longitude": "N/A", "lat": "N/A", "locality": "N/A",
     "store_code": "WEB-1388012W", "staff_numbers": "325", "opening_date": "2010-06-12",
     "store_type": "Web Portal", "latitude": None, "country_code": "GB", "continent": "Europe"},
    {"index": 1, "address": "Flat 72W, Sally isle\nEast Deantown", "longitude": "51.62907", "lat": None,
     "locality": "High Wycombe", "store_code": "HI-9B97EE4E", "staff_numbers": "34",
     "opening_date": "1996-10-25", "store_type": "Local", "latitude": "-0.75233",
     "country_code": "GB", "continent": "eeEurope"},
    {"index": 2, "address": "NULL", "longitude": "NULL", "lat": "NULL", "locality": "NULL",
     "store_code": "NULL", "staff_numbers": "NULL", "opening_date": "NULL", "store_type": "NULL",
     "latitude": "NULL", "country_code": "NULL", "continent": "NULL"},
]


def _tiny_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    import io

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)  # invariant: same bytes every time
    pdf.drawString(72, 800, "card_number | expiry_date | card_provider | date_payment_confirmed")
    pdf.drawString(72, 780, "4971858637664481 | 09/26 | VISA 16 digit | 2015-11-25")
    pdf.save()
    return buf.getvalue()


def make_tiny_world(world: str | Path, seed: int = 0, scale: float = 1) -> Path:
    """Write a few-rows world with the generator's layout into `world`; returns it."""
    world = Path(world)
    for sub in ("legacy", "s3", "api"):
        (world / sub).mkdir(parents=True, exist_ok=True)
    (world / "legacy" / "legacy_users.csv").write_text(TINY_USERS, encoding="utf-8")
    (world / "legacy" / "orders_table.csv").write_text(TINY_ORDERS, encoding="utf-8")
    (world / "legacy" / "legacy_store_details.csv").write_text(TINY_DECOY, encoding="utf-8")
    (world / "s3" / "products.csv").write_text(TINY_PRODUCTS, encoding="utf-8")
    (world / "s3" / "card_details.pdf").write_bytes(_tiny_pdf())
    (world / "s3" / "date_details.json").write_text(json.dumps(TINY_DATES), encoding="utf-8")
    (world / "api" / "stores.json").write_text(json.dumps(TINY_STORES, ensure_ascii=False), encoding="utf-8")
    counts = {"legacy_users": 3, "orders_table": 2, "legacy_store_details": 2, "products": 2,
              "card_details": 1, "date_details": 2, "store_details": 3}
    (world / "manifest.json").write_text(json.dumps({"seed": seed, "scale": scale, "counts": counts}))
    return world


# -- fixtures ------------------------------------------------------------------------------------------
pytestmark = pytest.mark.sandbox

def _free_ports(n: int) -> list[int]:
    import socket

    socks = [socket.socket() for _ in range(n)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


# Free ports picked per session: away from the session sandbox (19555/19556), the default one, and any
# other test session running this module at the same time.
S3_PORT, API_PORT = _free_ports(2)


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory):
    """A private sandbox directory and ports for this module; whatever is left up is stopped at the end."""
    root = tmp_path_factory.mktemp("sb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MULTINATIONAL_SANDBOX_DIR", str(root))
        mp.setenv("MULTINATIONAL_SANDBOX_S3_PORT", str(S3_PORT))
        mp.setenv("MULTINATIONAL_SANDBOX_API_PORT", str(API_PORT))
        try:
            yield root
        finally:
            control.down()


@pytest.fixture
def tiny(tiny_root):
    """A fresh tiny world (nothing staged), sandbox down at the start and at the end of the test."""
    control.down()
    import shutil

    shutil.rmtree(tiny_root / "world", ignore_errors=True)
    make_tiny_world(tiny_root / "world")
    yield tiny_root
    control.down()


def _cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("multinational")), "sandbox", *args],
        capture_output=True, text=True, timeout=120, env=dict(os.environ),
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _http_json(url: str, key: str) -> tuple[int, object]:
    req = urllib.request.Request(url, headers={"x-api-key": key})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


def _legacy(sql_text: str):
    with postgres.connect(control.sandbox_paths().pgdata, "legacy") as conn:
        return conn.execute(sql_text).fetchall()


def _s3_get(key: str) -> bytes:
    from multinational_assets.sandbox.s3 import s3_client

    state = control.read_state()
    return s3_client(state["s3_endpoint_url"]).get_object(Bucket=state["bucket"], Key=key)["Body"].read()


# -- up / status / env / down through the CLI ----------------------------------------------------------
def test_cli_up_outlives_its_process_and_down_leaves_nothing(tiny):
    out = _cli("up").stdout
    assert "sandbox up in" in out
    state = json.loads((tiny / "state.json").read_text())
    assert state["api_key"] not in out  # the key is printed by `env` only
    pids = [state["postgres_pid"], state["s3_pid"], state["api_pid"]]
    # The CLI process has exited; its servers run on, each in its own session.
    for pid in pids:
        assert not _gone(pid)
        assert os.getsid(pid) == pid
    postgres_family = [pid] + [c.pid for c in psutil.Process(state["postgres_pid"]).children(recursive=True)]
    assert len(postgres_family) > 1

    again = _cli("up").stdout
    assert "already up" in again
    assert json.loads((tiny / "state.json").read_text())["api_pid"] == state["api_pid"]

    status = _cli("status").stdout
    assert "UP" in status and "legacy.legacy_users" in status and state["api_key"] not in status
    for server in ("postgres", "s3", "stores api"):
        assert any(line.startswith(server) and " up " in line for line in status.splitlines())

    _cli("down")
    for pid in pids + postgres_family:
        assert _gone(pid), f"pid {pid} still running"
    from multinational_assets.sandbox.s3 import port_available

    assert port_available("127.0.0.1", S3_PORT) and port_available("127.0.0.1", API_PORT)
    assert not (tiny / "state.json").exists()
    assert not (tiny / "pgdata" / ".s.PGSQL.5432").exists()
    assert postgres.running_pid(tiny / "pgdata") is None

    down_status = _cli("status", check=False)
    assert down_status.returncode == 1 and "DOWN" in down_status.stdout
    assert "not up" in _cli("down").stdout


def test_env_output_can_be_sourced_and_used(tiny):
    _cli("up")
    env_out = _cli("env").stdout
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


# -- readable errors -----------------------------------------------------------------------------------
def test_port_in_use_is_reported_and_nothing_starts(tiny):
    import socket

    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", S3_PORT))
        blocker.listen()
        with pytest.raises(control.SandboxError, match=f"port {S3_PORT} .*in use.*MULTINATIONAL_SANDBOX_S3_PORT"):
            control.up()
        result = _cli("up", check=False)
        assert result.returncode == 1 and "in use" in result.stderr and "Traceback" not in result.stderr
    assert not (tiny / "state.json").exists()
    assert postgres.running_pid(tiny / "pgdata") is None


def test_commands_need_a_running_sandbox(tiny):
    with pytest.raises(control.SandboxError, match="not up"):
        control.env_vars()
    with pytest.raises(control.SandboxError, match="not up"):
        control.stage_s3("products.csv", tiny / "world" / "s3" / "products.csv")
    result = _cli("env", check=False)
    assert result.returncode == 1 and "not up" in result.stderr and "Traceback" not in result.stderr
    missing = _cli("stage", "legacy", "orders_table", str(tiny / "nope.csv"), check=False)
    assert missing.returncode == 1 and "file not found" in missing.stderr


# -- stage / restart / unstage -------------------------------------------------------------------------
def test_stage_replaces_each_source_and_survives_a_restart(tiny, tmp_path):
    control.up()
    api_pid = control.read_state()["api_pid"]

    # legacy, same columns: the source types stay.
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "level_0,index,date_uuid,first_name,last_name,user_uuid,card_number,store_code,product_code,1,product_quantity\n"
        "7,8,d-1,,,u-1,4111111111111111,XX-00000001,P1,,9\n"
    )
    assert control.stage_legacy("orders_table", orders) == 1
    assert _legacy("SELECT level_0, card_number, product_quantity FROM orders_table") == [(7, 4111111111111111, 9)]
    types = dict(_legacy("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders_table'"))
    assert types["level_0"] == "bigint" and types["1"] == "double precision"

    # legacy, other columns: re-created as TEXT.
    users = tmp_path / "users.csv"
    users.write_text("index,name\n1,Ann\n2,\n")
    assert control.stage_legacy("legacy_users", users) == 2
    assert _legacy("SELECT index, name FROM legacy_users ORDER BY ctid") == [("1", "Ann"), ("2", None)]

    # A value that does not fit a kept type fails and leaves the table as it was.
    bad = tmp_path / "bad.csv"
    bad.write_text(orders.read_text().replace("7,8,", "seven,8,"))
    with pytest.raises(control.SandboxError, match="bigint"):
        control.stage_legacy("orders_table", bad)
    assert _legacy("SELECT count(*) FROM orders_table") == [(1,)]

    # S3: any bytes, any key.
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(b"%PDF-1.4 not really\x00\xff")
    control.stage_s3("card_details.pdf", pdf)
    control.stage_s3("incoming/extra.csv", users)
    assert _s3_get("card_details.pdf") == pdf.read_bytes()
    assert _s3_get("incoming/extra.csv") == users.read_bytes()

    # stores, from JSON then from CSV, without restarting the API.
    key = control.read_state()["api_key"]
    api = control.read_state()["api_url"]
    stores_json = tmp_path / "stores.json"
    stores_json.write_text(json.dumps([{"index": 0, "store_code": "ZZ-1"}]))
    assert control.stage_stores(stores_json) == 1
    assert _http_json(f"{api}/number_stores", key) == (200, {"statusCode": 200, "number_stores": 1})
    stores_csv = tmp_path / "stores.csv"
    stores_csv.write_text("index,store_code,lat\n0,AA-1,\n1,BB-2,N/A\n")
    assert _cli("stage", "stores", str(stores_csv)).returncode == 0
    assert _http_json(f"{api}/store_details/1", key) == (200, {"index": "1", "store_code": "BB-2", "lat": "N/A"})
    assert _http_json(f"{api}/store_details/2", key)[0] == 404
    assert control.read_state()["api_pid"] == api_pid

    # A restart serves the staged files.
    control.down()
    control.up()
    key = control.read_state()["api_key"]
    assert _legacy("SELECT level_0 FROM orders_table") == [(7,)]
    assert _legacy("SELECT name FROM legacy_users ORDER BY ctid") == [("Ann",), (None,)]
    assert _s3_get("card_details.pdf") == pdf.read_bytes()
    assert _s3_get("incoming/extra.csv") == users.read_bytes()
    assert _http_json(f"{api}/store_details/0", key) == (200, {"index": "0", "store_code": "AA-1", "lat": None})
    assert "legacy table orders_table" in control.format_status(control.status())

    # unstage puts the generated world back, live.
    restored = control.unstage()
    assert len(restored) == 5
    pristine = make_tiny_world(tmp_path / "pristine")
    for path in pristine.rglob("*"):
        if path.is_file():
            assert (tiny / "world" / path.relative_to(pristine)).read_bytes() == path.read_bytes(), path
    assert not (tiny / "world" / "s3" / "incoming").exists()
    assert _legacy("SELECT count(*) FROM orders_table") == [(2,)]
    types = dict(_legacy("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'legacy_users'"))
    assert types["index"] == "bigint" and "name" not in types
    assert _s3_get("card_details.pdf") == (pristine / "s3" / "card_details.pdf").read_bytes()
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        _s3_get("incoming/extra.csv")
    assert _http_json(f"{api}/store_details/1", key) == (200, TINY_STORES[1])


def test_stage_rejects_bad_names(tiny, tmp_path):
    control.up()
    csv_file = tmp_path / "x.csv"
    csv_file.write_text("a\n1\n")
    with pytest.raises(control.SandboxError, match="table name"):
        control.stage_legacy("drop table; --", csv_file)
    with pytest.raises(control.SandboxError, match="S3 key"):
        control.stage_s3("../escape", csv_file)
    bad_json = tmp_path / "stores.json"
    bad_json.write_text('{"not": "a list"}')
    with pytest.raises(control.SandboxError, match="list of objects"):
        control.stage_stores(bad_json)


# -- recovery, faults, world handling ------------------------------------------------------------------
def test_a_half_up_sandbox_is_restarted(tiny):
    first = control.up().state
    os.kill(first["api_pid"], 9)
    os.waitpid(first["api_pid"], 0)  # it is our child: reap it, so it is really gone before `up` looks
    messages: list[str] = []
    result = control.up(echo=messages.append)
    assert not result.already_up
    assert any("half up" in m for m in messages)
    assert result.state["api_pid"] != first["api_pid"]
    assert _gone(first["s3_pid"])


def test_faults_per_start_and_live(tiny):
    from multinational_assets.sandbox.stores_api import Faults

    state = control.up(faults=Faults(error_rate=1.0)).state
    url = f"{state['api_url']}/number_stores"
    assert _http_json(url, state["api_key"])[0] == 500
    control.set_faults(Faults())
    assert _http_json(url, state["api_key"])[0] == 200
    result = control.up(faults=Faults(throttle_rate=1.0, retry_after=3))  # already up: applied live
    assert result.already_up
    req = urllib.request.Request(url, headers={"x-api-key": state["api_key"]})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 429 and info.value.headers["Retry-After"] == "3"
    out = _cli("faults", "--error-rate", "0").stdout
    assert "429s 100%" in out


def test_up_generates_lazily_and_swaps_the_world(tiny, monkeypatch):
    import types

    calls = []

    def fake_generate_world(seed, scale, out_dir, progress=None):
        calls.append((seed, scale, Path(out_dir)))
        progress("fake generator ran")
        make_tiny_world(out_dir, seed=seed, scale=scale)
        return {"seed": seed, "scale": scale, "counts": {}}

    monkeypatch.setitem(sys.modules, "multinational_assets.sandbox.generate",
                        types.SimpleNamespace(generate_world=fake_generate_world))
    messages: list[str] = []
    assert control.ensure_world(0, 1, echo=messages.append) is False  # the tiny world matches
    assert calls == []
    state = control.up(seed=5, scale=0.5, echo=messages.append).state
    assert calls and calls[0][:2] == (5, 0.5) and calls[0][2].name == "world.partial"
    assert json.loads((tiny / "world" / "manifest.json").read_text())["seed"] == 5
    assert not (tiny / "world.partial").exists()
    assert any("fake generator ran" in m for m in messages)
    assert state["seed"] == 5 and state["scale"] == 0.5
    with pytest.raises(control.SandboxError, match="already up with seed 5"):
        control.up(seed=0, scale=1)


def test_a_world_from_another_generator_version_is_regenerated(tiny, monkeypatch):
    import types

    calls = []

    def fake_generate_world(seed, scale, out_dir, progress=None):
        calls.append(seed)
        return make_tiny_world(out_dir, seed=seed, scale=scale) and {"seed": seed, "scale": scale}

    monkeypatch.setitem(sys.modules, "multinational_assets.sandbox.generate",
                        types.SimpleNamespace(generate_world=fake_generate_world))
    world = tiny / "world"
    (world / control.GENERATOR_STAMP).write_text(control.generator_fingerprint())
    assert control.ensure_world(0, 1) is False and calls == []
    (world / control.GENERATOR_STAMP).write_text("made-by-older-code")
    messages: list[str] = []
    assert control.ensure_world(0, 1, echo=messages.append) is True and calls == [0]
    assert (world / control.GENERATOR_STAMP).read_text().strip() == control.generator_fingerprint()
    assert any("generator changed" in m for m in messages)
