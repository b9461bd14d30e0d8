"""The fund raised: rates per game and period, Σ sales × rate by city and game with its
rounding, and the scope (a 九江 user sees no 赣州 row)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.scope import Scope
from fucai.sales.ingest.importer import import_files
from fucai.sales.models import Game
from fucai.welfare.fund import FundRaisedRunner, RatePeriod, fund_fen, pieces, rate_periods
from fucai.welfare.models import FundRate

AS_OF = dt.date(2023, 9, 3)
# amounts chosen so that rounding matters: 0.36 × 1000.01 yuan = 36000.36 fen, …
SALES = [
    ["36110214", "2023-02-01", "ssq", "1000.01", "500"],  # 赣州, old ssq rate 0.35
    ["36110001", "2023-06-30", "ssq", "333.33", "100"],  # 赣州, old rate (last day)
    ["36110001", "2023-07-01", "ssq", "333.33", "100"],  # 赣州, new rate 0.36
    ["36110002", "2023-08-15", "3d", "100.01", "50"],  # 赣州, 0.34
    ["36040001", "2023-03-03", "instant", "500.05", "50"],  # 九江, 0.20
    ["36040002", "2023-07-07", "ssq", "0.07", "1"],  # 九江, 0.36
    ["36040002", "2023-08-08", "kl8", "200.00", "100"],  # 九江, no kl8 rate: raises nothing
    ["36110214", "2022-05-05", "ssq", "800.00", "400"],  # a year earlier, 0.35
    ["36040001", "2022-09-04", "ssq", "999.00", "400"],  # after the prior window's end
]


def _rate(game, start, end, rate, source="测试来源"):
    return FundRate.objects.create(
        game=Game.objects.get(code=game),
        valid_from=dt.date.fromisoformat(start),
        valid_to=dt.date.fromisoformat(end) if end else None,
        rate=Decimal(rate),
        source=source,
    )


@pytest.fixture
def rates(db):
    _rate("ssq", "2020-01-01", "2023-06-30", "0.35")
    _rate("ssq", "2023-07-01", None, "0.36")
    _rate("3d", "2020-01-01", None, "0.34")
    _rate("instant", "2020-01-01", None, "0.20")
    return rate_periods()


@pytest.fixture
def context(network, store, write_csv) -> AnalyticsContext:
    assert import_files(
        [write_csv("sales.csv", SALES)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    return AnalyticsContext(backend="duckdb", store=store)


def test_the_fund_is_rounded_half_up_to_the_fen_once_per_city_game_and_rate_period():
    assert fund_fen(1001, Decimal("0.36")) == 360  # 360.36
    assert fund_fen(125, Decimal("0.34")) == 43  # 42.5 → 43
    assert fund_fen(7, Decimal("0.35")) == 2  # 2.45 → 2
    assert fund_fen(0, Decimal("0.36")) == 0


def test_a_window_is_cut_where_a_rate_starts_or_ends():
    rates = (
        RatePeriod(1, "ssq", dt.date(2020, 1, 1), dt.date(2023, 6, 30), Decimal("0.35")),
        RatePeriod(2, "ssq", dt.date(2023, 7, 1), None, Decimal("0.36")),
    )
    assert pieces(dt.date(2023, 1, 1), AS_OF, rates) == [
        (dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
        (dt.date(2023, 7, 1), AS_OF),
    ]
    assert pieces(dt.date(2022, 1, 1), dt.date(2022, 9, 3), rates) == [
        (dt.date(2022, 1, 1), dt.date(2022, 9, 3))
    ]


def test_the_fund_raised_by_city_and_game_adds_up_to_the_province(context, rates):
    result = FundRaisedRunner(context, Scope.province()).run(AS_OF, rates)
    # 赣州: ssq 100001 fen × 0.35 = 35000.35 → 35000, + 33333 × 0.35 = 11666.55 → 11667
    #       (one (city, game, period) sum: 133334 × 0.35 = 46666.9 → 46667),
    #       ssq 33333 × 0.36 = 11999.88 → 12000; 3d 10001 × 0.34 = 3400.34 → 3400
    # 九江: instant 50005 × 0.20 = 10001; ssq 7 × 0.36 = 2.52 → 3; kl8 no rate
    gz, jj = 46667 + 12000 + 3400, 10001 + 3
    cities = {r.key: r.fund_fen for r in result.by_city}
    assert set(cities.values()) == {gz, jj}
    games = {r.key: r.fund_fen for r in result.by_game}
    assert games == {"ssq": 46667 + 12000 + 3, "3d": 3400, "instant": 10001, "kl8": 0}
    assert result.total.fund_fen == gz + jj == sum(cities.values()) == sum(games.values())
    assert result.total.sales_fen == 100001 + 33333 * 2 + 10001 + 50005 + 7 + 20000
    assert result.unrated_sales_fen == 20000
    # a year earlier (2022-01-01 … 2022-09-03): 80000 × 0.35
    assert result.total.prior_fund_fen == 28000
    assert result.total.yoy_pct == Decimal("157.4")  # (72071 − 28000) / 28000
    data = result.to_dict("city")
    assert data["fund_yuan"] == "720.71" and data["fund_fen"] == 72071
    assert [r["fund_yuan"] for r in data["rows"]] == ["620.67", "100.04"]


def test_a_jiujiang_user_sees_no_ganzhou_fund_row(context, rates, jiujiang_user):
    result = FundRaisedRunner(context, Scope.for_user(jiujiang_user)).run(AS_OF, rates)
    assert [(r.name[:2], r.fund_fen) for r in result.by_city] == [("九江", 10004)]
    assert result.total.fund_fen == 10004
    assert {r.key: r.fund_fen for r in result.by_game} == {"instant": 10001, "ssq": 3, "kl8": 0}


def test_a_market_manager_sees_the_fund_of_their_stations_without_a_city_row(
    context, rates, market_manager_user
):
    result = FundRaisedRunner(context, Scope.for_user(market_manager_user)).run(AS_OF, rates)
    assert result.by_city == []  # part of 赣州 only: no city row
    assert result.total.fund_fen == fund_fen(100001, Decimal("0.35"))  # 36110214's ssq


def test_overlapping_periods_of_one_game_are_refused_with_a_clear_message(rates):
    rate = FundRate(
        game=Game.objects.get(code="ssq"),
        valid_from=dt.date(2023, 1, 1),
        valid_to=dt.date(2023, 12, 31),
        rate=Decimal("0.3"),
        source="x",
    )
    with pytest.raises(ValidationError) as refused:
        rate.full_clean()
    message = str(refused.value)
    assert "2020-01-01" in message and "2023-06-30" in message and "双色球" in message
    rate.game = Game.objects.get(code="kl8")  # another game: fine
    rate.full_clean()


def test_the_provincial_centre_records_a_rate_and_an_overlap_is_refused_on_the_page(
    client, rates, province_admin, ganzhou_user
):
    from django.urls import reverse

    ssq = Game.objects.get(code="ssq")
    data = {"game": ssq.pk, "valid_from": "2023-08-01", "rate": "0.3700", "source": "通知"}
    client.force_login(ganzhou_user)  # a city agency: only reads the rates
    assert client.get(reverse("welfare:rate_list")).status_code == 200
    assert client.post(reverse("welfare:rate_new"), data).status_code == 403
    client.force_login(province_admin)
    refused = client.post(reverse("welfare:rate_new"), data)
    assert refused.status_code == 400
    assert "该期间与双色球自2023-07-01至长期有效的提取比例 0.3600 重叠" in refused.content.decode()
    current = FundRate.objects.get(game=ssq, valid_to=None)
    edit = {**data, "valid_from": "2023-07-01", "valid_to": "2023-07-31", "rate": "0.3600"}
    assert client.post(reverse("welfare:rate_edit", args=[current.pk]), edit).status_code == 302
    assert client.post(reverse("welfare:rate_new"), data).status_code == 302
    periods = FundRate.objects.filter(game=ssq).values_list("valid_from", "valid_to", "rate")
    assert list(periods)[-2:] == [
        (dt.date(2023, 7, 1), dt.date(2023, 7, 31), Decimal("0.3600")),
        (dt.date(2023, 8, 1), None, Decimal("0.3700")),
    ]


def test_a_categorys_rate_applies_to_its_games_without_a_rate_of_their_own(context, rates):
    FundRate.objects.create(
        category="draw", valid_from=dt.date(2020, 1, 1), rate=Decimal("0.33"), source="x"
    )
    FundRate.objects.create(
        category="instant", valid_from=dt.date(2020, 1, 1), rate=Decimal("0.15"), source="x"
    )
    result = FundRaisedRunner(context, Scope.province()).run(AS_OF, rate_periods())
    games = {r.key: r.fund_fen for r in result.by_game}
    # kl8 (a draw game, no rate of its own): 20000 × 0.33; ssq, 3d and instant keep their own
    assert games == {"ssq": 46667 + 12000 + 3, "3d": 3400, "instant": 10001, "kl8": 6600}
    assert result.unrated_sales_fen == 0
    overlapping = FundRate(
        category="draw", valid_from=dt.date(2023, 1, 1), rate=Decimal("0.3"), source="x"
    )
    with pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    assert "电脑票" in str(refused.value)
    both = FundRate(
        game=Game.objects.get(code="kl8"),
        category="draw",
        valid_from=dt.date(2023, 1, 1),
        rate=Decimal("0.3"),
        source="x",
    )
    with pytest.raises(ValidationError):
        both.full_clean()


# -- the page and the API agree on the day ---------------------------------------------------------
def test_the_api_moves_a_day_before_the_sales_to_the_first_sales_day_as_the_page_does(
    client, context, rates, province_admin
):
    client.force_login(province_admin)
    answer = client.get("/api/welfare/raised?as_of=2001-01-01").json()
    page = client.get("/welfare/raised/?as_of=2001-01-01").content.decode()
    assert answer["as_of"] == "2022-01-01"  # where the store's sales begin
    assert answer["notice"] == "销售数据始于 2022-01-01，已显示该日。"
    assert answer["notice"] in page and 'value="2022-01-01"' in page
    plain = client.get("/api/welfare/raised?as_of=2023-08-15").json()  # the last sales day
    assert plain["as_of"] == "2023-08-15" and plain["notice"] is None


def test_the_page_shows_amounts_with_their_unit_and_a_dash_for_a_year_without_sales(
    client, context, rates, province_admin
):
    from django.conf import settings

    client.force_login(province_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    early = client.get("/welfare/raised/?as_of=2022-12-31").content.decode()
    assert '<span class="fc-amount" id="fund-prior">—</span>' in early
    # 800.00 + 999.00 yuan of 双色球 at 0.35: 629.65 yuan, 0.06 万元 (the cockpit's unit)
    assert '<span class="fc-amount" id="fund-total">0.06</span><span class="fc-unit">10k yuan' in (
        early
    )
    page = client.get("/welfare/raised/?as_of=2023-08-15").content.decode()
    assert '<td data-label="Sales (yuan)" class="text-end">1,666.74</td>' in page
