"""A siting scenario in real Chromium at 390 × 844 (a phone) and 1440 × 900: 赣州's user starts
one from the form, the page shows its progress and then its sites on the map and in the table,
and turns a site into a lead; nothing is wider than the screen, no script fails.

Screenshots: test-artifacts/siting-*.png. Skipped without Chromium, unless FUCAI_REQUIRE_BROWSER=1
(fucai.core.testing.browser)."""

from __future__ import annotations

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.planning.tests.test_scenarios import disc  # noqa: F401  (the fixture)

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_MARKS


def test_a_scenario_is_run_from_a_phone_and_its_best_site_made_a_lead(
    live_server,
    ganzhou_user,
    disc,  # noqa: F811
    browser_page,
):
    page, base = browser_page, live_server.url
    log_in(page, base, "ganzhou_user")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/planning/scenarios/")
    page.fill("#id_name", "兴国三站")
    page.fill("#id_as_of", "2023-09-03")
    page.fill("#id_new", "3")
    page.fill("#id_time_limit_s", "10")
    shot(page, "siting-form-phone")
    page.click("#scenario-run")
    page.wait_for_selector("#scenario-map[data-ready=true]", timeout=60_000)
    assert page.locator("#sites tbody tr").count() == 3
    assert page.inner_text("[data-figure=covered_after] .fc-card-value") == "34,200"
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    assert page.js_errors == []
    shot(page, "siting-detail-phone")
    page.locator("#sites tbody tr").first.locator("button").click()
    page.wait_for_url("**/network/leads/*/")
    assert "兴国三站" in page.inner_text("body")
    page.go_back()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.reload()
    page.wait_for_selector("#scenario-map[data-ready=true]", timeout=30_000)
    shot(page, "siting-detail-desktop")
