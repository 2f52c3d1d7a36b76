"""Every setting the project reads, declared once: its environment variable, what it means, and its
default, which points at the local sandbox.

Pointing the pipeline at real AWS and a real Postgres is a matter of setting these variables, never of
changing code. Resources take a set variable as a Dagster `EnvVar` (resolved when a run starts, so a
secret never sits in run config or in the definitions), and an unset one as its default, resolved
once when the run starts (`resource_value`). Importing this module does no I/O.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Sandbox defaults: fixed loopback ports, overridable so a test session can run its own sandbox
# beside a developer's.
DEFAULT_S3_PORT = 9555
DEFAULT_API_PORT = 9556
DEFAULT_BUCKET = "data-handling-public"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def sandbox_dir() -> Path:
    """Where the sandbox keeps its generated world, its Postgres data and its state."""
    return Path(_env("MULTINATIONAL_SANDBOX_DIR", str(PROJECT_ROOT / ".sandbox"))).resolve()


def sandbox_state() -> dict:
    """What `sandbox up` recorded (ports, pids, the sandbox API key); empty when it is not running."""
    path = sandbox_dir() / "state.json"
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def sandbox_postgres_url(database: str, driver: str = "psycopg") -> str:
    """A URL for one database of the sandbox's embedded Postgres (Unix socket, trust auth)."""
    socket_dir = quote(str(sandbox_dir() / "pgdata"), safe="")
    return f"postgresql+{driver}://postgres@/{database}?host={socket_dir}"


def _sandbox_port(state_key: str, variable: str, default: int) -> int:
    return int(sandbox_state().get(state_key, _env(variable, str(default))))


def _sandbox_s3() -> bool:
    return _env("S3_ENDPOINT_URL") is None


@dataclass(frozen=True)
class Setting:
    """One environment variable: what it means, and its default (a value, or how to work it out)."""

    name: str
    meaning: str
    default: str | Callable[[], str | None] | None = None
    secret: bool = field(default=False, repr=False)

    def value(self) -> str | None:
        """The variable's value now, else the default."""
        set_value = _env(self.name)
        if set_value is not None:
            return set_value
        return self.default() if callable(self.default) else self.default


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "LEGACY_DATABASE_URL",
            "the legacy database (users, orders), e.g. `postgresql+psycopg://user:pass@host:5432/db`; "
            "read-only transactions are enforced",
            lambda: sandbox_postgres_url("legacy"),
            secret=True,
        ),
        Setting(
            "LEGACY_MAX_ROWS",
            "the most rows read from one legacy table (the orders are about 120,000 at the real size)",
            "20000000",
        ),
        Setting("WAREHOUSE_URL", "the warehouse Postgres", lambda: sandbox_postgres_url("warehouse"), secret=True),
        Setting(
            "DAGSTER_STORAGE_URL",
            "Dagster's run/event storage (`postgresql+psycopg2://...`, its own database)",
            lambda: sandbox_postgres_url("dagster", "psycopg2"),
            secret=True,
        ),
        Setting(
            "S3_ENDPOINT_URL",
            "`aws` for real AWS, else a custom endpoint",
            lambda: f"http://127.0.0.1:{_sandbox_port('s3_port', 'MULTINATIONAL_SANDBOX_S3_PORT', DEFAULT_S3_PORT)}",
        ),
        Setting("AWS_REGION", "the bucket's region", "eu-west-1"),
        Setting(
            "AWS_ACCESS_KEY_ID", "AWS credentials (or any boto3 credential source)", lambda: "sandbox" if _sandbox_s3() else None
        ),
        Setting(
            "AWS_SECRET_ACCESS_KEY",
            "AWS credentials (or any boto3 credential source)",
            lambda: "sandbox" if _sandbox_s3() else None,
            secret=True,
        ),
        Setting("S3_BUCKET", "the bucket that holds the three files", DEFAULT_BUCKET),
        Setting(
            "PRODUCTS_KEY",
            "where products.csv is: a full key, or a drop folder ending in `/` whose newest object is the source",
            "products.csv",
        ),
        Setting("CARD_DETAILS_KEY", "where card_details.pdf is (a key, or a drop folder ending in `/`)", "card_details.pdf"),
        Setting("DATE_DETAILS_KEY", "where date_details.json is (a key, or a drop folder ending in `/`)", "date_details.json"),
        Setting(
            "PRODUCTS_MAX_BYTES", "the largest products.csv read (0.3 MB at the real size)", str(256 << 20)
        ),
        Setting(
            "PRODUCTS_MAX_LINE_BYTES", "the longest line of products.csv read (a product is about 150 bytes)", str(1 << 20)
        ),
        Setting(
            "CARD_DETAILS_MAX_BYTES", "the largest card_details.pdf read (0.6 MB at the real size)", str(512 << 20)
        ),
        Setting(
            "CARD_DETAILS_PDF_READER",
            "how the card-details PDF is read: `auto` (each page from its text positions and ruling lines where "
            "that can be verified, tabula for the others), `fast` (no tabula: fail on a page that cannot be "
            "verified) or `tabula` (every page with tabula, Java)",
            "auto",
        ),
        Setting(
            "CARD_DETAILS_MAX_PAGES", "the most pages of card_details.pdf read (279 at the real size)", "20000"
        ),
        Setting(
            "CARD_DETAILS_MAX_SECONDS_PER_PAGE",
            "the longest reading card_details.pdf may take per page, beyond Java's start (about 0.04 s here)",
            "2",
        ),
        Setting(
            "DATE_DETAILS_MAX_BYTES", "the largest date_details.json read (15 MB at the real size)", str(2 << 30)
        ),
        Setting(
            "STORES_API_URL",
            "the stores API (`https://.../prod`)",
            lambda: f"http://127.0.0.1:{_sandbox_port('api_port', 'MULTINATIONAL_SANDBOX_API_PORT', DEFAULT_API_PORT)}/prod",
        ),
        Setting(
            "STORES_API_KEY", "the stores API's key (sent only as a header)", lambda: sandbox_state().get("api_key"), secret=True
        ),
        # 32: at 50 ms a call the 452 calls take 15 rounds (0.75 s) instead of 30 at 16, and the run's
        # raw step 0.6 s less; 64 saved only 0.1 s more, as the client's own CPU becomes the limit.
        Setting("STORES_API_CONCURRENCY", "API calls at a time", "32"),
        Setting("STORES_API_TIMEOUT", "seconds before an API call is given up and retried", "10"),
        Setting("STORES_API_RETRIES", "retries of a failed API call", "6"),
        Setting(
            "STORES_API_MAX_BODY_BYTES",
            "the longest answer read from the stores API (a store's details are a few hundred bytes)",
            str(1 << 20),
        ),
        Setting("MULTINATIONAL_SENSOR_INTERVAL_SECONDS", "the least number of seconds between two ticks of the S3 sensor", "30"),
        Setting("MULTINATIONAL_SANDBOX_DIR", "where the sandbox keeps its world, its Postgres data and its state", ".sandbox"),
        Setting("MULTINATIONAL_SANDBOX_S3_PORT", "the sandbox's S3 port on 127.0.0.1", str(DEFAULT_S3_PORT)),
        Setting("MULTINATIONAL_SANDBOX_API_PORT", "the sandbox's stores API port on 127.0.0.1", str(DEFAULT_API_PORT)),
        Setting("MULTINATIONAL_EXECUTOR", "`in_process` (default, fastest on one machine) or `multiprocess`", "in_process"),
        Setting("MULTINATIONAL_DEBUG", "`1`: a failing `multinational` command shows its traceback (as `--debug` does)", None),
        Setting(
            "MULTINATIONAL_MISSING_REFERENCES",
            "`infer` (default: a key the sales name that its dimension lacks becomes an inferred member of the "
            "star, reported by a warning check) or `strict` (the reference checks block and the star is not rebuilt)",
            "infer",
        ),
    )
}


def setting(name: str) -> str | None:
    """The value of setting `name` now (its variable, else its default)."""
    return SETTINGS[name].value()


def resource_value(name: str):
    """For a resource field: `EnvVar(name)` when the variable is set as the definitions load (Dagster
    resolves it when a run starts, so the value is never part of the definitions or run config),
    else None, which the resource replaces by the setting's default when the run starts. (An unset
    `EnvVar` would fail every run at config time.)"""
    from dagster import EnvVar  # noqa: PLC0415 - the sandbox's commands read settings without Dagster

    return EnvVar(name) if _env(name) is not None else None


def executor_setting() -> str:
    """`MULTINATIONAL_EXECUTOR`: how a run's steps execute, a name from the `EXECUTORS` table of
    definitions.py (read without touching the disk, so the definitions can use it at import)."""
    return setting("MULTINATIONAL_EXECUTOR")


MISSING_REFERENCE_POLICIES = ("infer", "strict")


def missing_references_setting() -> str:
    """`MULTINATIONAL_MISSING_REFERENCES`: what a sale whose customer, card, store, product or date row
    is missing does. `infer` (default): the sale is kept, the star gets an inferred member for the
    missing key (key only, flagged `is_inferred`, filled in when its row arrives) and a non-blocking
    check reports it. `strict`: the reference checks block, and the star is not rebuilt. Read without
    touching the disk, so the definitions can use it at import."""
    value = setting("MULTINATIONAL_MISSING_REFERENCES")
    if value not in MISSING_REFERENCE_POLICIES:
        raise ValueError(f"MULTINATIONAL_MISSING_REFERENCES={value!r} is not one of: {', '.join(MISSING_REFERENCE_POLICIES)}")
    return value


def s3_endpoint(value: str | None) -> str | None:
    """The endpoint boto3 is given: None for real AWS (`S3_ENDPOINT_URL=aws`)."""
    return None if value == "aws" else value
