"""The what-if, robustness and scheme pages of a 60-manager run in real Chromium on a phone
(390 px) and a desktop (1280 px): the weights used beside the inputs after an edit, tables cut
to their first 20 rows with "show all", a chart of a sensible height, nothing wider than the
screen; screenshots test-artifacts/evaluation-{whatif,robustness,ahp}-{phone,desktop}.png."""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import ARTIFACTS, BROWSER_MARKS, log_in, shot
from fucai.evaluation.tests.test_pages import SCHEME, frozen, many

pytestmark = BROWSER_MARKS
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def big_run(db, province_admin):
    return frozen(SCHEME, many(60), province_admin, draws=300)


def on_a_phone(page, live_server, path: str):
    """The province's page `path` at 390 px."""
    log_in(page, live_server.url, "province_admin")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{path}")
    return page


def _size(page) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight]"
    )


def test_the_what_if_shows_the_weights_used_and_fits_a_phone(
    live_server, province_admin, big_run, browser_page
):
    page = on_a_phone(browser_page, live_server, f"/evaluation/runs/{big_run.pk}/what-if/")
    page.wait_for_selector("#whatif tbody tr")
    assert page.locator("#whatif tbody tr").count() == 20  # of 60
    page.fill("#w_a", "1")  # entered 1, 0.3, 0.2: used 1/1.5, 0.3/1.5, 0.2/1.5
    page.wait_for_function("() => document.getElementById('entered-sum').textContent === '1.5000'")
    assert page.inner_text("#used_a").endswith("0.6667")
    assert page.inner_text("#used_b").endswith("0.2000")
    assert page.inner_text("#used_c").endswith("0.1333")
    assert page.inner_text("#used-sum") == "1.0000"
    assert "fc-ev-changed" in page.get_attribute("#used_a", "class")
    width, height = _size(page)
    assert width <= PHONE["width"] and height < 4500, (width, height)
    shot(page, "evaluation-whatif-phone")
    first = page.inner_text("#whatif tbody tr:first-child")
    assert "→" in first  # frozen → new, side by side
    page.click("#show-all")
    assert page.locator("#whatif tbody tr").count() == 60
    page.check("#only-moved")
    assert 0 < page.locator("#whatif tbody tr").count() < 60  # only those who moved
    page.set_viewport_size(DESKTOP)
    shot(page, "evaluation-whatif-desktop")
    assert page.js_errors == []


def test_the_robustness_page_fits_a_phone_with_its_first_20_and_a_sized_chart(
    live_server, province_admin, big_run, browser_page
):
    page = on_a_phone(browser_page, live_server, f"/evaluation/runs/{big_run.pk}/robustness/")
    page.wait_for_selector("#robustness-chart canvas")
    chart = page.locator("#robustness-chart").bounding_box()
    assert 300 < chart["height"] < 700 and chart["width"] <= PHONE["width"]
    assert page.locator("#robustness tbody tr").count() == 20
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('#robustness tbody tr:first-child td'))
          .filter((td) => td.offsetParent !== null)
          .map((td) => getComputedStyle(td, '::before').content + td.textContent)"""
    )
    assert '"P(一级) "1.00' in shown  # each probability on the card named by its grade
    assert not any(cell.startswith('"P "') for cell in shown)
    width, height = _size(page)
    assert width <= PHONE["width"] and height < 4500, (width, height)
    shot(page, "evaluation-robustness-phone")
    page.click("#show-all")
    page.wait_for_selector("#robustness tbody tr:nth-child(60)")
    page.set_viewport_size(DESKTOP)
    shot(page, "evaluation-robustness-desktop")
    assert page.js_errors == []


def test_the_ahp_matrix_fits_a_phone(live_server, province_admin, browser_page):
    from fucai.evaluation.schemes_store import load_shipped

    load_shipped()
    page = on_a_phone(browser_page, live_server, "/evaluation/schemes/city-agencies-2023/")
    matrix = page.locator("#ahp-matrix").bounding_box()
    panel = page.locator("#ahp").bounding_box()
    assert matrix["x"] + matrix["width"] <= panel["x"] + panel["width"]  # no sideways scroll
    assert _size(page)[0] <= PHONE["width"]
    page.locator("#ahp").screenshot(path=str(ARTIFACTS / "evaluation-ahp-phone.png"))
    assert page.js_errors == []
