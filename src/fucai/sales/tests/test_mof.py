from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import MarketShareRunner
from fucai.analytics.scope import Scope
from fucai.sales.choices import ImportKind, ImportStatus
from fucai.sales.ingest.importer import import_files
from fucai.sales.models import MofReport, SalesImport
from fucai.sales.tests.mof_workbook import ROWS, write_mof_workbook

pytestmark = pytest.mark.usefixtures("english")


def test_the_ministry_table_is_imported_in_fen_per_region_and_lottery(db, store, tmp_path):
    outcome = import_files([write_mof_workbook(tmp_path / "mof-2023-08.xlsx")], store=store)
    assert outcome.ok, [str(e) for e in outcome.errors]
    jiangxi = MofReport.objects.get(year=2023, month=8, region="江西", lottery="welfare")
    assert jiangxi.ytd_amount_fen == 2_965_001_200_00  # 296,500.12 万元 = 2,965,001,200.00 yuan
    assert (jiangxi.month_yoy_pct, jiangxi.ytd_yoy_pct) == (Decimal("20.50"), Decimal("26.60"))
    assert (
        MofReport.objects.get(year=2023, month=8, region="西藏", lottery="welfare").ytd_yoy_pct
        is None
    )
    assert MofReport.objects.filter(year=2023, month=8).count() == len(ROWS) * 3
    record = SalesImport.objects.get()
    assert (record.kind, record.status, record.rows) == (ImportKind.MOF, ImportStatus.SUCCEEDED, 5)


def test_reimporting_a_month_replaces_it(db, store, tmp_path):
    import_files([write_mof_workbook(tmp_path / "a.xlsx")], store=store)
    rows = [r[:] for r in ROWS[:3]]
    rows[2][3] = 300000
    import_files([write_mof_workbook(tmp_path / "b.xlsx", rows=rows)], store=store)
    assert MofReport.objects.filter(year=2023, month=8).count() == 9
    assert (
        MofReport.objects.get(region="江西", lottery="welfare").ytd_amount_fen
        == 300_000 * 10_000 * 100
    )


def test_a_bad_number_names_the_row_and_column(db, store, tmp_path):
    rows = [r[:] for r in ROWS]
    rows[2][3] = "29万"
    outcome = import_files([write_mof_workbook(tmp_path / "bad.xlsx", rows=rows)], store=store)
    assert [str(e) for e in outcome.errors] == [
        "bad.xlsx, row 7, column 本年累计: '29万' is not a number"
    ]
    assert not MofReport.objects.exists()


def test_a_city_user_may_not_import_the_ministry_table(db, store, tmp_path, ganzhou_user):
    outcome = import_files(
        [write_mof_workbook(tmp_path / "m.xlsx")], store=store, user=ganzhou_user
    )
    assert [e.code for e in outcome.errors] == ["mof_not_allowed"]


def test_market_share_and_national_rank(db, store, tmp_path):
    import_files([write_mof_workbook(tmp_path / "m.xlsx")], store=store)
    share = MarketShareRunner(AnalyticsContext("duckdb", store), Scope.province()).run(
        dt.date(2023, 9, 3)
    )
    assert (share.year, share.month, share.region) == (2023, 8, "江西")
    assert share.welfare_share_pct == Decimal("41.4")  # 296,500.12 / (296,500.12 + 420,000)
    assert (share.national_rank, share.regions_ranked) == (3, 4)  # after 广东 and 湖南
    assert share.national_share_pct == Decimal("2.8")
    assert (
        MarketShareRunner(AnalyticsContext("duckdb", store), Scope.province()).run(
            dt.date(2023, 7, 31)
        )
        is None
    )


# --- market share against the year before ------------------------------------------------------
# 2022-08, 万元: 江西 welfare 234,200 against sports 380,000 → 38.1 %; ranked 4th of 4 (after 广东
# 800,000, 湖南 400,000 and 四川 250,000). 2023-08 (ROWS): 41.4 %, 3rd of 4 → +3.3 points, up 1.
PRIOR_ROWS = [
    [
        "全国",
        1200000,
        5.0,
        9900000,
        4.0,
        2000000,
        20.0,
        15000000,
        18.0,
        3200000,
        14.0,
        24900000,
        12,
    ],
    ["广东省", 110000, 1.0, 800000, 1.0, 250000, 1.0, 1900000, 1.0, 360000, 1.0, 2700000, 1.0],
    ["江西省", 30000, 1.0, 234200, 1.0, 50000, 1.0, 380000, 1.0, 80000, 1.0, 614200, 1.0],
    ["湖南省", 40000, 1.0, 400000, 1.0, 40000, 1.0, 330000, 1.0, 80000, 1.0, 730000, 1.0],
    ["四川省", 30000, 1.0, 250000, 1.0, 50000, 1.0, 500000, 1.0, 80000, 1.0, 750000, 1.0],
]


@pytest.fixture
def two_years(db, store, tmp_path):
    outcome = import_files(
        [
            write_mof_workbook(tmp_path / "2023-08.xlsx"),
            write_mof_workbook(
                tmp_path / "2022-08.xlsx", title="2022年1-8月各地区彩票销售情况", rows=PRIOR_ROWS
            ),
        ],
        store=store,
    )
    assert outcome.ok, [str(e) for e in outcome.errors]
    return store


def _share(store, as_of: dt.date, scope: Scope | None = None):
    context = AnalyticsContext("duckdb", store)
    return MarketShareRunner(context, scope or Scope.province()).run(as_of)


def test_the_share_and_rank_are_compared_with_the_same_months_a_year_earlier(two_years):
    share = _share(two_years, dt.date(2023, 9, 3))
    assert (share.year, share.month) == (2023, 8)
    assert (share.welfare_share_pct, share.prior_welfare_share_pct) == (
        Decimal("41.4"),
        Decimal("38.1"),  # 234,200 / (234,200 + 380,000)
    )
    assert share.share_change_points == Decimal("3.3")
    assert (share.national_rank, share.prior_national_rank, share.rank_change) == (3, 4, 1)
    data = share.to_dict()
    assert {k: data[k] for k in ("period", "prior_period", "provinces", "source")} == {
        "period": "2023-08",
        "prior_period": "2022-08",
        "provinces": 4,
        "source": "",
    }
    assert data["window"] == {"start": "2023-01-01", "end": "2023-08-31"}


def test_only_months_fully_elapsed_on_the_as_of_day_count(two_years):
    assert _share(two_years, dt.date(2023, 8, 31)).month == 8  # August has ended
    assert _share(two_years, dt.date(2023, 8, 30)) is None  # only the August table: not yet
    prior_year = _share(two_years, dt.date(2022, 12, 1))
    assert (prior_year.month, prior_year.national_rank, prior_year.prior_national_rank) == (
        8,
        4,
        None,  # no 2021 table
    )


def test_a_city_scope_gets_no_market_share(two_years, ganzhou_user):
    """江西's own rows are the province's sales, which a city agency does not see otherwise."""
    assert _share(two_years, dt.date(2023, 9, 3), Scope.for_user(ganzhou_user)) is None


def test_the_tables_source_line_is_kept_and_reported(db, store, tmp_path):
    path = write_mof_workbook(
        tmp_path / "m.xlsx", title="2023年8月各地区彩票销售情况 来源：synthetic (demo)"
    )
    assert import_files([path], store=store).ok
    assert set(MofReport.objects.values_list("note", flat=True)) == {"synthetic (demo)"}
    assert _share(store, dt.date(2023, 9, 3)).source == "synthetic (demo)"
    assert SalesImport.objects.get().message == (
        "Ministry of Finance table for 2023-08. Source: synthetic (demo)."
    )


def test_the_cli_reports_share_rank_and_their_change_as_json(two_years):
    out = io.StringIO()
    call_command("sales", "market-share", "--as-of", "2023-09-03", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert {
        k: data[k]
        for k in (
            "as_of",
            "welfare_share_pct",
            "prior_welfare_share_pct",
            "national_rank",
            "prior_national_rank",
            "provinces",
        )
    } == {
        "as_of": "2023-09-03",
        "welfare_share_pct": "41.4",
        "prior_welfare_share_pct": "38.1",
        "national_rank": 3,
        "prior_national_rank": 4,
        "provinces": 4,
    }
    table = io.StringIO()
    call_command("sales", "market-share", "--as-of", "2023-09-03", stdout=table)
    assert "welfare share of lottery sales  41.4%  (a year earlier 38.1%)" in table.getvalue()
    assert "national rank                   3 of 4  (a year earlier 4)" in table.getvalue()


def _cockpit(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("sales:cockpit"), {"as_of": "2023-09-03"}).content.decode()


def _card_text(html: str, figure: str) -> str | None:
    match = re.search(rf'data-figure="{figure}">(.*?)</div>\s*</div>', html, re.S)
    return match and re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_cockpit_shows_share_and_rank_with_their_change(
    client, network, two_years, province_admin
):
    html = _cockpit(client, province_admin)
    assert _card_text(html, "market_share") == (
        "福彩占彩票销量份额 41.4% 去年同期 38.1% +3.3 个百分点 财政部数据，截至8月"
    )
    assert _card_text(html, "national_rank") == (
        "福彩销量全国排名 3 / 4 去年同期第4位 进1位 财政部数据，截至8月"
    )


def test_in_english_the_cards_say_the_same(client, network, two_years, province_admin, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _cockpit(client, province_admin)
    assert _card_text(html, "market_share") == (
        "Welfare share of lottery sales 41.4% 38.1% in the same period last year +3.3 pts "
        "Ministry of Finance table, to the end of month 8"
    )
    assert _card_text(html, "national_rank") == (
        "National rank by welfare sales 3 / 4 Rank 4 in the same period last year up 1 place "
        "Ministry of Finance table, to the end of month 8"
    )


def test_a_city_user_sees_no_market_share_card(client, network, two_years, ganzhou_user):
    html = _cockpit(client, ganzhou_user)
    assert _card_text(html, "total") is not None
    assert _card_text(html, "market_share") is None
    assert _card_text(html, "national_rank") is None


def test_the_api_summary_carries_the_same_market_share_as_the_cli(two_years, province_admin):
    from fucai.network.tests.test_api import ApiCaller

    response = ApiCaller(province_admin).get("sales/summary", as_of="2023-09-03")
    assert response.status_code == 200, response.content
    out = io.StringIO()
    call_command("sales", "market-share", "--as-of", "2023-09-03", "--format", "json", stdout=out)
    cli = json.loads(out.getvalue())
    cli.pop("as_of")
    assert response.json()["market_share"] == cli


def test_a_city_users_api_summary_has_no_market_share(two_years, ganzhou_user):
    from fucai.network.tests.test_api import ApiCaller

    response = ApiCaller(ganzhou_user).get("sales/summary", as_of="2023-09-03")
    assert response.json()["market_share"] is None
