"""The Dagster UI in a real browser: `multinational ui` against the test sandbox, driven by headless
Chromium (Debian's `chromium`, through Playwright).

The test clicks "Materialize all" in the global asset lineage, waits until the run it launched has
materialised every asset (the daemon dequeues it, as in production), then opens
metrics/sales_by_month and finds the answer's table in the asset's metadata. Screenshots go to
`artifacts/ui/` (git-ignored) as the test's artefacts.

Skipped, with the reason, only when no Chromium binary is found (`apt-get install chromium`).
"""

from __future__ import annotations

import os
import shutil
import time

import pytest

from multinational_assets.metrics.charts import WIDTH as CHART_WIDTH
from multinational_assets.metrics.registry import metric
from multinational_assets_tests.dagster_service import (
    ARTIFACTS,
    DagsterService,
    dagster_home,
    materializable_assets,
    wait_for,
)
from multinational_assets_tests.required_tools import tool_missing

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = ARTIFACTS / "ui"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium", "/usr/lib/chromium/chromium")
RUN_TIMEOUT = 900  # the whole pipeline; about 2 minutes on two shared cores


def chromium_binary() -> str | None:
    explicit = os.environ.get("MULTINATIONAL_CHROMIUM")
    for candidate in ((explicit,) if explicit else ()) + CHROMIUM_CANDIDATES:
        found = shutil.which(candidate) or (candidate if os.path.isfile(candidate) and os.access(candidate, os.X_OK) else None)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = chromium_binary()
    if binary is None:
        reason = "no chromium binary found (install Debian's `chromium` package, or set MULTINATIONAL_CHROMIUM)"
        print(f"SKIPPED: {reason}")
        tool_missing(reason)
    return binary


RUNS_QUERY = "{ runsOrError(limit: 10) { ... on Runs { results { runId status assetSelection { path } } } } }"
ASSETS_QUERY = (
    "{ assetNodes { assetKey { path } assetMaterializations(limit: 1) { runId } } }"
)


def _dismiss_dialogs(page) -> None:
    """The community sign-up dialog appears on a fresh instance: skip it."""
    skip = page.get_by_role("button", name="Skip")
    try:
        skip.wait_for(state="visible", timeout=5000)
        skip.click()
    except Exception:  # noqa: BLE001 - not shown: nothing to dismiss
        pass


def test_materialize_all_from_the_ui_and_read_a_metric(sandbox, chromium, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with dagster_home(sandbox, tmp_path / "dagster_home") as home:
        service = DagsterService(home, SCREENSHOTS / "dagster-ui.log")
        try:
            service.start()
            print(f"UI ready at {service.url} after {time.monotonic() - started:.1f} s")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
                try:
                    page = browser.new_page(viewport={"width": 1600, "height": 1000})
                    page.set_default_timeout(60_000)

                    # 1. The global asset lineage: every group is there; launch "Materialize all".
                    page.goto(f"{service.url}/asset-groups")
                    _dismiss_dialogs(page)
                    button = page.get_by_role("button", name="Materialize all")
                    expect(button).to_be_enabled(timeout=60_000)
                    page.screenshot(path=str(SCREENSHOTS / "1-lineage-before.png"))
                    button.click()

                    # 2. The run it launched, found through the UI's own GraphQL API.
                    runs = wait_for(
                        lambda: service.graphql(RUNS_QUERY)["runsOrError"]["results"],
                        timeout=60, what="a run launched by 'Materialize all'",
                    )
                    assert len(runs) == 1, runs
                    run_id = runs[0]["runId"]
                    print(f"'Materialize all' launched run {run_id}")
                    selected = {"/".join(a["path"]) for a in runs[0]["assetSelection"] or []}
                    nodes = service.graphql(ASSETS_QUERY)["assetNodes"]
                    all_assets = {"/".join(n["assetKey"]["path"]) for n in nodes}
                    assert materializable_assets() <= all_assets and selected in (set(), materializable_assets()), selected

                    def finished():
                        status = next(
                            r["status"] for r in service.graphql(RUNS_QUERY)["runsOrError"]["results"] if r["runId"] == run_id
                        )
                        return status if status in ("SUCCESS", "FAILURE", "CANCELED") else None

                    run_started = time.monotonic()
                    status = wait_for(finished, timeout=RUN_TIMEOUT, interval=3, what=f"run {run_id} to finish")
                    print(f"run {run_id}: {status} after {time.monotonic() - run_started:.1f} s")
                    page.goto(f"{service.url}/runs/{run_id}")
                    page.wait_for_timeout(3000)
                    page.screenshot(path=str(SCREENSHOTS / "2-run.png"))
                    assert status == "SUCCESS", f"run {run_id} ended {status}; see {SCREENSHOTS / '2-run.png'}"

                    # 3. Every asset's latest materialisation is this run's.
                    nodes = service.graphql(ASSETS_QUERY)["assetNodes"]
                    not_done = [
                        "/".join(n["assetKey"]["path"])
                        for n in nodes
                        if "/".join(n["assetKey"]["path"]) in materializable_assets()
                        and (not n["assetMaterializations"] or n["assetMaterializations"][0]["runId"] != run_id)
                    ]
                    assert not not_done, f"not materialised by {run_id}: {not_done}"

                    # 4. The lineage graph shows them materialised.
                    page.goto(f"{service.url}/asset-groups")
                    _dismiss_dialogs(page)
                    page.wait_for_timeout(3000)
                    page.screenshot(path=str(SCREENSHOTS / "3-lineage-after.png"))

                    # 5. A metric asset: its answer is a table in the metadata, with the warehouse's numbers.
                    with sandbox.connect("warehouse") as conn:
                        best_month, best_total = conn.execute(
                            "SELECT month, total_sales FROM metrics.sales_by_month ORDER BY total_sales DESC LIMIT 1"
                        ).fetchone()
                    page.goto(f"{service.url}/assets/metrics/sales_by_month")
                    _dismiss_dialogs(page)
                    shot = SCREENSHOTS / "4-metrics-sales_by_month.png"
                    # The `result` metadata entry: the answer as a table (the column schema is another
                    # table on the page; this one holds the numbers).
                    table = page.locator("table").filter(has_text="total_sales").filter(has_text=f"{best_total:,.2f}")
                    try:
                        expect(table.first).to_be_visible(timeout=60_000)
                    finally:
                        page.screenshot(path=str(shot), full_page=True)
                    table = table.last
                    table.scroll_into_view_if_needed()
                    page.screenshot(path=str(shot), full_page=True)
                    rows = table.locator("tbody tr").count()
                    print(f"metrics/sales_by_month metadata table: {rows} rows, best month {best_month} "
                          f"with {best_total:,.2f}; screenshot {shot}")
                    assert rows == 12
                    # The `chart` metadata entry (long markdown: the table links to it): an inlined SVG the
                    # page decodes and shows at its size.
                    row = page.locator("tr").filter(has=page.locator("td", has_text="chart")).first
                    row.get_by_text("[Show Markdown]").click()
                    chart = page.locator(f'img[alt="{metric("sales_by_month").chart.title}"]').first
                    try:
                        expect(chart).to_be_visible(timeout=30_000)
                    finally:
                        page.wait_for_timeout(500)  # the dialog fades in
                        page.screenshot(path=str(SCREENSHOTS / "5-metrics-sales_by_month-chart.png"))
                    assert chart.evaluate("img => img.complete && img.naturalWidth") == CHART_WIDTH
                finally:
                    browser.close()
        finally:
            service.stop()
    print(f"browser test took {time.monotonic() - started:.1f} s")
