"""A station's own sales on its page, the sales alerts of the overview, and the owner's landing,
on facts worked out by hand (the `network` fixture plus two more 兴国县 stations)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fucai.conftest import make_station
from fucai.network.choices import StationStatus
from fucai.sales.ingest.importer import import_files
from fucai.sales.tests.test_cockpit import _card, _sheet, _table, _text

AS_OF = "2023-09-03"
# Yuan. As of 2023-09-03 (this year 2023-01-01..09-03 against 2022-01-01..09-03; the last four
# weeks 2023-08-07..09-03 against 2022-08-08..09-04):
#   36110214 (兴国县, the owner's and the market manager's): 300,000 + 50,000 = 350,000 against
#     200,000 + 100,000 = 300,000 → +16.7 %; draw 50,000 against 300,000 → -83.3 %; last sale
#     08-30 → 4 selling days without sales; last 4 weeks 50,000 against 100,000 → -50.0 %
#   36110215 (兴国县): 500,000, last sale 05-05 → 121 selling days without sales
#   36110216 (兴国县): 20,000, suspended since 08-01 → not "without sales"
#   36110001 (章贡区): 110,000, sold on 09-03; 36110002 (瑞金市, open since 04-01): nothing → 156
#   36040001 (九江): last 4 weeks 650,000 against 1,000,000 → -35.0 %; 36040002: sold on 09-01
#   rank of 36110214: 2nd of 3 in 兴国县 (500,000 > 350,000 > 20,000), 2nd of 4 in 赣州市
FACTS = [
    ["36110214", "2022-06-10", "ssq", "200000.00", "10"],
    ["36110214", "2022-08-15", "kl8", "100000.00", "10"],
    ["36110214", "2023-02-10", "instant", "300000.00", "10"],
    ["36110214", "2023-08-30", "kl8", "50000.00", "10"],
    ["36110215", "2023-05-05", "ssq", "500000.00", "10"],
    ["36110216", "2023-01-05", "ssq", "20000.00", "10"],
    ["36110001", "2023-03-01", "instant", "100000.00", "10"],
    ["36110001", "2023-09-03", "ssq", "10000.00", "10"],
    ["36040001", "2022-08-20", "ssq", "1000000.00", "10"],
    ["36040001", "2023-08-20", "ssq", "600000.00", "10"],
    ["36040001", "2023-09-02", "instant", "50000.00", "10"],
    ["36040002", "2023-09-01", "kl8", "80000.00", "10"],
]
OWN = "36110214"

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(network, store, write_csv, settings):
    settings.ANALYTICS_RECHECK_SECONDS = 0
    settings.ALERT_NO_SALES_DAYS = 7
    settings.ALERT_DROP_PCT = 30.0
    make_station("36110215", "360732")
    suspended = make_station("36110216", "360732")
    suspended.transition(StationStatus.SUSPENDED, dt.date(2023, 8, 1))
    assert import_files(
        [write_csv("facts.csv", FACTS)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    return store


def _page(client, user, code: str = OWN, **params):
    client.force_login(user)
    return client.get(reverse("network:station_detail", args=[code]), {"as_of": AS_OF, **params})


# -- the station page ------------------------------------------------------------------------------
def test_the_station_page_shows_its_year_to_date_rank_and_days_without_sales(
    client, facts, province_admin
):
    response = _page(client, province_admin)
    assert response.status_code == 200
    html = response.content.decode()
    # a record: 2022 is the only earlier year of the store
    total = "本年累计销量 35.00 万元 同比 +16.7% 创历史新高 去年同期 30.00万元"
    assert _card(html, "total") == total
    assert _card(html, "draw") == "电脑票销量 5.00 万元 同比 -83.3% 去年同期 30.00万元"
    assert _card(html, "instant").startswith("即开票销量 30.00 万元 同比 —")
    assert _card(html, "rank-1") == "兴国县排名 2 / 3 本年有销量的站点中"
    assert _card(html, "rank-2") == "赣州市排名 2 / 4 本年有销量的站点中"
    assert _card(html, "idle") == "无销量天数 4 最近销售 2023-08-30"
    assert _table(html, "games-table") == [
        ["即开票", "30.00", "0.00", "—", "85.7%"],
        ["快乐8", "5.00", "10.00", "-50.0%", "14.3%"],
        ["双色球", "0.00", "20.00", "-100.0%", "0.0%"],
    ]
    months = _table(html, "monthly-table")
    assert months[1] == ["2023-02", "30.00", "0.00", "—", "0.00"]
    assert months[7] == ["2023-08", "5.00", "10.00", "-50.0%", "10.00"]
    assert months[8][0] == "2023-09（截至 09-03）"


def test_the_as_of_day_moves_the_figures_and_is_clamped_into_the_sales_data(
    client, facts, province_admin
):
    html = _page(client, province_admin, as_of="2023-06-30").content.decode()
    assert _card(html, "total").startswith("本年累计销量 30.00 万元")
    assert _card(html, "idle") == "无销量天数 140 最近销售 2023-02-10"
    response = _page(client, province_admin, as_of="2024-05-01")
    assert response.context["board"].as_of == dt.date(2023, 9, 3)
    assert "2023-09-03" in _text(response.content.decode())


def test_a_suspended_station_is_not_without_sales(client, facts, province_admin):
    html = _page(client, province_admin, "36110216").content.decode()
    assert _card(html, "idle") == "无销量天数 — 当日未营业"


def test_days_without_sales_skip_the_days_the_sales_calendar_closes(client, facts, province_admin):
    from fucai.sales.models import SalesSuspension

    SalesSuspension.objects.create(
        name="测试休市", start=dt.date(2023, 9, 1), end=dt.date(2023, 9, 2), draw_games_stop=True
    )
    html = _page(client, province_admin).content.decode()
    assert _card(html, "idle") == "无销量天数 2 最近销售 2023-08-30"


def test_the_owner_sees_their_rank_but_no_other_stations_name_or_figures(client, facts, owner_user):
    response = _page(client, owner_user)
    assert response.status_code == 200
    html = response.content.decode()
    assert _card(html, "rank-1") == "兴国县排名 2 / 3 本年有销量的站点中"
    for foreign in ("36110215", "36110216", "36110001", "50.00", "500,000.00", "2.00", "11.00"):
        assert foreign not in html
    ranks = _sheet(_page(client, owner_user, export="position"))
    assert ranks == [("排名范围", "排名", "有销量的站点数"), ("兴国县", 2, 3), ("赣州市", 2, 4)]


@pytest.mark.parametrize(
    ("user", "code"),
    [("jiujiang_user", OWN), ("owner_user", "36110001"), ("market_manager_user", "36110215")],
)
def test_a_station_outside_the_users_scope_is_absent_on_every_path(
    client, facts, request, user, code
):
    client.force_login(request.getfixturevalue(user))
    detail = reverse("network:station_detail", args=[code])
    for params in ({}, {"export": "ytd"}, {"export": "history"}):
        assert client.get(detail, params).status_code == 404
    charts = reverse("network:station_sales", args=[code])
    assert client.get(charts, {"chart": "monthly"}).status_code == 404


def test_a_city_user_sees_their_citys_stations_and_not_the_others(
    client, facts, ganzhou_user, jiujiang_user
):
    assert _page(client, ganzhou_user).status_code == 200
    assert _page(client, ganzhou_user, "36040001").status_code == 404
    assert _page(client, jiujiang_user, "36040001").status_code == 200


def test_each_table_of_the_station_page_exports_to_excel(client, facts, province_admin):
    ytd = _sheet(_page(client, province_admin, export="ytd"))
    assert ytd[0] == ("销售", "本年累计（元）", "去年同期（元）", "同比 (%)", "创历史新高")
    assert ytd[1][:4] == ("合计", 350000, 300000, 16.7)
    months = _sheet(_page(client, province_admin, export="monthly"))
    assert months[8][:4] == ("2023-08", 50000, 100000, -50)
    games = _sheet(_page(client, province_admin, export="games"))
    assert [r[0] for r in games[1:]] == ["即开票", "快乐8", "双色球", "合计"]
    history = _sheet(_page(client, province_admin, export="history"))
    assert [r[1] for r in history[1:]] == ["规划中", "营业中"]
    managers = _sheet(_page(client, province_admin, export="managers"))
    assert managers[1][:3] == ("测试管理员乙", "GZ001", "兴国片区")


def test_the_chart_data_are_the_stations_own(client, facts, owner_user):
    client.force_login(owner_user)
    url = reverse("network:station_sales", args=[OWN])
    monthly = client.get(url, {"as_of": AS_OF, "chart": "monthly"}).json()
    assert monthly["months"][1]["amount_yuan"] == "300000.00"
    games = client.get(url, {"as_of": AS_OF, "chart": "games"}).json()
    assert games["total"]["amount_yuan"] == "350000.00"
    assert client.get(url, {"chart": "nothing"}).status_code == 404


def test_the_station_page_does_a_bounded_number_of_queries(
    client, facts, market_manager_user, django_assert_max_num_queries
):
    client.force_login(market_manager_user)
    url = reverse("network:station_detail", args=[OWN])
    client.get(url, {"as_of": AS_OF})  # the analytics context and the grant are built once
    # (with ANALYTICS_RECHECK_SECONDS=0 the store's fingerprint is read on every request);
    # the field visits (2) and the 四帮 plan (4) sections add a fixed 6
    with django_assert_max_num_queries(34):
        assert client.get(url, {"as_of": AS_OF}).status_code == 200


def test_the_cockpits_station_ranking_links_to_the_station_pages(
    client, facts, market_manager_user
):
    client.force_login(market_manager_user)
    html = client.get(reverse("sales:cockpit"), {"as_of": AS_OF}).content.decode()
    assert f'href="{reverse("network:station_detail", args=[OWN])}"' in html


# -- landing --------------------------------------------------------------------------------------
def test_an_owner_lands_on_their_stations_page(client, facts, owner_user):
    client.force_login(owner_user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("network:station_detail", args=[OWN])


def test_an_owner_of_two_stations_lands_on_their_list(client, facts, network, owner_user):
    make_station("36110217", "360732", owner=network["veteran"])
    client.force_login(owner_user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("network:station_list")


@pytest.mark.parametrize("user", ["market_manager_user", "ganzhou_user", "province_admin"])
def test_everyone_else_lands_on_the_overview(client, facts, request, user):
    client.force_login(request.getfixturevalue(user))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("network:overview")


# -- alerts ---------------------------------------------------------------------------------------
def _alerts(client, user, **params):
    client.force_login(user)
    return client.get(reverse("network:overview"), {"as_of": AS_OF, **params})


def test_the_overview_lists_the_stations_without_sales_or_falling(client, facts, province_admin):
    html = _alerts(client, province_admin).content.decode()
    rows = _table(html, "alerts-table")
    assert [r[0] for r in rows] == ["36110002", "36110215", "36110214", "36040001"]
    assert rows[0][3:5] == ["156", "—"]
    assert rows[0][-1] == "已连续 156 个销售日无销量"
    assert rows[2][3:8] == ["4", "2023-08-30", "5.00", "10.00", "-50.0%"]
    assert rows[3][-1] == "近4周同比 -35.0%"
    assert "36110216" not in [r[0] for r in rows]  # suspended: not "without sales"


def test_the_thresholds_come_from_the_settings(client, facts, settings, province_admin):
    settings.ALERT_NO_SALES_DAYS = 130
    settings.ALERT_DROP_PCT = 40.0
    rows = _table(_alerts(client, province_admin).content.decode(), "alerts-table")
    assert [r[0] for r in rows] == ["36110002", "36110214"]


@pytest.mark.parametrize(
    ("user", "codes"),
    [
        ("ganzhou_user", ["36110002", "36110215", "36110214"]),
        ("jiujiang_user", ["36040001"]),
        ("market_manager_user", ["36110214"]),
    ],
)
def test_the_alerts_are_those_of_the_users_scope(client, facts, request, user, codes):
    html = _alerts(client, request.getfixturevalue(user)).content.decode()
    assert [r[0] for r in _table(html, "alerts-table")] == codes


def test_the_alerts_export_to_excel(client, facts, ganzhou_user):
    rows = _sheet(_alerts(client, ganzhou_user, export="alerts"))
    assert rows[0][:4] == ("代码", "站点", "县区", "无销量天数")
    own = ("36110214", "兴国县0214投注站", "兴国县", 4, "2023-08-30", 50000, 100000, -50)
    assert rows[3][:8] == own
    assert len(rows) == 4


def test_each_alert_links_to_its_station_page_and_says_its_threshold_plainly(
    client, facts, province_admin
):
    html = _alerts(client, province_admin).content.decode()
    url = reverse("network:station_detail", args=["36110214"])
    assert f'<a href="{url}">' in html
    assert "较去年同期下降超过 30% 的营业站点" in html  # not "30.0%"
