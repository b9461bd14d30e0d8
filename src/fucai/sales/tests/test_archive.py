"""The monthly archive (city × category × month, before the daily facts) and what record highs
compare with: figures worked out by hand on a small archive of 2019 and 2020 under the daily
history of test_analytics (2021–2023)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import ibis
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import RankingRunner, YearToDateRunner, prorated_window
from fucai.analytics.scope import Scope, ScopeError, apply_scope
from fucai.sales.archive import read_archive
from fucai.sales.ingest.archive import SHEET, import_archive
from fucai.sales.ingest.importer import import_files
from fucai.sales.tests.test_analytics import AS_OF, HISTORY

JIUJIANG, GANZHOU = "360400", "360700"
HEADER = ["月份", "地市", "电脑票(元)", "即开票(元)"]


def year_rows(year: int, city: str, draw: str, instant: str) -> list[list]:
    """Twelve months of a city with the same amounts each month."""
    return [[f"{year}-{m:02d}", city, draw, instant] for m in range(1, 13)]


# 2019: 九江 sold 900 yuan of draw games a month (a year above 2023's 九江 and province totals);
# 赣州 50 + 10. 2020: both cities 100 + 10 a month.
ARCHIVE = [
    *year_rows(2019, "九江市", "900", "0"),
    *year_rows(2019, "赣州市", "50.00", "10"),
    *year_rows(2020, "九江市", "100", "10"),
    *year_rows(2020, "360700", "100", "10"),
]
# The window 1 January … 3 September of an archive year: eight whole months and 3/30 of
# September. 九江 2019: 8 × 900 + 900 × 3/30 = 7290; 赣州 2019: 405 + 81 = 486;
# each city in 2020: 810 + 81 = 891.
PROVINCE_2019 = 7_290_00 + 486_00
PROVINCE_2020 = 2 * 891_00


def workbook(path: Path, rows: list[list], sheet: str = SHEET, header=HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def context(network, store, write_csv, tmp_path, settings) -> AnalyticsContext:
    settings.ANALYTICS_RECHECK_SECONDS = 0
    assert import_files(
        [write_csv("history.csv", HISTORY)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    assert import_archive(workbook(tmp_path / "archive.xlsx", ARCHIVE), store=store).ok
    return AnalyticsContext(backend="duckdb", store=store)


def ytd(context, scope=None, **options):
    return YearToDateRunner(context, scope or Scope.province()).run(AS_OF, **options)


# --- the window rule -------------------------------------------------------------------------


def test_a_window_ending_mid_month_prorates_that_month_by_calendar_days():
    months = {1: 100_00, 2: 200_00, 8: 50_00, 9: 3_000_00, 10: 9_999_00}
    assert prorated_window(months, dt.date(2019, 9, 3)) == 100_00 + 200_00 + 50_00 + 300_00
    assert prorated_window(months, dt.date(2019, 9, 30)) == 3_350_00  # the whole month
    assert prorated_window({2: 29_00}, dt.date(2020, 2, 10)) == 10_00  # 29 days in Feb 2020
    assert prorated_window({9: 5}, dt.date(2019, 9, 3)) == 1  # 0.5 fen rounds half up


# --- record highs against the archive ----------------------------------------------------------


def test_the_province_total_is_not_a_record_because_2019_sold_more(context):
    result = ytd(context)
    assert result.history == {
        2019: PROVINCE_2019,
        2020: PROVINCE_2020,
        2021: 1_200_00,
        2022: 5_400_00,
        2023: 6_500_00,
    }
    assert (result.total.record_high, result.total.since) == (False, 2019)
    draw, instant = result.by_category["draw"], result.by_category["instant"]
    assert (draw.amount_fen, draw.record_high, draw.since) == (4_200_00, False, 2019)
    # instant: 2023 2300 against 2019 81, 2020 162, 2021 200, 2022 500
    assert (instant.amount_fen, instant.record_high, instant.since) == (2_300_00, True, 2019)
    assert result.to_dict()["total"]["since"] == 2019


def test_by_city_each_city_is_compared_with_its_own_archive(context):
    groups = {g.key: g.figures for g in ytd(context, by="city").groups}
    # 九江 3500 against its 2019 7290; 赣州 3000 against 486, 891, 0 and 1500
    assert (groups[JIUJIANG].amount_fen, groups[JIUJIANG].record_high) == (3_500_00, False)
    assert (groups[GANZHOU].amount_fen, groups[GANZHOU].record_high) == (3_000_00, True)
    assert groups[GANZHOU].since == groups[JIUJIANG].since == 2019


def test_a_city_user_compares_with_their_citys_archive_only(context, ganzhou_user):
    result = ytd(context, Scope.for_user(ganzhou_user))
    assert result.history == {2019: 486_00, 2020: 891_00, 2021: 0, 2022: 1_500_00, 2023: 3_000_00}
    assert (result.total.record_high, result.total.since) == (True, 2019)
    rows = context.scoped(Scope.for_user(ganzhou_user))["archive"].to_pyarrow()
    assert set(rows["city_code"].to_pylist()) == {GANZHOU}
    assert rows.num_rows == 2 * 2 * 12


def test_scopes_finer_than_a_city_have_only_daily_history(context, market_manager_user):
    scope = Scope.for_user(market_manager_user)
    result = ytd(context, scope)
    assert sorted(result.history) == [2021, 2022, 2023]
    assert result.total.since == 2021
    assert context.scoped(scope)["archive"].to_pyarrow().num_rows == 0


@pytest.mark.parametrize("by", ["county", "station", "game", "market_manager"])
def test_groupings_finer_than_city_and_category_have_only_daily_history(context, by):
    result = ytd(context, by=by)
    assert sorted(result.history) == [2021, 2022, 2023]
    assert {g.figures.since for g in result.groups} == {2021}


def test_an_archive_year_missing_months_is_not_compared(context, tmp_path, store):
    assert import_archive(
        workbook(tmp_path / "2018.xlsx", [["2018-01", "九江市", "99999", "0"]]), store=store
    ).ok
    fresh = AnalyticsContext(backend="duckdb", store=store)
    assert ytd(fresh).total.since == 2019


def test_rankings_without_history_compare_with_last_year_only(context):
    ranking = RankingRunner(context, Scope.province()).run(AS_OF, by="city")
    assert {e.group.figures.since for e in ranking.entries} == {2022}


def test_a_city_level_table_without_a_city_column_fails_closed():
    table = ibis.memtable({"station_code": ["36040001"], "amount_fen": [1]})
    with pytest.raises(ScopeError, match="no city_code"):
        apply_scope(table, "archive", Scope.city(JIUJIANG), stations=lambda: None)
    assert apply_scope(table, "archive", Scope.province(), stations=lambda: None) is table


# --- the badge ----------------------------------------------------------------------------------


def test_the_cockpit_badge_says_since_when_the_history_is_short(
    client, context, province_admin, settings
):
    client.force_login(province_admin)
    html = client.get(reverse("sales:cockpit"), {"as_of": AS_OF}).content.decode()
    # instant: compared with 2019 … 2022 (4 years, fewer than 5): "2019年以来新高"
    assert html.count("2019年以来新高") == 1
    assert "创历史新高" not in html
    assert "与2019年以来每年同期相比" in html
    settings.RECORD_HIGH_MIN_YEARS = 4
    html = client.get(reverse("sales:cockpit"), {"as_of": AS_OF}).content.decode()
    assert html.count("创历史新高") == 1
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        settings.RECORD_HIGH_MIN_YEARS = 5
        html = client.get(reverse("sales:cockpit"), {"as_of": AS_OF}).content.decode()
    assert "Highest since 2019" in html


# --- the import ---------------------------------------------------------------------------------


def test_an_import_sets_the_cells_it_holds_and_keeps_the_others(context, store, tmp_path):
    before = read_archive(store)
    assert before.num_rows == 4 * 2 * 12
    path = workbook(tmp_path / "fix.xlsx", [["2020年3月", "赣州", "123.45", 7]])
    outcome = import_archive(path, store=store)
    assert (outcome.rows, outcome.cells, outcome.replaced_cells) == (1, 2, 2)
    assert outcome.amount_fen == 130_45
    after = {
        (r["city_code"], r["category"], r["month"]): r["amount_fen"]
        for r in read_archive(store).to_pylist()
    }
    assert len(after) == 4 * 2 * 12
    assert after[(GANZHOU, "draw", dt.date(2020, 3, 1))] == 123_45
    assert after[(GANZHOU, "instant", dt.date(2020, 3, 1))] == 7_00
    assert after[(GANZHOU, "draw", dt.date(2020, 4, 1))] == 100_00


def test_a_dry_run_checks_and_writes_nothing(context, store, tmp_path):
    before = read_archive(store)
    path = workbook(tmp_path / "fix.xlsx", [["2020-03", "赣州市", "1", "1"]])
    outcome = import_archive(path, store=store, dry_run=True)
    assert outcome.ok and not outcome.written
    assert read_archive(store).equals(before)


def test_errors_name_the_sheet_row_and_column_as_the_file_does(store, network, tmp_path, english):
    rows = [
        ["2020-01", "南昌市", "10", "1"],
        ["2020-13", "南京市", "-5", "1.234"],
        ["2020-01", "南昌市", "10", "1"],
        ["2020-02", "九江市", "", "1"],
    ]
    outcome = import_archive(workbook(tmp_path / "bad.xlsx", rows), store=store)
    assert [str(e) for e in outcome.errors] == [
        "sheet 月度销量, row 3, column 月份: '2020-13' is not a month (use YYYY-MM, e.g. 2015-01)",
        "sheet 月度销量, row 3, column 地市: unknown city '南京市'",
        "sheet 月度销量, row 3, column 电脑票(元): '-5' is not an amount: yuan, 0 or more, "
        "with at most two decimals",
        "sheet 月度销量, row 3, column 即开票(元): '1.234' is not an amount: yuan, 0 or more, "
        "with at most two decimals",
        "sheet 月度销量, row 4, column 地市: 南昌市 2020-01 again: already in row 2",
        "sheet 月度销量, row 5, column 电脑票(元): '' is not an amount: yuan, 0 or more, "
        "with at most two decimals",
    ]
    assert read_archive(store).num_rows == 0  # all or nothing


def test_errors_are_in_the_users_language(store, network, tmp_path):
    path = workbook(tmp_path / "bad.xlsx", [["2020-01", "南京市", "10", "1"]])
    with translation.override("zh-hans"):
        (error,) = import_archive(path, store=store).errors
        assert str(error) == "工作表 月度销量，第 2 行，列 地市：未知地市 '南京市'"


def test_a_wrong_sheet_or_header_says_what_was_read(store, network, tmp_path, english):
    path = workbook(tmp_path / "other.xlsx", [], sheet="Sheet1")
    (error,) = import_archive(path, store=store).errors
    assert str(error) == "sheet 月度销量: the workbook has no sheet 月度销量 (its sheets: Sheet1)"
    path = workbook(tmp_path / "head.xlsx", [["2020-01", "九江市", "1"]], header=HEADER[:3])
    (error,) = import_archive(path, store=store).errors
    assert str(error) == "sheet 月度销量, row 1: missing column(s) 即开票(元) in the header row"


def test_a_city_agency_imports_its_own_city_only(store, network, tmp_path, ganzhou_user, english):
    rows = [["2020-01", "赣州市", "10", "1"], ["2020-01", "九江市", "10", "1"]]
    outcome = import_archive(workbook(tmp_path / "two.xlsx", rows), user=ganzhou_user, store=store)
    assert [str(e) for e in outcome.errors] == [
        "sheet 月度销量, row 3, column 地市: unknown city '九江市'"
    ]
    outcome = import_archive(workbook(tmp_path / "own.xlsx", rows[:1]), user=ganzhou_user)
    assert outcome.ok and outcome.written


def test_a_market_manager_may_not_import_the_archive(
    store, network, tmp_path, market_manager_user, english
):
    path = workbook(tmp_path / "a.xlsx", [["2020-01", "赣州市", "10", "1"]])
    with pytest.raises(CommandError, match="Only the provincial centre and city agencies"):
        call_command("sales", "import-archive", str(path), "--user", market_manager_user.username)


def test_the_command_reports_in_the_users_language_and_refuses_atomically(store, network, tmp_path):
    good = workbook(tmp_path / "good.xlsx", ARCHIVE)
    out = io.StringIO()
    with translation.override("zh-hans"):
        call_command("sales", "import-archive", str(good), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "48 行，96 个单元（地市 × 类别 × 月份），2019-01 … 2020-12，14160.00 元；"
        "其中 0 个已在历史数据中，按本文件重新设定",
        "试运行：未发现错误；未导入任何数据。",
    ]
    assert read_archive(store).num_rows == 0
    out = io.StringIO()
    call_command("sales", "import-archive", str(good), stdout=out)
    assert read_archive(store).num_rows == 96
    bad = workbook(tmp_path / "bad.xlsx", [["2020-01", "九江市", "x", "1"]])
    err = io.StringIO()
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("sales", "import-archive", str(bad), stderr=err)
    assert str(refused.value) == "1 个错误；未导入任何数据。"
    assert "工作表 月度销量，第 2 行，列 电脑票(元)" in err.getvalue()
    assert read_archive(store).num_rows == 96
