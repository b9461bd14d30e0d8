"""The web import in real Chromium: upload a file, see it wait in the queue, let the worker run
it, and watch the page (htmx polling every second) reach 100 %; then a refused file's errors.

Screenshots go to test-artifacts/sales-import*.png. Skipped when /usr/bin/chromium is missing,
unless FUCAI_REQUIRE_BROWSER=1 (as in fucai.core.tests.test_browser).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fucai.sales.tests.test_web_import import GOOD_ROWS

CHROMIUM = Path(os.environ.get("FUCAI_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("FUCAI_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not REQUIRED,
        reason=f"no Chromium at {CHROMIUM} (set FUCAI_CHROMIUM to its path) for the browser tests",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_data(django_db_setup, django_db_blocker):
    """A live_server test ends by emptying the database; put the migrated data back."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def browser_page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        yield page
        browser.close()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _run_queued_task() -> None:
    """What `fucai qcluster` does with the one queued task (its worker, run in this process)."""
    from django_q.models import OrmQ
    from django_q.tasks import _sync

    queued = OrmQ.objects.get()
    _sync(queued.payload)
    queued.delete()


def _wait_for_full_bar(page) -> None:
    """The bar glides to its new width (htmx settles it, Bootstrap transitions it)."""
    page.wait_for_function(
        "(b => b.offsetWidth >= b.parentElement.clientWidth - 1)"
        "(document.getElementById('import-progress'))"
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
    page.goto(f"{base}/login/")
    page.fill("#id_username", "province_admin")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("form button.btn-primary")
    page.wait_for_url(f"{base}/")

    page.click("nav >> text=销售导入")
    page.wait_for_url(f"{base}/sales/imports/")
    page.click("#import-new")
    page.wait_for_url(f"{base}/sales/imports/new/")
    _shot(page, "sales-import-0-upload")
    _upload(page, base, write_csv("日报-2023-03.csv", GOOD_ROWS))
    assert page.get_attribute("#import-status", "data-state") == "queued"
    assert "等待后台任务处理" in page.inner_text("#import-state")
    _shot(page, "sales-import-1-queued")

    _run_queued_task()
    page.wait_for_selector("#import-status[data-state=succeeded]", timeout=10_000)
    assert page.inner_text("#import-progress") == "100%"
    _wait_for_full_bar(page)
    assert page.inner_text("[data-count=rows]") == "4"
    assert page.inner_text("[data-count=days]") == "2"
    assert "2023-03-01 – 2023-03-02" in page.inner_text("#import-days")
    assert store.read_daily().num_rows == 4
    _shot(page, "sales-import-2-done")

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
    _shot(page, "sales-import-3-errors")

    page.goto(f"{base}/sales/imports/")
    assert page.locator("#import-list tbody tr").count() == 2
    _shot(page, "sales-import-4-list")
    assert page.js_errors == []
