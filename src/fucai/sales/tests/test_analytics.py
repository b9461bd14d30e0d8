from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import gettext as _

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import (
    AnalyticsError,
    RankingRunner,
    SeriesRunner,
    YearToDateRunner,
)
from fucai.analytics.scope import Scope, ScopeRequired
from fucai.sales.ingest.importer import import_files

pytestmark = pytest.mark.usefixtures("english")

# A small history, in yuan, whose year-to-date figures are worked out by hand in the tests.
HISTORY = [
    ["36040001", "2021-08-10", "ssq", "1000.00", "500"],
    ["36040001", "2021-08-10", "instant", "200.00", "20"],
    ["36040001", "2022-01-25", "ssq", "400.00", "200"],
    ["36040001", "2022-03-15", "ssq", "3000.00", "1500"],
    ["36040001", "2022-09-03", "instant", "500.00", "50"],
    ["36040001", "2022-09-04", "ssq", "9999.00", "5000"],
    ["36110214", "2022-06-01", "3d", "1500.00", "750"],
    ["36040001", "2023-02-01", "ssq", "2500.00", "1250"],
    ["36040001", "2023-09-03", "instant", "1000.00", "100"],
    ["36040001", "2023-09-04", "ssq", "7777.00", "3000"],
    ["36110214", "2023-01-20", "instant", "300.00", "30"],
    ["36110214", "2023-06-01", "kl8", "1700.00", "850"],
    ["36110001", "2023-03-01", "instant", "1000.00", "100"],
]
AS_OF = dt.date(2023, 9, 3)


@pytest.fixture
def context(network, store, write_csv) -> AnalyticsContext:
    assert import_files(
        [write_csv("history.csv", HISTORY)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    return AnalyticsContext(backend="duckdb", store=store)


def test_year_to_date_and_yoy_match_the_figures_worked_out_by_hand(context):
    ytd = YearToDateRunner(context, Scope.province()).run(AS_OF)
    # 2023-01-01..09-03: 2500 + 1000 + 300 + 1700 + 1000; 2022-01-01..09-03: 400 + 3000 + 500 + 1500
    assert (ytd.total.amount_fen, ytd.total.prior_amount_fen) == (6_500_00, 5_400_00)
    assert ytd.total.yoy_pct == Decimal("20.4")  # 1100 / 5400 = 20.37 %
    assert ytd.total.record_high is True  # above 2022 (5400) and 2021 (1200)
    draw, instant = ytd.by_category["draw"], ytd.by_category["instant"]
    assert (draw.amount_fen, draw.prior_amount_fen, draw.yoy_pct, draw.record_high) == (
        4_200_00,
        4_900_00,
        Decimal("-14.3"),
        False,
    )
    assert (instant.amount_fen, instant.prior_amount_fen, instant.yoy_pct, instant.record_high) == (
        2_300_00,
        500_00,
        Decimal("360.0"),
        True,
    )
    assert ytd.history == {2021: 1_200_00, 2022: 5_400_00, 2023: 6_500_00}
    assert ytd.to_dict()["total"] == {
        "amount_yuan": "6500.00",
        "prior_amount_yuan": "5400.00",
        "yoy_pct": "20.4",
        "record_high": True,
        "since": 2021,  # no monthly archive: the first daily year
    }
    assert ytd.to_dict()["prior_window"] == {"start": "2022-01-01", "end": "2022-09-03"}


def test_it_groups_by_city_and_by_city_and_category(context):
    ytd = YearToDateRunner(context, Scope.province()).run(AS_OF, by="city")
    assert [
        (g.key, g.name, g.amount_fen, g.prior_amount_fen, str(g.figures.yoy_pct))
        for g in ytd.groups
    ] == [
        ("360400", "九江市", 3_500_00, 3_900_00, "-10.3"),
        ("360700", "赣州市", 3_000_00, 1_500_00, "100.0"),
    ]
    ytd = YearToDateRunner(context, Scope.province()).run(AS_OF, by=["city", "game_category"])
    assert {g.key: g.amount_fen for g in ytd.groups} == {
        "360400/draw": 2_500_00,
        "360400/instant": 1_000_00,
        "360700/instant": 1_300_00,
        "360700/draw": 1_700_00,
    }
    assert ytd.groups[0].keys == {"city": "360400", "game_category": "draw"}


def test_it_groups_by_station_attributes_manager_and_party_owner(context):
    runner = YearToDateRunner(context, Scope.province())
    by_manager = {
        (g.key, g.name): g.amount_fen for g in runner.run(AS_OF, by="market_manager").groups
    }
    assert by_manager == {("", str(_("未分配"))): 4_500_00, ("GZ001", "测试管理员乙"): 2_000_00}
    by_party = {
        g.key: (g.amount_fen, g.prior_amount_fen)
        for g in runner.run(AS_OF, by="party_member").groups
    }
    assert by_party == {"yes": (2_000_00, 1_500_00), "no": (4_500_00, 3_900_00)}
    by_scene = {g.key: g.amount_fen for g in runner.run(AS_OF, by="scene").groups}
    assert by_scene == {"street": 5_500_00, "shopping_complex": 1_000_00}
    by_game = {
        g.key: (g.amount_fen, g.prior_amount_fen) for g in runner.run(AS_OF, by="game").groups
    }
    assert by_game == {  # a game sold only last year is a group too, at -100 %
        "ssq": (2_500_00, 3_400_00),
        "instant": (2_300_00, 500_00),
        "kl8": (1_700_00, 0),
        "3d": (0, 1_500_00),
    }
    assert [g.key for g in runner.run(AS_OF, by="province").groups] == ["360000"]


def test_comparing_by_selling_days_moves_the_prior_window_around_the_spring_festival(context):
    runner = YearToDateRunner(context, Scope.province())
    calendar = runner.run(dt.date(2023, 2, 1))
    assert calendar.prior_window.end == dt.date(2022, 2, 1)
    assert (calendar.total.amount_fen, calendar.total.prior_amount_fen) == (2_800_00, 400_00)
    # 2023-01-01..02-01 has 22 selling days (春节休市 01-19..01-28); 2022 reached 22 on 01-22
    selling = runner.run(dt.date(2023, 2, 1), compare="selling_days")
    assert selling.prior_window == type(selling.prior_window)(
        dt.date(2022, 1, 1), dt.date(2022, 1, 22)
    )
    assert (selling.total.prior_amount_fen, selling.total.yoy_pct) == (0, None)


def test_rankings_by_amount_and_by_growth(context):
    runner = RankingRunner(context, Scope.province())
    by_amount = runner.run(AS_OF, by="city", top=1)
    assert [(e.rank, e.group.name) for e in by_amount.entries] == [(1, "九江市")]
    by_growth = runner.run(AS_OF, by="station", order="growth", top=5)
    assert [(e.rank, e.group.key) for e in by_growth.entries] == [(1, "36110214"), (2, "36040001")]
    assert [g.key for g in by_growth.without_base] == ["36110001"]
    bottom = runner.run(AS_OF, by="station", top=1, bottom=True)
    assert [e.group.key for e in bottom.entries] == ["36110001"]


def test_monthly_series_pairs_each_month_with_the_year_before(context):
    series = SeriesRunner(context, Scope.province()).monthly(AS_OF)
    points = {p.period: (p.amount_fen, p.prior_amount_fen) for p in series.points}
    assert points[dt.date(2023, 2, 1)] == (2_500_00, 0)
    assert points[dt.date(2022, 3, 1)] == (3_000_00, 0)
    assert points[dt.date(2023, 9, 1)] == (1_000_00, 500_00)  # 1–3 September of both years
    assert points[dt.date(2022, 9, 1)] == (10_499_00, 0)  # the whole of September 2022
    assert points[dt.date(2023, 1, 1)] == (300_00, 400_00)
    assert sum(a for a, _ in points.values() if _ is not None) == 6_500_00 + 5_400_00 + 9_999_00


def test_daily_series_by_category(context):
    series = SeriesRunner(context, Scope.province()).daily(
        dt.date(2023, 9, 1), dt.date(2023, 9, 4), by="game_category"
    )
    assert [(p.period, p.key, p.amount_fen, p.prior_amount_fen) for p in series.points] == [
        (dt.date(2023, 9, 3), "instant", 1_000_00, 500_00),
        (dt.date(2023, 9, 4), "draw", 7_777_00, 9_999_00),
    ]


def test_a_city_users_figures_exclude_the_other_cities(context, ganzhou_user):
    ytd = YearToDateRunner(context, Scope.for_user(ganzhou_user)).run(AS_OF, by="city")
    assert (ytd.total.amount_fen, ytd.total.prior_amount_fen) == (3_000_00, 1_500_00)
    assert [g.name for g in ytd.groups] == ["赣州市"]
    stations = {
        g.key
        for g in YearToDateRunner(context, Scope.for_user(ganzhou_user))
        .run(AS_OF, by="station")
        .groups
    }
    assert stations == {"36110214", "36110001"}


def test_a_market_manager_and_an_owner_see_their_stations_only(
    context, market_manager_user, owner_user
):
    for user in (market_manager_user, owner_user):
        ytd = YearToDateRunner(context, Scope.for_user(user)).run(AS_OF)
        assert (ytd.total.amount_fen, ytd.total.prior_amount_fen) == (2_000_00, 1_500_00)


def test_a_runner_without_a_scope_raises(context):
    with pytest.raises(ScopeRequired):
        YearToDateRunner(context, None).run(AS_OF)
    with pytest.raises(ScopeRequired):
        Scope.for_user(None)


def test_an_unknown_grouping_is_refused(context):
    with pytest.raises(AnalyticsError, match="cannot group by colour"):
        YearToDateRunner(context, Scope.province()).run(AS_OF, by="colour")


def test_the_figures_are_the_same_when_the_data_directory_name_holds_quotes(
    network, settings, tmp_path, write_csv
):
    from fucai.sales.store import SalesStore

    settings.DATA_DIR = tmp_path / 'o\'neil data;-- "x"'
    store = SalesStore(settings.DATA_DIR / "sales")
    history = write_csv("history.csv", HISTORY)
    assert import_files([history], store=store, today=dt.date(2023, 12, 31)).ok
    context = AnalyticsContext(backend="duckdb", store=store)
    ytd = YearToDateRunner(context, Scope.province()).run(AS_OF, by="city")
    assert (ytd.total.amount_fen, ytd.total.prior_amount_fen) == (6_500_00, 5_400_00)
    assert {g.key: g.amount_fen for g in ytd.groups} == {"360400": 3_500_00, "360700": 3_000_00}
