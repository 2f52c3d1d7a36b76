"""A tiny hand-made world (a few rows per file, the generator's layout; its manifest says seed 0 /
scale 1 so `up` serves it as it is), the free ports its sandbox uses, and helpers that look at a
running sandbox the way a user would (the CLI, SQL, boto3, HTTP)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from multinational_assets.sandbox import control, postgres

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
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

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


def free_ports(n: int) -> list[int]:
    import socket

    socks = [socket.socket() for _ in range(n)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


# Free ports picked per session: away from the session sandbox, the default one, and any
# other test session running these tests at the same time.
S3_PORT, API_PORT = free_ports(2)


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("multinational")), "sandbox", *args],
        capture_output=True, text=True, timeout=120, env=dict(os.environ),
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def http_json(url: str, key: str) -> tuple[int, object]:
    req = urllib.request.Request(url, headers={"x-api-key": key})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


def legacy_rows(sql_text: str):
    with postgres.connect(control.sandbox_paths().pgdata, "legacy") as conn:
        return conn.execute(sql_text).fetchall()


def s3_get(key: str) -> bytes:
    from multinational_assets.sandbox.s3 import s3_client

    state = control.read_state()
    return s3_client(state["s3_endpoint_url"]).get_object(Bucket=state["bucket"], Key=key)["Body"].read()
