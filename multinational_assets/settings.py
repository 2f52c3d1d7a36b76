"""Every setting the project reads, in one place.

Each value comes from an environment variable; when the variable is unset, the value points at the
local sandbox (see `multinational sandbox env`). Pointing the pipeline at real AWS and a real Postgres
is a matter of setting these variables, never of changing code.

Settings are read when they are needed (at run time), never at import time, so importing the package
does no I/O.
"""

from __future__ import annotations

import json
import os
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


def executor_setting() -> str:
    """`MULTINATIONAL_EXECUTOR`: how a run's steps execute, a name from the `EXECUTORS` table of
    definitions.py (read without touching the disk, so the definitions can use it at import)."""
    return _env("MULTINATIONAL_EXECUTOR", "in_process")


MISSING_REFERENCE_POLICIES = ("infer", "strict")


def missing_references_setting() -> str:
    """`MULTINATIONAL_MISSING_REFERENCES`: what a sale whose customer, card, store, product or date row
    is missing does. `infer` (default): the sale is kept, the star gets an inferred member for the
    missing key (key only, flagged `is_inferred`, filled in when its row arrives) and a non-blocking
    check reports it. `strict`: the reference checks block, and the star is not rebuilt. Read without
    touching the disk, so the definitions can use it at import."""
    value = _env("MULTINATIONAL_MISSING_REFERENCES", "infer")
    if value not in MISSING_REFERENCE_POLICIES:
        raise ValueError(
            f"MULTINATIONAL_MISSING_REFERENCES={value!r} is not one of: {', '.join(MISSING_REFERENCE_POLICIES)}"
        )
    return value


@dataclass(frozen=True)
class Settings:
    """The resolved settings of one run. Secrets are held here and never put in run config or logs."""

    legacy_database_url: str
    warehouse_url: str
    dagster_storage_url: str
    s3_endpoint_url: str | None
    s3_region: str
    s3_bucket: str
    products_key: str
    card_details_key: str
    date_details_key: str
    aws_access_key_id: str | None
    aws_secret_access_key: str | None = field(repr=False)
    stores_api_url: str
    stores_api_key: str | None = field(repr=False)
    stores_api_concurrency: int
    stores_api_timeout: float
    stores_api_retries: int
    executor: str

    @property
    def uses_sandbox_s3(self) -> bool:
        return _env("S3_ENDPOINT_URL") is None and self.s3_endpoint_url is not None


def load_settings() -> Settings:
    """Read the environment (and, for unset sandbox values, the running sandbox's state file)."""
    state = sandbox_state()
    s3_port = state.get("s3_port", int(_env("MULTINATIONAL_SANDBOX_S3_PORT", str(DEFAULT_S3_PORT))))
    api_port = state.get("api_port", int(_env("MULTINATIONAL_SANDBOX_API_PORT", str(DEFAULT_API_PORT))))
    # "aws" means: no endpoint override, talk to real AWS.
    endpoint = _env("S3_ENDPOINT_URL", f"http://127.0.0.1:{s3_port}")
    endpoint = None if endpoint == "aws" else endpoint
    sandbox_s3 = _env("S3_ENDPOINT_URL") is None
    return Settings(
        legacy_database_url=_env("LEGACY_DATABASE_URL", sandbox_postgres_url("legacy")),
        warehouse_url=_env("WAREHOUSE_URL", sandbox_postgres_url("warehouse")),
        dagster_storage_url=_env("DAGSTER_STORAGE_URL", sandbox_postgres_url("dagster", "psycopg2")),
        s3_endpoint_url=endpoint,
        s3_region=_env("AWS_REGION", "eu-west-1"),
        s3_bucket=_env("S3_BUCKET", DEFAULT_BUCKET),
        products_key=_env("PRODUCTS_KEY", "products.csv"),
        card_details_key=_env("CARD_DETAILS_KEY", "card_details.pdf"),
        date_details_key=_env("DATE_DETAILS_KEY", "date_details.json"),
        # The sandbox's S3 accepts any credentials; real AWS uses boto3's usual credential chain.
        aws_access_key_id=_env("AWS_ACCESS_KEY_ID", "sandbox" if sandbox_s3 else None),
        aws_secret_access_key=_env("AWS_SECRET_ACCESS_KEY", "sandbox" if sandbox_s3 else None),
        stores_api_url=_env("STORES_API_URL", f"http://127.0.0.1:{api_port}/prod").rstrip("/"),
        stores_api_key=_env("STORES_API_KEY", state.get("api_key")),
        stores_api_concurrency=int(_env("STORES_API_CONCURRENCY", "16")),
        stores_api_timeout=float(_env("STORES_API_TIMEOUT", "10")),
        stores_api_retries=int(_env("STORES_API_RETRIES", "6")),
        executor=executor_setting(),
    )
