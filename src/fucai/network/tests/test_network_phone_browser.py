"""Network development on a phone, in real Chromium at 390 × 844 (issue 9): a market manager
completes a 四帮 task with a note, a 九江 user reads their partner's page, a city user reads a lead
with its map (the offender of the spacing rule drawn and named) and places a new lead on the map.
No page is wider than the phone.

Screenshots: test-artifacts/network-phone-*.png. Skipped without Chromium, unless
FUCAI_REQUIRE_BROWSER=1 (fucai.core.testing.browser)."""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot
from fucai.network.models import OnboardingTask
from fucai.network.tests.test_leads import _lead, _north
from fucai.network.tests.test_partners import (  # noqa: F401 (its fixtures)
    AS_OF,
    partners,
    store,
    write_csv,
)

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_MARKS


def _phone(page, base: str, username: str):
    log_in(page, base, username)
    page.set_viewport_size(PHONE)
    return page


def _fits(page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _on_screen(page, selector: str) -> None:
    """Visible and inside the phone's width."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)


def test_a_market_manager_completes_a_four_helps_task_with_a_note_on_a_phone(
    live_server, network, market_manager_user, browser_page
):
    OnboardingTask.objects.filter(plan__station__code="36110214").update(manager=network["manager"])
    page = _phone(browser_page, live_server.url, "manager_user")
    page.goto(f"{live_server.url}/network/stations/36110214/onboarding/3/")
    _on_screen(page, "h1")
    _on_screen(page, "#onboarding-task button[type=submit]")
    _fits(page)
    page.select_option("#id_state", "done")
    page.fill("#id_notes", "指导开业活动：即开票试刮体验")
    shot(page, "network-phone-task")
    with page.expect_navigation():
        page.click("#onboarding-task button[type=submit]")
    assert page.url.endswith("/network/stations/36110214/onboarding/")
    task = OnboardingTask.objects.get(plan__station__code="36110214", number=3)
    assert (task.state, task.notes) == ("done", "指导开业活动：即开票试刮体验")
    assert task.completed_by == market_manager_user
    _fits(page)
    shot(page, "network-phone-plan")
    assert page.js_errors == []


def test_the_partner_page_fits_a_phone_with_its_outlets_and_their_sales(
    live_server,
    partners,  # noqa: F811 (test_partners' fixture: 九江's group, two outlets and their sales)
    jiujiang_user,
    browser_page,
):
    page = _phone(browser_page, live_server.url, "jiujiang_user")
    page.goto(f"{live_server.url}/network/partners/{partners['jj'].pk}/?as_of={AS_OF}")
    assert "测试浔城商业集团" in page.inner_text("h1")
    outlets = page.inner_text("main")
    assert "36040001" in outlets and "36040002" in outlets and "浔城广场" in outlets
    assert "245.00" in outlets  # 万元 since opening, both outlets
    _on_screen(page, "h1")
    _on_screen(page, "[data-station='36040002']")
    _fits(page)
    shot(page, "network-phone-partner")
    assert page.js_errors == []


@pytest.fixture
def refused_lead(network, province_admin):
    """A 兴国县 lead 150 m north of a 专营 station, recorded despite the 200 m rule."""
    from fucai.conftest import make_station
    from fucai.network.leads import save_lead
    from fucai.network.models import SpacingRule

    station = make_station("36110301", "360732", operation="dedicated")
    SpacingRule.objects.create(
        name="专营站间距",
        applies_to="dedicated",
        target="stations",
        target_operation="dedicated",
        min_m=200,
    )
    lead = _lead("360732", station.lon, _north(station.lat, 150))
    save_lead(lead, province_admin, "测试：先记录再议")
    return lead


def test_a_lead_shows_its_map_with_the_offender_on_a_phone_and_a_new_one_is_placed_by_a_click(
    live_server, refused_lead, ganzhou_user, browser_page
):
    page = _phone(browser_page, live_server.url, "ganzhou_user")
    page.goto(f"{live_server.url}/network/leads/{refused_lead.pk}/")
    page.wait_for_selector("#lead-minimap canvas")
    assert "36110301" in page.inner_text("#lead-violations")
    offender = page.inner_text("#lead-around li[data-kind=offender]")
    assert offender.startswith("36110301 · 专营站间距，") and offender.endswith(" 米")
    _on_screen(page, "#lead-minimap")
    _on_screen(page, "#lead-around li[data-kind=offender]")
    _fits(page)
    page.locator("#lead-minimap").scroll_into_view_if_needed()
    shot(page, "network-phone-lead")

    page.goto(f"{live_server.url}/network/leads/new/")
    assert page.locator("#lead-picker-panel").is_hidden()  # no county chosen yet
    page.select_option("#id_county", str(refused_lead.county_id))  # 兴国县
    page.wait_for_selector("#lead-picker[data-ready=true] canvas")
    _on_screen(page, "#lead-picker")
    box = page.locator("#lead-picker").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.getElementById('id_lon').value !== ''")
    lon, lat = float(page.input_value("#id_lon")), float(page.input_value("#id_lat"))
    assert 115.0 < lon < 116.0 and 26.0 < lat < 27.0  # inside 兴国县 (GCJ-02)
    assert page.get_attribute("#lead-picker", "data-picked") == f"{lon:.6f},{lat:.6f}"
    _fits(page)
    shot(page, "network-phone-lead-new")
    assert page.js_errors == []
