"""The web import in real Chromium: upload a file, see it wait in the queue, let the worker run
it, and watch the page (htmx polling every second) reach 100 %; then a refused file's errors.

Screenshots go to test-artifacts/sales-import*.png. Skipped when /usr/bin/chromium is missing,
unless FUCAI_REQUIRE_BROWSER=1 (as in fucai.core.tests.test_browser).
"""

from __future__ import annotations

from pathlib import Path

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.sales.tests.test_web_import import GOOD_ROWS

pytestmark = BROWSER_MARKS


def _run_queued_task() -> None:
    """What `fucai qcluster` does with the one queued task (its worker, run in this process)."""
    from django_q.models import OrmQ
    from django_q.tasks import _sync

    queued = OrmQ.objects.get()
    _sync(queued.payload)
    queued.delete()


def _wait_for_full_bar(page) -> None:
    """The bar glides to its new width (htmx settles it, Bootstrap transitions it)."""
    # a function, not an expression: Playwright evaluates expressions with eval(), which the
    # Content-Security-Policy forbids
    page.wait_for_function(
        "() => { const b = document.getElementById('import-progress');"
        " return b.offsetWidth >= b.parentElement.clientWidth - 1; }"
    )


def _upload(page, base: str, path: Path, dry_run: bool = False) -> None:
    page.goto(f"{base}/sales/imports/new/")
    page.set_input_files("#id_files", str(path))
    if dry_run:
        page.check("#id_dry_run")
    page.click("#import-form button[type=submit]")
    page.wait_for_url(f"{base}/sales/imports/*-*/")


def test_a_province_user_uploads_a_file_and_watches_it_reach_100_percent(
    live_server, network, store, province_admin, browser_page, write_csv, settings
):
    settings.TASKS_SYNC = False  # queued for the worker, as in production
    page, base = browser_page, live_server.url
    log_in(page, base, "province_admin")

    page.click("nav >> text=销售导入")
    page.wait_for_url(f"{base}/sales/imports/")
    page.click("#import-new")
    page.wait_for_url(f"{base}/sales/imports/new/")
    shot(page, "sales-import-0-upload")
    _upload(page, base, write_csv("日报-2023-03.csv", GOOD_ROWS))
    assert page.get_attribute("#import-status", "data-state") == "queued"
    assert "等待后台任务处理" in page.inner_text("#import-state")
    shot(page, "sales-import-1-queued")

    _run_queued_task()
    page.wait_for_selector("#import-status[data-state=succeeded]", timeout=10_000)
    assert page.inner_text("#import-progress") == "100%"
    _wait_for_full_bar(page)
    assert page.inner_text("[data-count=rows]") == "4"
    assert page.inner_text("[data-count=days]") == "2"
    assert "2023-03-01 – 2023-03-02" in page.inner_text("#import-days")
    assert store.read_daily().num_rows == 4
    shot(page, "sales-import-2-done")

    bad = [*GOOD_ROWS[:2], ["36999999", "2023-03-03", "ssq", "12.345", "6"]]
    _upload(page, base, write_csv("更正.csv", bad))
    _run_queued_task()
    page.wait_for_selector("#import-status[data-state=failed]", timeout=10_000)
    _wait_for_full_bar(page)
    rows = [row.split("\t") for row in page.locator("#import-errors tbody tr").all_inner_texts()]
    assert sorted(row[:3] for row in rows) == [
        ["更正.csv", "4", "amount"],
        ["更正.csv", "4", "station_code"],
    ]
    assert any("未知站点编号 36999999" in row[3] for row in rows)
    assert page.locator("#import-errors-export").is_visible()
    shot(page, "sales-import-3-errors")

    page.goto(f"{base}/sales/imports/")
    assert page.locator("#import-list tbody tr").count() == 2
    shot(page, "sales-import-4-list")
    assert page.js_errors == []
