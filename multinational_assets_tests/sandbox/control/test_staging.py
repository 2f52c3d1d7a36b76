"""`stage` and `unstage`: each source replaced, kept across a restart, put back live; bad names refused."""

from __future__ import annotations

import json

import pytest

from multinational_assets.sandbox import control
from multinational_assets_tests.sandbox.control.tiny_sandbox import (
    TINY_STORES,
    http_json,
    legacy_rows,
    make_tiny_world,
    run_cli,
    s3_get,
)

pytestmark = pytest.mark.sandbox


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
    assert legacy_rows("SELECT level_0, card_number, product_quantity FROM orders_table") == [(7, 4111111111111111, 9)]
    types = dict(legacy_rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders_table'"))
    assert types["level_0"] == "bigint" and types["1"] == "double precision"

    # legacy, other columns: re-created as TEXT.
    users = tmp_path / "users.csv"
    users.write_text("index,name\n1,Ann\n2,\n")
    assert control.stage_legacy("legacy_users", users) == 2
    assert legacy_rows("SELECT index, name FROM legacy_users ORDER BY ctid") == [("1", "Ann"), ("2", None)]

    # A value that does not fit a kept type fails and leaves the table as it was.
    bad = tmp_path / "bad.csv"
    bad.write_text(orders.read_text().replace("7,8,", "seven,8,"))
    with pytest.raises(control.SandboxError, match="bigint"):
        control.stage_legacy("orders_table", bad)
    assert legacy_rows("SELECT count(*) FROM orders_table") == [(1,)]

    # S3: any bytes, any key.
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(b"%PDF-1.4 not really\x00\xff")
    control.stage_s3("card_details.pdf", pdf)
    control.stage_s3("incoming/extra.csv", users)
    assert s3_get("card_details.pdf") == pdf.read_bytes()
    assert s3_get("incoming/extra.csv") == users.read_bytes()

    # stores, from JSON then from CSV, without restarting the API.
    key = control.read_state()["api_key"]
    api = control.read_state()["api_url"]
    stores_json = tmp_path / "stores.json"
    stores_json.write_text(json.dumps([{"index": 0, "store_code": "ZZ-1"}]))
    assert control.stage_stores(stores_json) == 1
    assert http_json(f"{api}/number_stores", key) == (200, {"statusCode": 200, "number_stores": 1})
    stores_csv = tmp_path / "stores.csv"
    stores_csv.write_text("index,store_code,lat\n0,AA-1,\n1,BB-2,N/A\n")
    assert run_cli("stage", "stores", str(stores_csv)).returncode == 0
    assert http_json(f"{api}/store_details/1", key) == (200, {"index": "1", "store_code": "BB-2", "lat": "N/A"})
    assert http_json(f"{api}/store_details/2", key)[0] == 404
    assert control.read_state()["api_pid"] == api_pid

    # A restart serves the staged files.
    control.down()
    control.up()
    key = control.read_state()["api_key"]
    assert legacy_rows("SELECT level_0 FROM orders_table") == [(7,)]
    assert legacy_rows("SELECT name FROM legacy_users ORDER BY ctid") == [("Ann",), (None,)]
    assert s3_get("card_details.pdf") == pdf.read_bytes()
    assert s3_get("incoming/extra.csv") == users.read_bytes()
    assert http_json(f"{api}/store_details/0", key) == (200, {"index": "0", "store_code": "AA-1", "lat": None})
    assert "legacy table orders_table" in control.format_status(control.status())

    # unstage puts the generated world back, live.
    restored = control.unstage()
    assert len(restored) == 5
    pristine = make_tiny_world(tmp_path / "pristine")
    for path in pristine.rglob("*"):
        if path.is_file():
            assert (tiny / "world" / path.relative_to(pristine)).read_bytes() == path.read_bytes(), path
    assert not (tiny / "world" / "s3" / "incoming").exists()
    assert legacy_rows("SELECT count(*) FROM orders_table") == [(2,)]
    types = dict(legacy_rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'legacy_users'"))
    assert types["index"] == "bigint" and "name" not in types
    assert s3_get("card_details.pdf") == (pristine / "s3" / "card_details.pdf").read_bytes()
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        s3_get("incoming/extra.csv")
    assert http_json(f"{api}/store_details/1", key) == (200, TINY_STORES[1])


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


def test_a_pandas_export_loses_its_index_column_and_says_so(tiny, tmp_path):
    import pandas as pd

    control.up()
    said: list[str] = []
    users = pd.DataFrame({"index": [10, 11], "name": ["Ann", "Bo"]})
    exported = tmp_path / "users.csv"
    users.to_csv(exported)  # pandas writes its row index first, under an empty header
    assert exported.read_text().startswith(",index,name")
    assert control.stage_legacy("legacy_users", exported, echo=said.append) == 2
    assert legacy_rows("SELECT index, name FROM legacy_users ORDER BY ctid") == [("10", "Ann"), ("11", "Bo")]
    assert any("dropped the first column" in line and "pandas" in line for line in said)

    # Read by pandas and written again, the index column is called `Unnamed: 0`.
    stores = tmp_path / "stores.csv"
    pd.read_csv(tmp_path / "users.csv").rename(columns={"name": "store_code"}).to_csv(stores, index=False)
    assert stores.read_text().startswith("Unnamed: 0,index,store_code")
    said.clear()
    assert control.stage_stores(stores, echo=said.append) == 2
    key, api = control.read_state()["api_key"], control.read_state()["api_url"]
    assert http_json(f"{api}/store_details/1", key) == (200, {"index": "11", "store_code": "Bo"})
    assert any("'Unnamed: 0'" in line for line in said)

    # An unnamed column that is not first is the file's own: kept.
    own = tmp_path / "own.csv"
    own.write_text("index,,name\n1,x,Ann\n")
    said.clear()
    control.stage_legacy("legacy_users", own, echo=said.append)
    assert legacy_rows("SELECT unnamed_1 FROM legacy_users") == [("x",)]
    assert not any("dropped" in line for line in said)
