"""A market manager's own published result and its explanation in real Chromium on a phone
(390 px): the run shows only their row, the explanation's contributions add up to the score;
screenshots test-artifacts/evaluation-result-phone.png and evaluation-explanation-phone.png."""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.evaluation.tests.test_runs import LABELS, SCHEME, table

pytestmark = BROWSER_MARKS
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def published(world, province_admin):
    import datetime as dt

    from fucai.evaluation.runs import freeze, new_run, publish
    from fucai.evaluation.schemes_store import save_scheme

    row = save_scheme(SCHEME, province_admin, valid_from=dt.date(2023, 1, 1))
    return publish(freeze(new_run(row, "2023", None, province_admin), table()), province_admin)


def _fits(page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    assert page.js_errors == []


def test_a_manager_reads_their_own_result_and_its_explanation_on_a_phone(
    live_server, market_manager_user, published, browser_page
):
    page, base = browser_page, live_server.url
    log_in(page, base, "manager_user")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/evaluation/runs/{published.pk}/")
    rows = page.inner_text("#results")
    assert LABELS["GZ001"] in rows and LABELS["GZ002"] not in rows and LABELS["JJ001"] not in rows
    _fits(page)
    shot(page, "evaluation-result-phone")
    page.click(f"#results a:has-text('{LABELS['GZ001']}')")
    assert page.inner_text("[data-figure=total]") == "85.00"
    assert "1380.00" in page.inner_text("[data-figure=pay]")
    _fits(page)
    shot(page, "evaluation-explanation-phone")
