"""`faults`: change the running stores API's faults without a restart."""

from __future__ import annotations

from multinational_assets.sandbox.control.paths import sandbox_paths
from multinational_assets.sandbox.control.processes import require_up
from multinational_assets.sandbox.control.state import write_json
from multinational_assets.sandbox.stores_api import Faults


def set_faults(faults: Faults) -> None:
    """Change the running stores API's faults (and record them in state.json)."""
    from multinational_assets.sandbox.stores_api import put_faults

    state = require_up("api")
    put_faults(state["api_url"].rsplit("/prod", 1)[0], state["api_key"], faults)
    state["faults"] = faults.to_dict()
    write_json(sandbox_paths().state_file, state, private=True)
