"""`api`: a stores API serving the sample stores on a thread of this process."""

from __future__ import annotations

import pytest

from multinational_assets.sandbox.stores_api import start_stores_api
from multinational_assets_tests.sandbox.stores_api.sample import KEY, STORES


@pytest.fixture
def api():
    with start_stores_api(STORES, api_key=KEY) as handle:
        yield handle
