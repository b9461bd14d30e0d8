"""The demo's sales (`fucai demo`): built once for the module into a temporary data directory,
then checked through the analytics runners against every figure of the seed report, and against
the rules of the generator (closures, open days, rhythm, ramp-up, determinism)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import SeriesRunner, YearToDateRunner
from fucai.analytics.scope import Scope
from fucai.core.management.commands.demo import wipe_demo
from fucai.core.models import ObjectChange
from fucai.network.demo.targets import DEMO_SEED
from fucai.network.models import PartnerOrganisation, Station, StationStatusChange
from fucai.network.tests.test_demo import run_demo
from fucai.sales.archive import archive_stamp, read_archive, sorted_rows
from fucai.sales.demo.archive import archive_rows, shape
from fucai.sales.demo.builder import (
    MARKER,
    SalesDemoBuilder,
    store_fingerprint,
    tables_fingerprint,
)
from fucai.sales.demo.calibrate import CalibrationError, YearCells, boost_groups, integerize
from fucai.sales.demo.generator import DemoSalesGenerator
from fucai.sales.demo.mof import NOTE
from fucai.sales.demo.targets import YEARS, cell_targets
from fucai.sales.store import DAILY, SalesStore

AS_OF = dt.date(2023, 9, 3)
YEAR_END = dt.date(2023, 12, 31)
YI = Decimal(100_000_000)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (network, users, sales) built once, its sales store in a temporary directory;
    the network and users are removed again when the module is done."""

    data_dir = tmp_path_factory.mktemp("demo-sales")
    with override_settings(DATA_DIR=data_dir), django_db_blocker.unblock():
        last_change = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        out, err = run_demo()
        store = SalesStore(data_dir / "sales")
        context = AnalyticsContext(backend="duckdb", store=store)
        yield SimpleNamespace(out=out, err=err, store=store, context=context, data_dir=data_dir)
        wipe_demo()  # every builder's data: network, users, sales, archive, Ministry table
        ObjectChange.objects.filter(pk__gt=last_change).delete()


@pytest.fixture
def demo_db(demo, db):
    return demo


def ytd(demo, as_of: dt.date, **options):
    return YearToDateRunner(demo.context, Scope.province()).run(as_of, **options)


def yi(fen: int) -> Decimal:
    """Fen as 亿元 rounded to 0.01, as the report writes it."""
    return (Decimal(fen) / 100 / YI).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def facts(demo) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the store's daily facts as view `d`."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    paths = [str(p) for p in demo.store.paths(DAILY)]
    con.execute(f"CREATE VIEW d AS SELECT * FROM read_parquet({paths!r})")
    return con


# --- the seed report's figures, through the analytics ------------------------------------------


def test_the_year_to_date_on_3_september_gives_the_seed_figures(demo_db):
    result = ytd(demo_db, AS_OF)
    assert (result.window.start, result.window.end) == (dt.date(2023, 1, 1), AS_OF)
    assert (result.prior_window.start, result.prior_window.end) == (
        dt.date(2022, 1, 1),
        dt.date(2022, 9, 3),
    )
    assert result.total.amount_fen == 2_606_000_000_00
    assert yi(result.total.amount_fen) == Decimal("26.06")
    assert result.total.yoy_pct == Decimal("26.6")
    instant = result.by_category["instant"]
    assert instant.amount_fen == 575_000_000_00
    assert yi(instant.amount_fen) == Decimal("5.75")
    assert instant.yoy_pct == Decimal("116.9")
    assert instant.record_high is True
    assert result.history[2021] < result.history[2022] < result.history[2023]
    assert (result.total.record_high, result.total.since, instant.since) == (False, 2015, 2015)


# --- the monthly archive 2015–2020 (fucai.sales.demo.archive) ---------------------------------


def test_the_archive_has_every_city_category_and_month_of_2015_to_2020(demo_db):
    rows = read_archive(demo_db.store)
    assert rows.num_rows == 11 * 2 * 6 * 12
    assert {m.year for m in rows["month"].to_pylist()} == set(range(2015, 2021))
    by_month = _province_months(demo_db)
    by_year: dict[int, int] = defaultdict(int)
    for (year, _month), fen in by_month.items():
        by_year[year] += fen
    assert {y: yi(fen) for y, fen in by_year.items()} == {
        2015: Decimal("41.20"),
        2016: Decimal("44.60"),
        2017: Decimal("47.30"),
        2018: Decimal("49.10"),
        2019: Decimal("38.40"),
        2020: Decimal("26.70"),
    }
    february = {y: by_month[(y, 2)] for y in (2019, 2020)}
    assert february[2020] < february[2019] / 10  # the 2020 closure


def _province_months(demo) -> dict[tuple[int, int], int]:
    by_month: dict[tuple[int, int], int] = defaultdict(int)
    for r in read_archive(demo.store).to_pylist():
        by_month[(r["month"].year, r["month"].month)] += r["amount_fen"]
    return by_month


def test_the_province_total_peaked_in_2018_and_instant_tickets_never_sold_as_much(demo_db):
    result = ytd(demo_db, AS_OF)
    window = {y: yi(fen) for y, fen in result.history.items()}
    assert window[2018] == max(window.values())
    assert window[2018] > window[2023] == Decimal("26.06")
    assert [window[y] > window[2023] for y in range(2015, 2023)] == [
        True, True, True, True, False, False, False, False
    ]  # fmt: skip
    instant = _instant_archive_windows(demo_db)
    assert sorted(instant) == list(range(2015, 2021))
    assert max(instant.values()) < Decimal("0.7") * 575_000_000_00  # 2023: 5.75亿元


def _instant_archive_windows(demo) -> dict[int, int]:
    """Instant tickets' window (1 January … 3 September, September prorated) of each archive
    year, worked out from the archive's rows independently of the runner."""
    months: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for r in read_archive(demo.store).to_pylist():
        if r["category"] == "instant":
            months[r["month"].year][r["month"].month] += r["amount_fen"]
    return {y: sum(m[i] for i in range(1, 9)) + m[9] * 3 // 30 for y, m in months.items()}


def test_a_city_is_compared_with_its_own_archive_and_a_county_with_daily_years_only(demo_db):
    city = YearToDateRunner(demo_db.context, Scope.city("360700")).run(AS_OF)
    assert city.total.since == 2015
    counties = ytd(demo_db, AS_OF, by="county").groups
    assert {g.figures.since for g in counties} == {2021}


def test_the_instant_record_beats_every_earlier_year_of_the_store(demo_db):
    instant = {
        year: ytd(demo_db, AS_OF.replace(year=year), history=False).by_category["instant"]
        for year in YEARS
    }
    assert instant[2023].amount_fen == 575_000_000_00
    assert instant[2023].amount_fen > 2 * max(instant[2021].amount_fen, instant[2022].amount_fen)
    assert instant[2022].prior_amount_fen == instant[2021].amount_fen


def test_the_full_year_2023_gives_the_public_figure(demo_db):
    result = ytd(demo_db, YEAR_END)
    assert result.total.amount_fen == 4_063_000_000_00
    assert yi(result.total.amount_fen) == Decimal("40.63")
    assert result.total.yoy_pct == Decimal("31.0")
    assert result.total.yoy_pct.quantize(Decimal("1")) == Decimal("31")


def test_the_15_jiujiang_partner_outlets_sold_over_15_million_yuan_this_year(demo_db):
    partner = PartnerOrganisation.objects.get()
    assert Station.objects.filter(partner=partner, opened_on__year=2023).count() == 15
    groups = {g.key: g for g in ytd(demo_db, AS_OF, by="partner").groups}
    outlets = groups[str(partner.pk)]
    assert outlets.amount_fen > 15_000_000_00
    assert outlets.prior_amount_fen == 0  # they opened in 2023


def test_stations_of_party_member_owners_sold_over_60_million_yuan_this_year(demo_db):
    groups = {g.key: g for g in ytd(demo_db, AS_OF, by="party_member").groups}
    assert groups["yes"].amount_fen > 60_000_000_00
    assert groups["yes"].amount_fen + groups["no"].amount_fen == 2_606_000_000_00


def test_the_cli_summary_prints_the_seed_figures(demo_db, settings):
    settings.DATA_DIR = demo_db.data_dir
    out = io.StringIO()
    call_command("sales", "summary", "--as-of", "2023-09-03", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == {
        "amount_yuan": "2606000000.00",
        "prior_amount_yuan": "2058451816.00",
        "yoy_pct": "26.6",
        "record_high": False,  # 2015–2018 sold more in the same window (the monthly archive)
        "since": 2015,
    }
    assert data["by_category"]["instant"]["amount_yuan"] == "575000000.00"
    assert data["by_category"]["instant"]["yoy_pct"] == "116.9"
    assert data["by_category"]["instant"]["record_high"] is True
    assert data["by_category"]["instant"]["since"] == 2015
    out = io.StringIO()
    call_command("sales", "summary", "--as-of", "2023-12-31", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["total"]["amount_yuan"], data["total"]["yoy_pct"]) == ("4063000000.00", "31.0")


# --- the Ministry of Finance table (market share, national rank) -------------------------------


def market_share(demo, settings, as_of: str) -> dict:
    settings.DATA_DIR = demo.data_dir
    out = io.StringIO()
    call_command("sales", "market-share", "--as-of", as_of, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_as_of_3_september_jiangxi_gained_rank_and_share_on_the_year_before(demo_db, settings):
    """The seed: "全国排名有进位、市场份额有提升" — from the August tables of 2023 and 2022."""
    data = market_share(demo_db, settings, "2023-09-03")
    assert (data["period"], data["prior_period"], data["region"]) == ("2023-08", "2022-08", "江西")
    assert data["window"] == {"start": "2023-01-01", "end": "2023-08-31"}
    assert (data["national_rank"], data["prior_national_rank"], data["provinces"]) == (10, 12, 31)
    assert (data["welfare_share_pct"], data["prior_welfare_share_pct"]) == ("44.4", "40.8")
    assert data["source"] == NOTE == "synthetic (demo)"


def test_the_cockpit_shows_the_share_and_rank_the_cli_reports(demo_db, settings, client):
    from fucai.accounts.models import User

    data = market_share(demo_db, settings, "2023-09-03")
    client.force_login(User.objects.get(username="admin"))
    html = client.get(reverse("sales:cockpit"), {"as_of": "2023-09-03"}).content.decode()

    def card(figure: str) -> str:
        match = re.search(rf'data-figure="{figure}">(.*?)</div>\s*</div>', html, re.S)
        assert match, figure
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()

    share, rank = card("market_share"), card("national_rank")
    assert share.startswith(f"福彩占彩票销量份额 {data['welfare_share_pct']}% ")
    assert f"去年同期 {data['prior_welfare_share_pct']}%" in share
    assert "+3.6 个百分点" in share and "截至8月" in share and "来源：synthetic (demo)" in share
    assert rank.startswith(f"福彩销量全国排名 {data['national_rank']} / {data['provinces']} ")
    assert f"去年同期第{data['prior_national_rank']}位 进2位" in rank


def test_the_tables_jiangxi_welfare_is_the_demos_own_sales_month_by_month(demo_db):
    from fucai.sales.models import MofReport

    series = SeriesRunner(demo_db.context, Scope.province()).monthly(YEAR_END)
    sales = {(p.period.year, p.period.month): p.amount_fen for p in series.points}
    rows = MofReport.objects.filter(region="江西", lottery="welfare", year__gte=2022)
    table = {(r.year, r.month): r.month_amount_fen for r in rows}
    assert table == sales and len(table) == 24
    august = MofReport.objects.get(year=2023, month=8, region="江西", lottery="welfare")
    assert august.ytd_amount_fen == sum(sales[(2023, m)] for m in range(1, 9))


def test_the_tables_national_totals_are_the_published_figures(demo_db):
    from fucai.sales.models import MofReport

    def national(year: int, month: int, lottery: str) -> tuple[Decimal, Decimal]:
        row = MofReport.objects.get(year=year, month=month, region="全国", lottery=lottery)
        return yi(row.month_amount_fen), yi(row.ytd_amount_fen)

    assert national(2022, 12, "welfare") == (Decimal("118.31"), Decimal("1481.31"))
    assert national(2022, 12, "sports") == (Decimal("500.18"), Decimal("2765.22"))
    assert national(2023, 1, "welfare") == (Decimal("108.41"), Decimal("108.41"))
    assert national(2023, 7, "sports")[1] == Decimal("2151.21")
    assert national(2023, 10, "welfare")[1] == Decimal("1600.27")
    assert national(2023, 12, "welfare") == (Decimal("174.76"), Decimal("1944.41"))
    assert national(2023, 12, "sports") == (Decimal("358.08"), Decimal("3852.55"))
    year_end = MofReport.objects.get(year=2023, month=12, region="全国", lottery="welfare")
    assert year_end.ytd_yoy_pct == Decimal("31.26")  # published: +31.3 %
    provinces = MofReport.objects.filter(year=2023, month=12, lottery="welfare").exclude(
        region="全国"
    )
    assert sum(r.ytd_amount_fen for r in provinces) == year_end.ytd_amount_fen
    assert set(MofReport.objects.values_list("note", flat=True)) == {"synthetic (demo)"}


def test_each_months_table_is_an_import_in_the_history(demo_db):
    from fucai.sales.choices import ImportKind, ImportStatus
    from fucai.sales.models import SalesImport

    imports = SalesImport.objects.filter(kind=ImportKind.MOF, status=ImportStatus.SUCCEEDED)
    assert imports.count() == 36
    august = imports.get(file_name__startswith="2023年8月")
    assert "synthetic (demo)" in august.message
    assert august.mof_rows.count() == 32 * 3  # 全国 and 31 provinces × welfare, sports, total


# --- the shape of the data ---------------------------------------------------------------------


def daily_by(demo, start: dt.date, end: dt.date, by: str) -> dict[tuple[dt.date, str], int]:
    series = SeriesRunner(demo.context, Scope.province()).daily(start, end, by=by)
    return {(p.period, p.key): p.amount_fen for p in series.points}


def test_draw_games_sell_nothing_during_the_2023_spring_festival_while_instant_tickets_sell(
    demo_db,
):
    amounts = daily_by(demo_db, dt.date(2023, 1, 17), dt.date(2023, 1, 30), "game_category")
    closed = [dt.date(2023, 1, 19) + dt.timedelta(days=i) for i in range(10)]
    assert all(amounts.get((day, "draw"), 0) == 0 for day in closed)
    assert all(amounts[(day, "instant")] > 1_000_000_00 for day in closed)
    for day in (dt.date(2023, 1, 18), dt.date(2023, 1, 29)):
        assert amounts[(day, "draw")] > 5_000_000_00


def test_draw_games_also_stop_for_every_other_closure_of_the_calendar(demo_db):
    from fucai.sales.selling_days import SalesCalendar

    closed = SalesCalendar.load().closed_days(dt.date(2021, 1, 1), YEAR_END)
    assert len(closed) == 3 * 14  # 春节 and 国庆, three years
    con = facts(demo_db)
    con.register("closed", pa.table({"day": pa.array(closed, pa.date32())}))
    draw_inside = con.execute(
        "SELECT count(*) FROM d JOIN closed ON d.date = closed.day WHERE d.game <> 'instant'"
    ).fetchone()
    instant_inside = con.execute(
        "SELECT count(DISTINCT date) FROM d JOIN closed ON d.date = closed.day "
        "WHERE d.game = 'instant'"
    ).fetchone()
    assert draw_inside == (0,)
    assert instant_inside == (len(closed),)


def test_no_station_sells_on_a_day_it_was_not_open(demo_db):
    changes = list(
        StationStatusChange.objects.order_by("station__code", "date", "pk").values_list(
            "station__code", "date", "status"
        )
    )
    last_of_day = {}
    for code, day, status in changes:
        last_of_day[(code, day)] = status  # the last change of a day wins
    con = facts(demo_db)
    con.register(
        "changes",
        pa.table(
            {
                "code": [k[0] for k in last_of_day],
                "day": pa.array([k[1] for k in last_of_day], pa.date32()),
                "status": list(last_of_day.values()),
            }
        ),
    )
    status_counts = dict(
        con.execute("""
        WITH station_days AS (SELECT DISTINCT station_code, date FROM d)
        SELECT coalesce(c.status, 'none'), count(*) FROM station_days s
        ASOF LEFT JOIN changes c ON s.station_code = c.code AND s.date >= c.day
        GROUP BY ALL""").fetchall()
    )
    assert set(status_counts) == {"open"}
    # not vacuous: stations that closed or were suspended sold while they were open
    stopped = set(
        StationStatusChange.objects.filter(status__in=["closed", "suspended"]).values_list(
            "station__code", flat=True
        )
    )
    selling = {code for (code,) in con.execute("SELECT DISTINCT station_code FROM d").fetchall()}
    assert len(stopped & selling) > 500


def test_stations_sell_on_almost_every_day_they_are_open(demo_db):
    day = dt.date(2023, 6, 30)
    open_stations = Station.objects.open_on(day).count()
    con = facts(demo_db)
    selling = con.execute(
        "SELECT count(DISTINCT station_code) FROM d WHERE date = ?", [day]
    ).fetchone()[0]
    assert 0.97 * open_stations <= selling < open_stations  # a few are off for the day


def test_amounts_are_whole_bets_and_tickets_follow_the_amounts(demo_db):
    con = facts(demo_db)
    odd = con.execute("""
        SELECT count(*) FROM d WHERE amount_fen <= 0 OR tickets <= 0
            OR (game <> 'instant' AND amount_fen % 200 <> 0) OR amount_fen % 100 <> 0""").fetchone()
    assert odd == (0,)
    games = [g for (g,) in con.execute("SELECT DISTINCT game FROM d ORDER BY 1").fetchall()]
    assert games == ["3d", "instant", "kl8", "qlc", "ssq"]
    rows = con.execute("SELECT count(*) FROM d").fetchone()[0]
    assert 20_000_000 < rows < 32_000_000


def weekday_index(demo, game: str) -> list[float]:
    """A game's mean daily amount per ISO weekday (Mon … Sun) in spring 2023, over the mean."""
    amounts = daily_by(demo, dt.date(2023, 3, 6), dt.date(2023, 6, 25), "game")
    per_day = defaultdict(list)
    for (day, key), amount in amounts.items():
        if key == game:
            per_day[day.isoweekday()].append(amount)
    means = [float(np.mean(per_day[d])) for d in range(1, 8)]
    return [m / float(np.mean(means)) for m in means]


def test_double_colour_ball_peaks_on_its_draw_days_and_seven_happy_on_its_own(demo_db):
    ssq = weekday_index(demo_db, "ssq")  # draws Tue, Thu, Sun
    assert min(ssq[1], ssq[3], ssq[6]) > max(ssq[0], ssq[2], ssq[4], ssq[5])
    qlc = weekday_index(demo_db, "qlc")  # draws Mon, Wed, Fri
    assert min(qlc[0], qlc[2], qlc[4]) > max(qlc[1], qlc[3], qlc[5], qlc[6])


def test_weekends_sell_more_than_weekdays(demo_db):
    for game in ("3d", "kl8", "instant"):
        index = weekday_index(demo_db, game)
        assert min(index[5], index[6]) > max(index[:4]), game


def test_new_stations_ramp_up_over_their_first_months(demo_db):
    opened = dict(
        Station.objects.filter(
            opened_on__range=(dt.date(2023, 1, 2), dt.date(2023, 4, 30))
        ).values_list("code", "opened_on")
    )
    assert len(opened) > 300
    con = facts(demo_db)
    con.register(
        "opened",
        pa.table({"code": list(opened), "day": pa.array(list(opened.values()), pa.date32())}),
    )
    first, settled = con.execute("""
        WITH per_day AS (
            SELECT d.station_code, date_diff('day', o.day, d.date) AS age, sum(amount_fen) AS amount
            FROM d JOIN opened o ON d.station_code = o.code GROUP BY ALL)
        SELECT avg(amount) FILTER (WHERE age < 14),
               avg(amount) FILTER (WHERE age BETWEEN 90 AND 120)
        FROM per_day""").fetchone()
    assert first < 0.6 * settled
    before = con.execute(
        "SELECT count(*) FROM d JOIN opened o ON d.station_code = o.code WHERE d.date < o.day"
    ).fetchone()
    assert before == (0,)


def test_shopping_complex_and_dedicated_stations_sell_more(demo_db):
    groups = {g.key: g.amount_fen for g in ytd(demo_db, AS_OF, by="scene,operation").groups}
    counts = defaultdict(int)
    for scene, operation in Station.objects.open_on(AS_OF).values_list("scene", "operation"):
        counts[f"{scene}/{operation}"] += 1

    def per_station(key: str) -> float:
        return groups[key] / counts[key]

    assert per_station("shopping_complex/dedicated") > 2 * per_station("street/shared")
    assert per_station("street/dedicated") > per_station("street/shared")
    assert per_station("business_district/dedicated") > per_station("supermarket/shared")


def test_instant_tickets_surge_through_2023(demo_db):
    series = SeriesRunner(demo_db.context, Scope.province()).monthly(YEAR_END, by="game_category")
    instant = {
        p.period.month: (p.amount_fen, p.prior_amount_fen)
        for p in series.points
        if p.key == "instant" and p.period.year == 2023
    }
    assert sorted(instant) == list(range(1, 13))
    assert instant[1][0] > 1.3 * instant[1][1]  # January: the surge begins
    assert all(now > 1.8 * before for month, (now, before) in instant.items() if month > 1)
    assert instant[12][0] > 1.5 * instant[1][0]


# --- the build -------------------------------------------------------------------------------


def test_the_build_reports_its_progress_with_the_rows_of_each_year(demo_db):
    lines = [
        (float(m.group(1)), m.group(2), int(m.group(3).replace(",", "")))
        for m in re.finditer(r"^\[\s*([\d.]+)s\] (.*?)\s+([\d,]+)$", demo_db.err, re.M)
    ]
    years = [(s, count) for s, label, count in lines if re.fullmatch(r"202[123] 年日销售", label)]
    assert len(years) == 3
    assert sum(count for _, count in years) == demo_db.store.manifest().row_count()
    seconds = [s for s, _label, _count in lines]
    assert seconds == sorted(seconds)  # elapsed time, step by step (its speed is bench's business)


def test_each_year_loaded_appears_in_the_import_history_with_source_demo(demo_db):
    from fucai.sales.models import SalesImport

    records = SalesImport.objects.filter(source="demo", kind="daily").order_by("first_day")
    assert [(r.first_day, r.last_day) for r in records] == [
        (dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in YEARS
    ]
    assert sum(r.fact_rows for r in records) == demo_db.store.manifest().row_count()
    assert records.get(first_day__year=2023).amount_fen == 4_063_000_000_00
    assert {(r.status, r.kind, r.user_name, r.batch) for r in records} == {
        ("succeeded", "daily", "fucai demo", records[0].batch)
    }
    assert not SalesImport.objects.exclude(source="demo").exists()  # the Ministry tables too
    assert SalesImport.objects.filter(source="demo", kind="mof").count() == 36


def test_the_import_list_shows_the_demo_loads(demo_db, client):
    from django.urls import reverse

    from fucai.sales.models import SalesImport

    client.login(username="admin", password="fucai-demo")
    html = client.get(reverse("sales:import_list")).content.decode()
    records = SalesImport.objects.filter(source="demo")
    assert all(record.file_name in html for record in records)
    detail = client.get(reverse("sales:import_detail", args=[records[0].batch]))
    assert detail.status_code == 200


def test_stations_sell_only_on_the_autumn_days_their_history_says_they_are_open(demo_db):
    autumn = StationStatusChange.objects.filter(date__gt=AS_OF)
    opened = dict(
        autumn.filter(status="open", station__opened_on__gt=AS_OF).values_list(
            "station__code", "date"
        )
    )
    closed = dict(autumn.filter(status="closed").values_list("station__code", "date"))
    assert len(opened) > 50 and len(closed) > 40
    con = facts(demo_db)
    first = dict(
        con.execute(
            "SELECT station_code, min(date) FROM d WHERE station_code IN "
            "(SELECT unnest(?::VARCHAR[])) GROUP BY 1",
            [list(opened)],
        ).fetchall()
    )
    last = dict(
        con.execute(
            "SELECT station_code, max(date) FROM d WHERE station_code IN "
            "(SELECT unnest(?::VARCHAR[])) GROUP BY 1",
            [list(closed)],
        ).fetchall()
    )
    assert all(first[code] >= day for code, day in opened.items() if code in first)
    assert len(first) > 0.9 * len(opened)  # they sell once open
    assert all(last[code] < day for code, day in closed.items() if code in last)


def test_the_same_seed_gives_the_same_store(demo_db):
    generator = DemoSalesGenerator.from_database(DEMO_SEED)
    assert tables_fingerprint(table for _, table in generator.tables()) == store_fingerprint(
        demo_db.store
    )


def test_the_archive_is_rebuilt_identically_from_the_same_daily_sales(demo_db):
    assert sorted_rows(archive_rows(shape(demo_db.store))).equals(read_archive(demo_db.store))


def test_another_seed_gives_other_sales(demo_db):
    ours = DemoSalesGenerator.from_database(DEMO_SEED).natural(2021)
    theirs = DemoSalesGenerator.from_database(DEMO_SEED + 1).natural(2021)
    assert ours.shape == theirs.shape
    assert not np.array_equal(ours, theirs)


def test_running_the_demo_again_changes_nothing(demo_db):
    manifest, archive = demo_db.store.manifest(), archive_stamp(demo_db.store)
    with override_settings(DATA_DIR=demo_db.data_dir):
        _, err = run_demo()
    assert "nothing to do" in err or "无需" in err
    assert demo_db.store.manifest() == manifest
    assert archive_stamp(demo_db.store) == archive


def test_the_builder_refuses_a_store_it_did_not_build(demo_db, tmp_path, english):
    store = SalesStore(tmp_path / "sales")
    builder = SalesDemoBuilder(store)
    ctx = SimpleNamespace(seed=DEMO_SEED)
    assert builder.foreign_data(ctx) is None  # empty
    store.write_facts(
        pa.table(
            {
                "date": pa.array([dt.date(2023, 3, 1)], pa.date32()),
                "station_code": ["36110214"],
                "game": ["ssq"],
                "amount_fen": [200_00],
                "tickets": [10],
            }
        )
    )
    assert "1 daily facts" in builder.foreign_data(ctx)
    (store.root / MARKER).write_text("{}")
    assert builder.foreign_data(ctx) is None  # the demo's own store may be wiped
    builder.wipe(ctx)
    assert store.manifest().row_count() == 0
    assert store.manifest().retired  # old files are retired, deleted later by gc
    assert not builder.is_current(ctx)


# --- calibration helpers -------------------------------------------------------------------------


def test_integerize_hits_the_target_exactly_with_the_largest_remainders():
    values = np.array([1.2, 0.9, 3.5, 0.0, 2.4])
    assert integerize(values, 8).tolist() == [1, 1, 4, 0, 2]
    assert integerize(values, 7).tolist() == [1, 1, 3, 0, 2]
    assert integerize(values, 6).tolist() == [1, 0, 3, 0, 2]
    assert integerize(values, 5).tolist() == [0, 0, 3, 0, 2]
    with pytest.raises(CalibrationError):
        integerize(values, 20)


def test_boost_groups_lifts_a_group_below_its_floor_and_leaves_others_alone():
    days, stations = 10, 4
    values = np.ones((days, stations))
    in_ytd = np.arange(days) < 6
    cells = YearCells(by_category={"draw": values}, in_ytd=in_ytd)
    targets = {("draw", "ytd"): 600.0, ("draw", "rest"): 400.0}
    small = np.array([True, False, False, False])
    boost = boost_groups(cells, targets, [("small", small, 300.0)])
    factors = cells.factors(targets, boost)
    assert cells.group_ytd(small, factors, boost) >= 300.0
    assert boost[1] == boost[2] == boost[3] == 1.0
    assert (values @ boost * factors["draw"] * in_ytd).sum() == pytest.approx(600.0)
    unchanged = boost_groups(cells, targets, [("small", small, 100.0)])
    assert unchanged.tolist() == [1.0] * stations


def test_boost_groups_brings_a_group_above_its_ceiling_down_to_its_floor():
    days, stations = 10, 4
    cells = YearCells(by_category={"draw": np.ones((days, stations))}, in_ytd=np.arange(days) < 6)
    targets = {("draw", "ytd"): 600.0, ("draw", "rest"): 400.0}
    big = np.array([True, True, True, False])  # 450 of the 600 naturally
    boost = boost_groups(cells, targets, [("big", big, 300.0, 320.0)])
    amount = cells.group_ytd(big, cells.factors(targets, boost), boost)
    assert 300.0 <= amount <= 320.0 and boost[3] == 1.0


def test_the_targets_reproduce_the_report_whatever_the_natural_split():
    natural = {
        (y, c, s): 1.0 + (c == "draw")
        for y in YEARS
        for c in ("draw", "instant")
        for s in ("ytd", "rest")
    }
    targets = cell_targets(natural)
    assert targets[(2023, "draw", "ytd")] + targets[(2023, "instant", "ytd")] == 2_606_000_000_00
    assert sum(v for (y, _, _), v in targets.items() if y == 2023) == 4_063_000_000_00
    assert targets[(2023, "instant", "ytd")] == 575_000_000_00
    assert all(v % 100 == 0 for v in targets.values())


def test_the_national_months_keep_every_published_figure():
    from fucai.sales.demo.mof import national_months

    welfare = national_months(2023, "welfare")
    assert [yi(welfare[m]) for m in (1, 10, 12)] == [
        Decimal("108.41"),
        Decimal("154.88"),
        Decimal("174.76"),
    ]
    assert yi(sum(welfare[m] for m in range(1, 8))) == Decimal("1076.82")
    assert yi(sum(welfare[m] for m in range(1, 11))) == Decimal("1600.27")
    assert yi(sum(welfare.values())) == Decimal("1944.41")
    assert all(amount % 10_000 == 0 for amount in welfare.values())  # whole 0.01 万元


def test_the_other_regions_place_jiangxi_at_the_rank_asked_for():
    from fucai.sales.demo.mof import OTHERS, other_weights

    weights = other_weights(10, 0.02)
    assert sum(weights.values()) == pytest.approx(1)
    assert len(weights) == len(OTHERS) == 30
    assert sorted(weights.values(), reverse=True)[8] >= 0.02 * 1.1  # 9 regions above
    assert sorted(weights.values(), reverse=True)[9] <= 0.02 * 0.9  # the 10th below
    with pytest.raises(ValueError):
        other_weights(30, 0.05)


# --- the demo's cadre pairing and its measured effect (fucai.party; built with these sales) ------
def test_the_demo_pairs_433_jian_cadres_one_to_one_with_supermarket_stations(demo_db):
    from fucai.party.models import Pairing

    pairings = Pairing.objects.filter(scheme__branch__city__code="360800")
    assert pairings.count() == 433
    assert pairings.values("member").distinct().count() == 433
    assert pairings.values("station").distinct().count() == 433
    assert set(pairings.values_list("station__scene", flat=True)) == {"supermarket"}
    assert not pairings.filter(station__owner__is_party_member=True).exists()
    # the drive rolled out over months: staggered starts
    months = {d.month for d in pairings.values_list("started_on", flat=True)}
    assert {1, 2, 3, 4, 5, 6} <= months


def test_every_demo_pairing_begins_with_a_visit_on_its_day(demo_db):
    from fucai.network.models import FieldVisit
    from fucai.party.models import Pairing

    firsts = set(
        FieldVisit.objects.filter(purpose="paired").values_list("station_id", "visited_on")
    )
    assert all(
        (station, day) in firsts
        for station, day in Pairing.objects.values_list("station_id", "started_on")
    )


def test_fuzhou_cadres_are_assigned_to_its_counties_and_two_blank_patches_of_linchuan(demo_db):
    from fucai.party.areas import area_contents
    from fucai.party.models import AreaAssignment
    from fucai.planning.coverage import blank_areas

    areas = AreaAssignment.objects.filter(branch__city__code="361000").select_related("county")
    assert areas.filter(kind="county").count() == 11
    assert areas.filter(kind="cells").count() == 2
    contents = {c.area.label: c for c in area_contents(areas, AS_OF)}
    planning = {c.code: c for c in blank_areas(AS_OF, ["361000"]).counties}
    linchuan = contents["临川区"]
    assert round(linchuan.uncovered) == round(planning["361002"].uncovered)  # one definition
    assert round(linchuan.population) == round(planning["361002"].population)
    patches = [contents[name] for name in ("文昌街道", "西大街街道")]
    assert all(p.uncovered > 0 for p in patches)
    assert sum(p.uncovered for p in patches) <= linchuan.uncovered
    # on 2023-03-01, when they were assigned, the posters' leads were still open in them
    from fucai.network.models import Lead

    march = dt.date(2023, 3, 1)
    counties = [c for c in area_contents(areas, march) if c.area.kind == "county"]
    assert (
        sum(len(c.leads) for c in counties)
        == Lead.objects.filter(city__code="361000").open_on(march).count()
        > 0
    )


def test_the_effect_of_pairing_in_jian_recovers_the_demo_s_8_percent(demo_db):
    out = io.StringIO()
    call_command(
        "party",
        "effect",
        "--treatment",
        "pairing",
        "--city",
        "吉安",
        "--as-of",
        "2023-09-03",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    keys = {
        "estimate_pct",
        "ci_low_pct",
        "ci_high_pct",
        "placebo_estimate_pct",
        "placebo_ci_low_pct",
        "placebo_ci_high_pct",
        "n_treated",
        "n_control",
        "estimator",
        "verdict",
    }
    assert keys <= set(data)
    assert data["ci_low_pct"] <= 8.0 <= data["ci_high_pct"]  # the generator's +8 %
    assert data["ci_low_pct"] > 0 and data["verdict"].startswith("有可测量的效果")
    assert data["placebo_ci_low_pct"] <= 0 <= data["placebo_ci_high_pct"]
    assert data["n_treated"] > 300 and data["n_control"] > 0
    pre = [e["coef_pct"] for e in data["event_study"] if e["k"] < -1]
    assert max(abs(c) for c in pre) < 2  # flat before the start: parallel trends hold


def test_a_new_channel_outlet_nearby_has_no_measurable_effect_in_the_demo(demo_db):
    out = io.StringIO()
    call_command(
        "party",
        "effect",
        "--treatment",
        "new_channel",
        "--city",
        "赣州",
        "--as-of",
        "2023-09-03",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["ci_low_pct"] <= 0 <= data["ci_high_pct"]  # the generator has no spillover
    assert data["verdict"] == "暂无可测量的效果"


# --- the demo's Party-member vanguard posts (fucai.party; the seed: over 100 owners, over
# 60,000,000 yuan in 2023 to 3 September) ----------------------------------------------------
def test_over_100_consenting_owners_stations_sold_over_60_million_yuan(demo_db):
    from fucai.accounts.models import User
    from fucai.analytics.runners import YearToDateRunner
    from fucai.analytics.scope import Scope
    from fucai.party.vanguard_posts import vanguard_posts

    posts = vanguard_posts(User.objects.get(username="party"), AS_OF, context=demo_db.context)
    assert posts.owners == 112 and len(posts.posts) == 112
    assert posts.total_fen > 60_000_000_00
    ytd = YearToDateRunner(demo_db.context, Scope.province()).run(AS_OF, by="party_member")
    assert {g.key: g.amount_fen for g in ytd.groups}["yes"] == posts.total_fen


def test_station_36110214s_owner_consented_on_the_partys_anniversary_2022(demo_db):
    from fucai.party.models import VanguardConsent

    owner = Station.objects.get(code="36110214").owner
    consent = VanguardConsent.objects.get(owner=owner)
    assert (consent.given_on, consent.revoked_on) == (dt.date(2022, 7, 1), None)
    assert consent.recorded_by.username == "party"
    given = VanguardConsent.objects.values_list("given_on", flat=True)
    assert dt.date(2022, 1, 1) <= min(given) and max(given) <= dt.date(2023, 6, 30)


# --- the demo's public-welfare fund raised, welfare posts and activities (fucai.welfare) -------
def test_the_fund_raised_in_2023_to_3_september_is_each_games_sales_times_its_rate_to_the_fen(
    demo_db,
):
    from fucai.welfare.fund import fund_raised
    from fucai.welfare.models import FundRate

    rates = {r.game.code: r for r in FundRate.objects.select_related("game")}
    assert set(rates) == {"ssq", "3d", "qlc", "kl8", "instant"}
    assert all(r.valid_from <= dt.date(2023, 1, 1) and r.valid_to is None for r in rates.values())
    assert all(r.source for r in rates.values())
    # independently, from the store's daily facts: the sales of each (city, game), × its rate,
    # rounded half-up to the fen once
    city_of = dict(Station.objects.values_list("code", "city__code"))
    sales = facts(demo_db).execute(
        "SELECT station_code, game, SUM(amount_fen) FROM d "
        "WHERE date BETWEEN ? AND ? GROUP BY station_code, game",
        [dt.date(2023, 1, 1), AS_OF],
    )
    cells: dict[tuple, int] = defaultdict(int)
    for code, game, fen in sales.fetchall():
        cells[(city_of[code], game)] += int(fen)
    one = Decimal(1)

    def fund(fen: int, game: str) -> int:
        return int((Decimal(fen) * rates[game].rate).quantize(one, rounding=ROUND_HALF_UP))

    expected = sum(fund(fen, game) for (_city, game), fen in cells.items())
    per_game: dict[str, int] = defaultdict(int)
    for (_city, game), fen in cells.items():
        per_game[game] += fen
    exact = sum(Decimal(fen) * rates[g].rate for g, fen in per_game.items())  # Σ game sales × rate
    result = fund_raised(Scope.province(), AS_OF, context=demo_db.context)
    assert result.total.fund_fen == expected
    assert abs(Decimal(result.total.fund_fen) - exact) <= Decimal(len(cells)) / 2
    assert sum(r.fund_fen for r in result.by_city) == result.total.fund_fen
    assert sum(r.fund_fen for r in result.by_game) == result.total.fund_fen
    assert {r.key: r.fund_fen for r in result.by_game} == {
        g: sum(fund(fen, game) for (_c, game), fen in cells.items() if game == g) for g in per_game
    }
    assert result.total.sales_fen == 2_606_000_000_00 and result.unrated_sales_fen == 0
    share = Decimal(result.total.fund_fen) / result.total.sales_fen
    assert Decimal("0.27") < share < Decimal("0.32")  # ≈ 30 % of sales: a plausible share
    assert result.total.prior_fund_fen > 0 and result.total.yoy_pct > 0
    out = io.StringIO()
    call_command(
        "welfare", "raised", "--as-of", "2023-09-03", "--by", "city", "--format", "json",
        stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["fund_fen"] == expected and data["fund_yuan"] == f"{Decimal(expected) / 100:.2f}"
    assert len(data["rows"]) == 11


def test_ganzhous_welfare_officer_sees_the_fund_raised_by_ganzhous_sales_only(demo_db):
    from fucai.accounts.models import User
    from fucai.welfare.fund import fund_raised

    mine = fund_raised(User.objects.get(username="welfare"), AS_OF, context=demo_db.context)
    whole = fund_raised(Scope.province(), AS_OF, context=demo_db.context)
    assert [r.key for r in mine.by_city] == ["360700"]
    assert mine.total.fund_fen == {r.key: r.fund_fen for r in whole.by_city}["360700"]


def test_fuzhous_65_welfare_posts_have_their_services_and_2023_has_dozens_of_activities(demo_db):
    from fucai.welfare.models import WelfareActivity, WelfarePost

    posts = WelfarePost.objects.select_related("station")
    assert posts.count() == 65
    assert {p.station.city.code for p in posts} == {"361000"}
    assert all({"water", "rest"} <= set(p.services) and p.opening_note for p in posts)
    activities = WelfareActivity.objects.filter(held_on__year=2023)
    assert 25 <= activities.count() <= 60
    assert len(set(activities.values_list("city__code", flat=True))) >= 5
    jian = activities.filter(city__code="360800", kind__in=("notice_board", "banner"))
    assert jian.count() >= 10
    supermarkets = Station.objects.filter(city__code="360800", scene="supermarket")
    assert set(jian.values_list("address", flat=True)) <= set(
        supermarkets.values_list("address", flat=True)
    )
    assert all(a.people_reached > 0 and a.held_on <= AS_OF for a in activities)


# --- the demo's 公益金 grants (fucai.welfare; the seed: over 300,000 yuan to 330 poor households
# of 赣州 in 2023 to 3 September) --------------------------------------------------------------
def test_ganzhou_paid_over_300000_yuan_to_330_households_by_3_september(demo_db):
    from fucai.welfare.tests.test_grants import grants_json

    data = grants_json("--as-of", "2023-09-03", "--city", "赣州")
    assert data["households"] == 330
    assert Decimal(data["paid_yuan"]) > 300_000
    aid = next(p for p in data["projects"] if p["name"] == "2023年赣州市困难家庭公益金救助")
    assert (aid["paid_grants"], aid["paid_yuan"]) == (330, "327200.00")
    assert Decimal(data["committed_yuan"]) > 0  # the batch still in its notice period
    kinds = {p["kind"] for p in data["projects"]}
    assert {"elderly_care", "reading_room", "household_aid"} <= kinds


def test_every_demo_grant_went_through_the_steps_by_different_people(demo_db):
    from fucai.welfare.models import Grant, GrantStep

    paid = Grant.objects.filter(project__city__code="360700", status="paid")
    steps = GrantStep.objects.filter(grant__in=paid)
    by_grant = defaultdict(dict)
    for grant, kind, by in steps.values_list("grant_id", "kind", "by_id"):
        by_grant[grant][kind] = by
    assert len(by_grant) == paid.count() > 330
    for people in by_grant.values():
        assert list(people) == ["application", "review", "approval", "payment"]
        assert people["approval"] not in (people["application"], people["review"])
        assert people["review"] != people["application"]
    approvers = set(steps.filter(kind="approval").values_list("by__username", flat=True))
    assert approvers == {"welfare"}


def test_the_demo_catches_a_duplicate_and_has_an_open_objection_and_notice(demo_db):
    from fucai.welfare.models import Grant, Objection

    twins = Grant.objects.filter(duplicate_elsewhere=True).select_related("project__city")
    assert sorted(g.project.city.code for g in twins) == ["360700", "360800"]
    caught = twins.get(project__city__code="360700")
    assert caught.status == "rejected" and "其他设区市" in caught.steps.get(kind="rejection").note
    objection = Objection.objects.get()
    assert objection.outcome == "" and objection.grant.notice.ends_on == dt.date(2023, 9, 4)


def test_no_demo_beneficiary_is_stored_in_clear_and_their_id_numbers_belong_to_nobody(demo_db):
    from django.db import connection

    from fucai.core.tests.test_personal_data import _all_stored_text
    from fucai.network.demo.names import id_check_character
    from fucai.welfare.models import Household

    people = list(Household.objects.values_list("id_number", "phone", "address"))
    assert len(people) > 400
    assert all(n[-1] != id_check_character(n[:17]) for n, _p, _a in people)
    assert all(phone.startswith("1990000") for _n, phone, _a in people)
    dump = _all_stored_text()  # every table as `sqlite3 … .dump` (or a scan on PostgreSQL) shows it
    assert not [value for person in people for value in person if value in dump]
    # names are short and common (two or three characters): their column holds tokens only
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, circumstances FROM welfare_household")
        stored = cursor.fetchall()
    assert all(v.startswith("gAAAAA") for row in stored for v in row)


def test_every_demo_project_has_its_lifecycle_and_ganzhous_equipment_is_completed(demo_db):
    from fucai.welfare.models import Project, ProjectStep
    from fucai.welfare.workflow import application_refusal

    assert not Project.objects.filter(steps__isnull=True).exists()
    care = Project.objects.get(name="2023年赣州市社区养老服务中心设备购置")
    moves = list(care.steps.values_list("from_status", "to_status", "on", "by__username"))
    assert [m[:3] for m in moves] == [
        ("", "planned", dt.date(2023, 1, 9)),
        ("planned", "open", dt.date(2023, 2, 1)),
        ("open", "completed", dt.date(2023, 4, 28)),
    ]
    assert moves[2][3] == "welfare" and care.status == "completed"
    assert application_refusal(care.status) == "已完成或已结项的项目不再受理新的资助。"
    statuses = dict(Project.objects.filter(city__code="360700").values_list("kind", "status"))
    assert statuses == {
        "household_aid": "open",
        "elderly_care": "completed",
        "reading_room": "completed",
    }
    assert (
        ProjectStep.objects.filter(to_status="open").count()
        == Project.objects.exclude(status="planned").count()
    )


# --- the demo's evaluation schemes and runs (fucai.evaluation) ----------------------------------
def test_the_demo_stores_the_two_seed_schemes_as_version_1_and_freezes_their_2023_runs(demo_db):
    from fucai.evaluation.models import EvaluationRun, EvaluationScheme
    from fucai.evaluation.runs import reproduce

    schemes = EvaluationScheme.objects.order_by("name")
    assert [(s.name, s.version, s.population) for s in schemes] == [
        ("city-agencies-2023", 1, "city_agencies"),
        ("market-managers-2023", 1, "market_managers"),
    ]
    assert schemes[1].parsed().pay.cap == Decimal("1.50")
    managers = EvaluationRun.objects.get(scheme__name="market-managers-2023", period="2023")
    assert managers.status == "done" and managers.published is not None
    results = managers.results.all()
    assert results.count() == len(managers.inputs["ids"]) > 100
    assert results.filter(eliminated=True).exists()
    assert all(Decimal("0.60") <= r.pay_factor <= Decimal("1.50") for r in results)
    assert reproduce(managers) == managers.result
    for row in managers.result["alternatives"]:
        assert abs(sum(row["contributions"].values()) - row["score"]) < 1e-9


# -- evaluation (issue 13): the 2023 targets and the two shipped schemes on the demo's data ------
def demo_evaluation(demo, name: str, as_of=None):
    from fucai.evaluation.engine import evaluate
    from fucai.evaluation.indicators import build_inputs, completed_matrix
    from fucai.evaluation.shipped import scheme_named

    scheme = scheme_named(name)
    table = build_inputs(scheme, "2023", as_of=as_of, context=demo.context)
    matrix, filled = completed_matrix(table, scheme)
    return scheme, table, filled, evaluate(scheme, list(table.ids), matrix, elapsed=table.elapsed)


def test_every_demo_city_has_a_2023_completion_rate_near_the_time_share(demo_db):
    from fucai.sales.targets import completion, total_completion

    cities = completion(AS_OF, "city", context=demo_db.context)
    assert len(cities) == 11
    # the demo's targets have months (the 2022 profile): 序时进度 by them, not 246/365 = 67.40 %
    assert all(c.basis == "monthly" for c in cities)
    assert all(Decimal("0.65") < c.time_share < Decimal("0.67") for c in cities)
    assert all(Decimal("0.60") < c.rate < Decimal("0.75") for c in cities)
    ahead = [c for c in cities if c.rate >= c.time_share]
    assert 0 < len(ahead) < 11  # some ahead of time, some behind
    assert all((c.rate >= c.time_share) == (c.rate_to_date >= 1) for c in cities)
    # the province: its cities added up, by their months; the seed's 26.06 亿元 to date
    province = total_completion(cities)
    assert (province.basis, province.sales_fen) == ("monthly", 260_600_000_000)
    assert (province.rate, province.time_share) == (Decimal("0.6679"), Decimal("0.6642"))
    # the evaluation's target completion to 3 September is each city's completion to date
    _scheme, table, _filled, _result = demo_evaluation(demo_db, "city-agencies-2023", AS_OF)
    evaluated = table.values["target_completion"]
    assert {c.code: float(c.rate_to_date) for c in cities} == {
        code: round(value, 4) for code, value in evaluated.items()
    }
    managers = completion(AS_OF, "manager", context=demo_db.context)
    assert len(managers) >= 120 and all(m.rate is not None for m in managers)


def test_on_the_demo_every_manager_is_graded_some_eliminated_pay_within_floor_and_cap(demo_db):
    scheme, table, filled, result = demo_evaluation(demo_db, "market-managers-2023")
    rows = result["alternatives"]
    assert len(rows) == len(table.ids) >= 120 and filled == []
    eliminated = [row for row in rows if row["eliminated"]]
    assert len(rows) == 123 and len(eliminated) == 15
    # the eliminated: 不合格 and the pay floor 0.60, whatever their score's band
    assert {(r["grade"], r["pay_factor"]) for r in eliminated} == {("不合格", 0.6)}
    # 一级 … 四级 among the 108 others: 21.6 → 22, 32.4 → 32, 43.2 → 43, the rest 11
    others = Counter(r["grade"] for r in rows if not r["eliminated"])
    assert others == {"一级": 22, "二级": 32, "三级": 43, "四级": 11}
    floor, cap = float(scheme.pay.floor), float(scheme.pay.cap)
    assert all(floor <= row["pay_factor"] <= cap for row in rows)
    assert min(r["pay_factor"] for r in rows) < max(r["pay_factor"] for r in rows)
    for row in rows:
        assert sum(row["contributions"].values()) == pytest.approx(row["score"])
    # the goalposts are not degenerate: no indicator puts everyone at 0 or everyone at 1
    for name in table.values:
        normalised = {round(row["normalised"][name], 9) for row in rows}
        assert len(normalised) > 1, name


def test_on_the_demo_each_city_agency_has_a_score_from_its_completion_and_compliance(demo_db):
    _scheme, table, filled, result = demo_evaluation(demo_db, "city-agencies-2023")
    assert len(result["alternatives"]) == 11 and filled == []
    for row in result["alternatives"]:
        assert sum(row["contributions"].values()) == pytest.approx(row["score"])
    assert all(0.95 < v < 1.1 for v in table.values["target_completion"].values())
    assert table.sources["target_completion"]["360700"] == "/sales/?city=360700&as_of=2023-12-31"


def test_on_the_demo_managers_evaluated_on_3_september_are_eliminated_as_on_31_december(demo_db):
    """As of 3 September (序时进度 246/365) completion is measured against the target to date
    and the count indicators against goalposts × 246/365: about as many fall below 60 as at the
    year's end (before: 121 of 123), and the eliminated keep no grade or raised pay."""
    _scheme, table, _filled, result = demo_evaluation(
        demo_db, "market-managers-2023", dt.date(2023, 9, 3)
    )
    assert table.elapsed == 246 / 365 and result["partial_period"]["elapsed_share"] == 246 / 365
    rows = result["alternatives"]
    eliminated = [r for r in rows if r["eliminated"]]
    _s, _t, _f, at_end = demo_evaluation(demo_db, "market-managers-2023")
    assert len(eliminated) == 20 and sum(r["eliminated"] for r in at_end["alternatives"]) == 15
    assert {(r["grade"], r["pay_factor"]) for r in eliminated} == {("不合格", 0.6)}
    completion = sorted(table.values["target_completion"].values())
    assert 0.95 < completion[len(completion) // 2] < 1.05  # to date, not 67 % of the year
    others = Counter(r["grade"] for r in rows if not r["eliminated"])
    assert others == {"一级": 21, "二级": 31, "三级": 41, "四级": 10}  # of 103


def test_a_manager_sees_the_completion_they_are_evaluated_on_not_only_todays_stations(demo_db):
    """A manager's completion counts every sale attributed to their territory in the year (a
    station moved away counts while it was theirs): the figure the province sees and the one
    the evaluation scores, whoever looks."""
    from django.contrib.auth import get_user_model

    from fucai.sales.targets import completion

    manager = get_user_model().objects.get(username="manager")
    day = dt.date(2023, 12, 31)
    (own,) = completion(day, "manager", user=manager)
    province = {r.code: r for r in completion(day, "manager")}
    assert (own.sales_fen, own.rate) == (province[own.code].sales_fen, province[own.code].rate)
    _scheme, table, _filled, _result = demo_evaluation(demo_db, "market-managers-2023")
    evaluated = table.values["target_completion"][own.code]
    assert evaluated == pytest.approx(own.sales_fen / own.target_fen)
