"""Security in real Chromium: data shown in chart tooltips cannot run script, and the pages pass
their Content-Security-Policy (no inline script, nothing loaded from elsewhere).

Screenshots go to test-artifacts/ (gitignored). Skipped when /usr/bin/chromium is missing, unless
FUCAI_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import pytest

from fucai.core.testing.browser import BROWSER_MARKS, log_in, shot

pytestmark = BROWSER_MARKS

# The name a city agency could give a station in an import or the API.
HOSTILE_NAME = "<img src=x onerror=alert(1)>"

# Shows the tooltip of the first scatter point whose data carries `code` (the network map), or of
# the first point of the first series (the station's mini map). Returns whether it found one.
SHOW_TIP = """([selector, code]) => {
  const chart = echarts.getInstanceByDom(document.querySelector(selector));
  const series = chart.getOption().series;
  for (let s = 0; s < series.length; s++) {
    const data = series[s].data || [];
    for (let d = 0; d < data.length; d++) {
      if (code === null || (data[d] && data[d].code === code)) {
        chart.dispatchAction({ type: "showTip", seriesIndex: s, dataIndex: d });
        return true;
      }
    }
  }
  return false;
}"""

# Resolves once an image with the hostile name's `src` has failed to load: the hostile image,
# had it been created, failed before this one (same URL, requested earlier), so its onerror ran.
IMAGE_X_FAILED = """() => new Promise((resolve) => {
  const probe = new Image();
  probe.addEventListener("error", () => resolve(true));
  probe.src = "x";
})"""


@pytest.fixture
def hostile_station(network):
    """九江's 36040001 renamed to HTML that would run script if put into the page unescaped."""
    station = network["stations"]["xunyang"]
    station.name = HOSTILE_NAME
    station.save()
    return station


def _watch_dialogs(page) -> list[str]:
    dialogs: list[str] = []

    def record(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return dialogs


def _tooltip_shows_name_as_text(page, selector: str, code: str | None, dialogs) -> None:
    assert page.evaluate(SHOW_TIP, [selector, code])
    page.wait_for_function(
        "([selector, code]) => document.querySelector(selector).textContent.includes(code)",
        arg=[selector, "36040001"],
    )
    tooltip_text = page.evaluate(f"document.querySelector({selector!r}).textContent")
    assert f"36040001 {HOSTILE_NAME}" in tooltip_text
    assert page.locator(f"{selector} img").count() == 0
    assert page.evaluate(IMAGE_X_FAILED)
    assert dialogs == []


def test_a_station_named_like_html_shows_as_text_in_the_map_tooltip_of_a_provincial_user(
    live_server, hostile_station, province_admin, browser_page
):
    page, base = browser_page, live_server.url
    dialogs = _watch_dialogs(page)
    log_in(page, base, "province_admin")
    page.goto(f"{base}/network/map/?as_of=2023-09-03")
    page.wait_for_selector("#station-map[data-ready=true]", timeout=20_000)
    _tooltip_shows_name_as_text(page, "#station-map", "36040001", dialogs)
    shot(page, "security-01-map-tooltip")
    assert page.js_errors == []


def test_a_station_named_like_html_shows_as_text_in_its_detail_pages_map_tooltip(
    live_server, hostile_station, province_admin, browser_page
):
    page, base = browser_page, live_server.url
    dialogs = _watch_dialogs(page)
    log_in(page, base, "province_admin")
    page.goto(f"{base}/network/stations/36040001/")
    page.wait_for_selector("#station-minimap canvas")
    assert HOSTILE_NAME in page.inner_text("h1")  # Django's templates escape it already
    _tooltip_shows_name_as_text(page, "#station-minimap", None, dialogs)
    shot(page, "security-02-minimap-tooltip")
    assert page.js_errors == []


# Every main page, and what shows it has finished drawing. The policy is checked on each.
PAGES = {
    "/network/": "#overview-chart canvas",
    "/network/stations/": "table.table tbody tr",
    "/network/stations/36040001/": "#station-minimap canvas",
    "/network/map/?as_of=2023-09-03": "#station-map[data-ready=true]",
    "/network/import/": "main form",
    "/sales/": "#monthly-chart canvas",
    "/sales/imports/": "main h1",
    "/sales/imports/new/": "main form",
    "/audit/": "main table",
    "/api/docs": ".swagger-ui .info",
}
# Pages allowed to carry an inline <script> (none: the policy has no hash or nonce for any).
STILL_INLINE_SCRIPT: set[str] = set()
INLINE_SCRIPTS = """() => Array.from(document.scripts).filter(
  (s) => !s.src && s.type !== "application/json").length"""

# Collects the page's policy violations before any of its scripts runs (Playwright's init scripts
# are not subject to the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
                              " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def test_the_main_pages_pass_the_content_security_policy_without_errors(
    live_server, network, province_admin, browser_page
):
    page, base = browser_page, live_server.url
    page.add_init_script(RECORD_VIOLATIONS)
    console_errors: list[str] = []
    page.on(
        "console", lambda m: m.type == "error" and console_errors.append(f"{page.url} {m.text}")
    )
    problems: dict[str, list[str]] = {}
    inline: set[str] = set()

    def visit(path: str, ready: str) -> None:
        response = page.goto(f"{base}{path}")
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, f"{path} has no script policy: {policy!r}"
        page.wait_for_selector(ready, timeout=20_000)
        violations = page.evaluate("window.__cspViolations")
        if violations:
            problems[path] = violations
        if page.evaluate(INLINE_SCRIPTS):
            inline.add(path)

    visit("/login/", "#id_username")
    log_in(page, base, "province_admin")
    for path, ready in PAGES.items():
        visit(path, ready)
        shot(
            page, "security-csp-" + (path.strip("/").split("?")[0].replace("/", "-") or "overview")
        )
    page.goto(f"{base}/network/map/?as_of=2023-09-03")
    with page.expect_navigation():
        page.select_option("#fc-language", "en")  # the switcher's script is a file now
    assert "Station map" in page.inner_text("h1")

    assert problems == {}
    assert console_errors == []
    assert inline == STILL_INLINE_SCRIPT
    assert page.js_errors == []
