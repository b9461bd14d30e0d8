"""The province sales cockpit through the Django test client: cards, ranking, chart JSON, Excel
exports and scope (province, city agency, market manager), on facts worked out by hand."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import YearToDateRunner
from fucai.analytics.scope import Scope
from fucai.sales.ingest.importer import import_files

AS_OF = "2023-09-03"
# Yuan. As of 2023-09-03 (against 2022-01-01..2022-09-03):
#   九江 (36040001, 36040002): 240M + 100M + 60M = 400M against 300M + 50M = 350M → +14.3 %
#   赣州 (36110214, 36110001): 30M + 170M + 100M = 300M against 150M → +100.0 %
#   total 700M against 500M → +40.0 % (2021's window: 500M → a record high)
#   instant 230M against 50M → +360.0 %, a record; draw 470M against 450M → +4.4 %, below 2021
FACTS = [
    ["36040001", "2021-08-10", "ssq", "500000000.00", "100"],
    ["36040001", "2022-03-15", "ssq", "300000000.00", "100"],
    ["36040001", "2022-09-03", "instant", "50000000.00", "100"],
    ["36040001", "2022-11-20", "ssq", "200000000.00", "100"],
    ["36110214", "2022-06-01", "3d", "150000000.00", "100"],
    ["36110214", "2023-02-10", "instant", "30000000.00", "100"],
    ["36110001", "2023-03-01", "instant", "100000000.00", "100"],
    ["36040001", "2023-03-15", "ssq", "240000000.00", "100"],
    ["36110214", "2023-06-01", "kl8", "170000000.00", "100"],
    ["36040002", "2023-07-01", "kl8", "60000000.00", "100"],
    ["36040001", "2023-09-03", "instant", "100000000.00", "100"],
    ["36040001", "2023-09-04", "ssq", "77770000.00", "100"],  # the last day with a sale
]
YUAN = 100  # fen
# the cockpit's chart data, served by the sales API (fucai.sales.api.cockpit)
CHARTS = {
    "monthly": "api:sales_cockpit_monthly",
    "games": "api:sales_cockpit_games",
    "map": "api:sales_cockpit_map",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(network, store, write_csv, settings):
    settings.ANALYTICS_RECHECK_SECONDS = 0
    assert import_files(
        [write_csv("facts.csv", FACTS)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    return store


def _get(client, user, name: str = "sales:cockpit", **params):
    client.force_login(user)
    return client.get(reverse(name), {"as_of": AS_OF, **params})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _card(html: str, figure: str) -> str:
    match = re.search(rf'data-figure="{figure}">(.*?)</div>\s*</div>', html, re.S)
    assert match, f"no card {figure}"
    return _text(match.group(1))


def _table(html: str, table_id: str) -> list[list[str]]:
    match = re.search(rf'id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert match, f"no table {table_id}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(1), re.S)
    return [[_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


# -- the page -------------------------------------------------------------------------------------
def test_an_anonymous_visitor_is_sent_to_the_login_page_and_the_chart_api_refuses(client):
    response = client.get(reverse("sales:cockpit"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for name in CHARTS.values():
        assert client.get(reverse(name)).status_code == 401


def test_the_menu_offers_the_cockpit(client, province_admin):
    client.force_login(province_admin)
    response = client.get(reverse("network:overview"))
    names = [item["name"] for group in response.context["nav_menu"] for item in group["items"]]
    assert "sales:cockpit" in names
    assert "销售驾驶舱" in response.content.decode()


def test_the_province_cards_show_the_figures_worked_out_by_hand(client, facts, province_admin):
    response = _get(client, province_admin)
    assert response.status_code == 200
    cards = response.context["cards"]
    assert (cards.total.amount_fen, cards.total.prior_amount_fen) == (
        700_000_000 * YUAN,
        500_000_000 * YUAN,
    )
    html = response.content.decode()
    # compared with 2021 and 2022 only (fewer years than FUCAI_RECORD_HIGH_MIN_YEARS)
    assert (
        _card(html, "total")
        == "本年累计销量 7.00 亿元 同比 +40.0% 2021年以来新高 去年同期 5.00亿元"
    )
    assert (
        _card(html, "instant")
        == "即开票销量 2.30 亿元 同比 +360.0% 2021年以来新高 去年同期 0.50亿元"
    )
    assert _card(html, "instant_share") == "即开票占比 32.9% 去年同期 10.0%"
    # draw games grew, but 2021's window (500M) was higher: no record badge
    assert _card(html, "draw") == "电脑票销量 4.70 亿元 同比 +4.4% 去年同期 4.50亿元"
    assert _card(html, "stations") == "在营站点 5 年内净增 +3 年初 2 个"
    assert "2023-01-01 至 2023-09-03，对比 2022-01-01 至 2022-09-03" in _text(html)


def test_the_province_ranks_cities_with_yoy_and_share_of_the_province(
    client, facts, province_admin
):
    html = _get(client, province_admin).content.decode()
    assert _table(html, "ranking-table") == [
        ["1", "九江市", "40,000.00", "35,000.00", "+14.3%", "57.1%"],
        ["2", "赣州市", "30,000.00", "15,000.00", "+100.0%", "42.9%"],
    ]
    assert "占全省比重" in html


def test_without_a_day_the_cockpit_opens_on_the_last_day_with_sales(client, facts, province_admin):
    client.force_login(province_admin)
    response = client.get(reverse("sales:cockpit"))
    assert response.context["as_of"] == dt.date(2023, 9, 4)
    assert response.context["cards"].total.amount_fen == 777_770_000 * YUAN


def test_a_day_after_the_data_is_clamped_to_the_last_sale_and_says_so(
    client, facts, province_admin
):
    response = _get(client, province_admin, as_of="2030-01-01")
    assert response.context["as_of"] == dt.date(2023, 9, 4)
    assert "销售数据截至 2023-09-04" in response.content.decode()
    response = _get(client, province_admin, as_of="2019-05-01")
    assert response.context["as_of"] == dt.date(2021, 1, 1)


def test_the_bulletin_day_is_one_click_away(client, facts, province_admin):
    client.force_login(province_admin)
    html = client.get(reverse("sales:cockpit")).content.decode()
    assert 'href="?as_of=2023-09-03&amp;compare=calendar"' in html
    assert "通报（2023-09-03）" in html


def test_comparing_by_selling_days_moves_the_prior_window(client, facts, province_admin):
    # 2023-02-01 is after 2023's Spring-Festival closure (01-19..28), inside 2022's (01-29..02-07):
    # 22 selling days, which 2022 had reached on 22 January
    calendar = _get(client, province_admin, as_of="2023-02-01").context["cards"].ytd
    selling = _get(client, province_admin, as_of="2023-02-01", compare="selling_days")
    selling = selling.context["cards"].ytd
    expected = YearToDateRunner(AnalyticsContext("duckdb", facts), Scope.province()).run(
        dt.date(2023, 2, 1), compare="selling_days"
    )
    assert selling.compare == "selling_days"
    assert selling.prior_window == expected.prior_window
    assert selling.prior_window.end == dt.date(2022, 1, 22)
    assert calendar.prior_window.end == dt.date(2022, 2, 1)


def test_an_empty_store_renders_zeros_and_a_notice(client, network, store, province_admin):
    client.force_login(province_admin)
    response = client.get(reverse("sales:cockpit"))
    assert response.status_code == 200
    assert response.context["cards"].total.amount_fen == 0
    assert "还没有导入销售数据" in response.content.decode()


# -- chart data (the sales API) ------------------------------------------------------------------
def test_the_monthly_json_pairs_this_years_months_with_last_years(client, facts, province_admin):
    data = _get(client, province_admin, CHARTS["monthly"]).json()
    assert (data["year"], data["prior_year"]) == (2023, 2022)
    months = {m["month"]: m for m in data["months"]}
    assert len(months) == 12
    assert months[3] == {
        "month": 3,
        "amount_yuan": "340000000.00",
        "same_period_yuan": "300000000.00",
        "last_year_yuan": "300000000.00",
        "yoy_pct": "13.3",
        "partial": False,
    }
    assert months[2]["amount_yuan"] == "30000000.00" and months[2]["yoy_pct"] is None
    # September to the 3rd, against 2022-09-01..03; 2022's whole September is the same here
    assert (months[9]["amount_yuan"], months[9]["same_period_yuan"]) == (
        "100000000.00",
        "50000000.00",
    )
    assert months[9]["partial"] is True and months[9]["yoy_pct"] == "100.0"
    assert months[11]["amount_yuan"] is None  # not yet
    assert months[11]["last_year_yuan"] == "200000000.00"


def test_the_games_json_gives_each_games_amount_yoy_and_share(client, facts, province_admin):
    data = _get(client, province_admin, CHARTS["games"]).json()
    games = {
        g["key"]: (g["amount_yuan"], g["prior_amount_yuan"], g["yoy_pct"], g["share_pct"])
        for g in data["games"]
    }
    assert games == {
        "ssq": ("240000000.00", "300000000.00", "-20.0", "34.3"),
        "instant": ("230000000.00", "50000000.00", "360.0", "32.9"),
        "kl8": ("230000000.00", "0.00", None, "32.9"),
        "3d": ("0.00", "150000000.00", "-100.0", "0.0"),
    }
    assert data["total"]["amount_yuan"] == "700000000.00"
    assert {g["key"]: g["category"] for g in data["games"]}["instant"] == "即开票"


def test_the_province_map_colours_cities_and_drills_down_to_counties_and_stations(
    client, facts, province_admin
):
    cities = _get(client, province_admin, CHARTS["map"]).json()
    assert cities["level"] == "city"
    assert [(r["code"], r["yoy_pct"]) for r in cities["regions"]] == [
        ("360400", "14.3"),
        ("360700", "100.0"),
    ]
    assert cities["stations"] == []
    ganzhou = _get(client, province_admin, CHARTS["map"], city="360700").json()
    assert (ganzhou["level"], ganzhou["city"]) == ("county", "360700")
    assert [(r["code"], r["name"], r["amount_yuan"], r["yoy_pct"]) for r in ganzhou["regions"]] == [
        ("360732", "兴国县", "200000000.00", "33.3"),
        ("360702", "章贡区", "100000000.00", None),
    ]
    stations = {s["code"]: s["amount_yuan"] for s in ganzhou["stations"]}
    assert stations == {"36110214": "200000000.00", "36110001": "100000000.00"}
    assert all(s["lon"] and s["lat"] for s in ganzhou["stations"])


# -- Excel exports --------------------------------------------------------------------------------
def test_the_ranking_exports_to_excel_in_exact_yuan(client, facts, province_admin):
    rows = _sheet(_get(client, province_admin, export="ranking"))
    assert rows[0] == (
        "排名",
        "代码",
        "城市",
        "本年累计（元）",
        "去年同期（元）",
        "同比 (%)",
        "占全省比重 (%)",
    )
    assert rows[1:] == [
        (1, "360400", "九江市", 400000000, 350000000, 14.3, 57.1),
        (2, "360700", "赣州市", 300000000, 150000000, 100, 42.9),
        (None, None, "合计", 700000000, 500000000, 40, 100),
    ]


def test_the_games_and_monthly_tables_export_too(client, facts, province_admin):
    games = _sheet(_get(client, province_admin, export="games"))
    assert [r[0] for r in games[1:]] == ["双色球", "即开票", "快乐8", "福彩3D", "合计"]
    assert games[2][:5] == ("即开票", "即开票", 230000000, 50000000, 360)
    months = _sheet(_get(client, province_admin, export="monthly"))
    assert len(months) == 13
    assert months[3] == ("2023-03", 340000000, 300000000, 13.3, 300000000)
    assert months[9][0] == "2023-09（截至 09-03）"
    assert months[11] == ("2023-11", None, None, None, 200000000)


def test_an_unknown_export_is_not_found(client, facts, province_admin):
    assert _get(client, province_admin, export="secrets").status_code == 404


# -- scope ---------------------------------------------------------------------------------------
def test_a_ganzhou_user_sees_only_ganzhou(client, facts, ganzhou_user):
    response = _get(client, ganzhou_user)
    html = response.content.decode()
    assert (
        _card(html, "total")
        == "本年累计销量 3.00 亿元 同比 +100.0% 2021年以来新高 去年同期 1.50亿元"
    )
    assert _card(html, "instant").startswith("即开票销量 1.30 亿元 同比 —")
    assert _card(html, "stations") == "在营站点 3 年内净增 +2 年初 1 个"
    assert _table(html, "ranking-table") == [
        ["1", "兴国县", "20,000.00", "15,000.00", "+33.3%", "66.7%"],
        ["2", "章贡区", "10,000.00", "0.00", "—", "33.3%"],
    ]
    assert "占全市比重" in html and "九江" not in _text(html)


def test_a_city_whose_last_sale_is_older_still_opens_on_the_stores_last_day(
    client, facts, ganzhou_user
):
    client.force_login(ganzhou_user)  # 赣州's last sale: 2023-06-01; the store's: 2023-09-04
    assert client.get(reverse("sales:cockpit")).context["as_of"] == dt.date(2023, 9, 4)
    response = _get(client, ganzhou_user)
    assert response.context["as_of"] == dt.date(2023, 9, 3)
    assert response.context["form"].notice == ""


def test_a_ganzhou_users_charts_and_map_hold_only_ganzhou(client, facts, ganzhou_user):
    games = _get(client, ganzhou_user, CHARTS["games"]).json()
    assert games["total"]["amount_yuan"] == "300000000.00"
    months = _get(client, ganzhou_user, CHARTS["monthly"]).json()["months"]
    march = months[2]  # 九江's 240M in March are not theirs
    assert (march["amount_yuan"], march["same_period_yuan"]) == ("100000000.00", "0.00")
    data = _get(client, ganzhou_user, CHARTS["map"]).json()
    assert (data["level"], data["city"]) == ("county", "360700")
    assert {r["code"] for r in data["regions"]} == {"360732", "360702"}
    assert {s["code"] for s in data["stations"]} == {"36110214", "36110001"}
    assert _get(client, ganzhou_user, CHARTS["map"], city="360400").status_code == 403


def test_a_ganzhou_users_export_holds_only_ganzhous_counties(client, facts, ganzhou_user):
    rows = _sheet(_get(client, ganzhou_user, export="ranking"))
    assert [r[2] for r in rows[1:]] == ["兴国县", "章贡区", "合计"]
    assert rows[-1][3] == 300000000


def test_a_market_manager_sees_only_their_territory(client, facts, market_manager_user):
    response = _get(client, market_manager_user)
    html = response.content.decode()
    assert response.context["cards"].total.amount_fen == 200_000_000 * YUAN
    assert _card(html, "total").startswith("本年累计销量 2.00 亿元 同比 +33.3%")
    assert _card(html, "stations") == "在营站点 1 年内净增 0 年初 1 个"
    ranking = _table(html, "ranking-table")
    assert len(ranking) == 1 and ranking[0][:2] == ["1", "兴国县0214投注站"]
    data = _get(client, market_manager_user, CHARTS["map"]).json()
    assert [r["code"] for r in data["regions"]] == ["360732"]
    assert [s["code"] for s in data["stations"]] == ["36110214"]
    games = _get(client, market_manager_user, CHARTS["games"]).json()
    assert {g["key"]: g["amount_yuan"] for g in games["games"]} == {
        "kl8": "170000000.00",
        "instant": "30000000.00",
        "3d": "0.00",
    }


def test_small_amounts_are_shown_in_ten_thousand_yuan(
    client, network, store, write_csv, owner_user
):
    assert import_files(
        [write_csv("small.csv", [["36110214", "2023-06-01", "kl8", "12345.67", "10"]])],
        store=store,
        today=dt.date(2023, 12, 31),
    ).ok
    html = _get(client, owner_user).content.decode()
    assert _card(html, "total").startswith("本年累计销量 1.23 万元")


def test_the_cockpit_queries_the_same_for_5_and_50_stations(client, facts, province_admin):
    from fucai.analytics.backends import forget_contexts, result_cache
    from fucai.core.tests.test_query_counts import GROWN, more_stations, queries
    from fucai.sales.dimensions import current_dimensions

    def first_visit() -> int:  # builds the analytics context, the dimensions and every figure
        forget_contexts()
        result_cache().clear()
        current_dimensions(facts, full=True)  # the full check done; the visit takes the snapshot
        return queries(client, province_admin, url)

    url = reverse("sales:cockpit") + f"?as_of={AS_OF}"
    queries(client, province_admin, url)
    before = first_visit()
    more_stations(GROWN - 5)
    after = first_visit()
    again = queries(client, province_admin, url)  # same network: the kept context and figures
    assert after == before <= 40
    assert again < after


def test_every_request_thread_shares_one_analytics_context(facts, settings):
    import threading

    settings.ANALYTICS_RECHECK_SECONDS = 60  # the other thread finds it checked: no database
    seen = []
    thread = threading.Thread(target=lambda: seen.append(AnalyticsContext.current()))
    mine = AnalyticsContext.current()
    thread.start()
    thread.join()
    theirs = seen[0]
    assert theirs is not mine and theirs.con is not mine.con
    assert (theirs.cache_key, theirs.dims, theirs.memo) == (mine.cache_key, mine.dims, mine.memo)
    assert theirs.memo is mine.memo and theirs.slices is mine.slices


def test_after_the_warm_up_the_provinces_first_visit_computes_nothing_new(
    client, facts, province_admin
):
    from fucai.analytics.backends import forget_contexts, result_cache
    from fucai.core.tests.test_query_counts import queries
    from fucai.core.warmup import warm_up

    url = reverse("sales:cockpit")  # the default day, as the warm-up computes it
    forget_contexts()
    result_cache().clear()
    warm_up()
    first = queries(client, province_admin, url)
    assert queries(client, province_admin, url) == first
