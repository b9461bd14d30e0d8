"""The users list and a user's page in real Chromium, for the 赣州 user administrator, at desktop
width and on a 390 px phone. Screenshots: test-artifacts/users-*.png."""

from __future__ import annotations

import pytest

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot

pytestmark = BROWSER_MARKS

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def ganzhou_admin(ganzhou, network):
    make_user("gz_party", Role.PARTY, city=ganzhou)
    make_user("gz_manager", Role.MANAGER, city=ganzhou, market_manager=network["manager"])
    return make_user("ganzhou_admin", Role.CITY, Role.ADMIN, Role.PARTY, city=ganzhou)


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_users_list_and_a_users_page_render_for_the_admin_on_desktop_and_phone(
    live_server, ganzhou_admin, jiujiang_user, browser_page
):
    page, base = browser_page, live_server.url
    log_in(page, base, "ganzhou_admin")
    page.click(".fc-nav >> text=用户管理")
    page.wait_for_url(f"{base}/accounts/users/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    assert "jiujiang_user" not in page.locator("table").inner_text()
    assert page.locator("#user-count").inner_text() == "3 个用户"
    shot(page, "users-list-desktop")
    page.set_viewport_size(PHONE)
    assert _fits_the_width(page)
    shot(page, "users-list-390px")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("table >> text=gz_manager")
    assert page.locator("#assignments").inner_text().count("市场管理员") == 1
    page.select_option("#id_role", "party")
    page.click("#role-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "党务" in page.locator("#assignments").inner_text()
    shot(page, "users-detail-desktop")
    page.set_viewport_size(PHONE)
    assert page.locator("#deactivate").is_visible()
    assert _fits_the_width(page)
    shot(page, "users-detail-390px")
    assert page.js_errors == []
