"""The 403 and 404 pages in real Chromium, at desktop width and on a 390 px phone: inside the shell,
in Chinese, with the reason and a way back that works.
Screenshots: test-artifacts/errors-*.png."""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot

pytestmark = BROWSER_MARKS

PHONE = {"width": 390, "height": 844}


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _check_error_page(page, name: str, status: str, title: str, reason: str) -> None:
    card = page.locator(f"section.fc-error[data-status='{status}']")
    assert card.locator("h1").inner_text() == title
    assert reason in card.inner_text()
    assert page.locator(".fc-topbar .fc-nav").is_visible()
    assert page.locator("#fc-language").is_visible()
    shot(page, f"errors-{name}-desktop")
    page.set_viewport_size(PHONE)
    assert card.locator("a.btn-primary").is_visible()
    assert _fits_the_width(page)
    shot(page, f"errors-{name}-390px")
    assert page.js_errors == []


def test_a_refused_page_shows_the_reason_in_the_shell_and_leads_back(
    live_server, market_manager_user, browser_page
):
    page, base = browser_page, live_server.url
    log_in(page, base, "manager_user")
    page.goto(f"{base}/network/stations/")
    page.goto(f"{base}/sales/imports/new/", referer=f"{base}/network/stations/")
    _check_error_page(page, "403", "403", "无权访问", "只有省中心和市级机构可以导入销售数据。")
    page.click("text=返回上一页")
    page.wait_for_url(f"{base}/network/stations/")


@pytest.mark.parametrize("code", ["36040001", "36049999"])  # 九江's station, and none at all
def test_an_out_of_scope_station_and_a_missing_one_show_the_same_404(
    live_server, network, ganzhou_user, browser_page, code
):
    page, base = browser_page, live_server.url
    log_in(page, base, "ganzhou_user")
    response = page.goto(f"{base}/network/stations/{code}/")
    assert response.status == 404
    _check_error_page(
        page, f"404-{code}", "404", "页面不存在", "您要查看的页面或记录不存在，或不在您的范围内。"
    )
    page.click("text=返回首页")
    page.wait_for_url(f"{base}/network/")  # home sends the user on to their landing page
