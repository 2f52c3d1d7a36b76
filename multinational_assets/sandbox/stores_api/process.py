"""The stores API as a detached process: `python -m multinational_assets.sandbox.stores_api` runs `main`.

`sandbox up` starts it this way, with the API key in the environment variable `API_KEY_ENV` (kept off
the command line, where `ps` would show it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from multinational_assets.sandbox.serving import wait_for_stop_signal
from multinational_assets.sandbox.stores_api.faults import Faults
from multinational_assets.sandbox.stores_api.server import start_stores_api
from multinational_assets.sandbox.stores_api.stores import load_stores_file

API_KEY_ENV = "MULTINATIONAL_SANDBOX_STORES_API_KEY"


def main(argv: list[str] | None = None) -> int:
    """Run the API in the foreground until SIGTERM/SIGINT (used by `sandbox up` as a detached process)."""
    parser = argparse.ArgumentParser(prog="python -m multinational_assets.sandbox.stores_api",
                                     description="Sandbox stores API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stores", required=True, help="JSON list (or CSV) of the stores to serve")
    parser.add_argument("--faults", default="{}", help="fault settings as JSON (see Faults)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    api_key = os.environ.pop(API_KEY_ENV, None)
    if not api_key:
        print(f"the API key must be given in ${API_KEY_ENV}", file=sys.stderr)
        return 2
    stores = load_stores_file(args.stores)
    faults = Faults.from_dict(json.loads(args.faults))
    handle = start_stores_api(stores, port=args.port, api_key=api_key, faults=faults, host=args.host, verbose=args.verbose)
    print(f"stores API serving {len(stores)} stores on {handle.url} (faults: {faults.describe()})", flush=True)

    wait_for_stop_signal()
    handle.stop()
    print("stores API stopped", flush=True)
    return 0
