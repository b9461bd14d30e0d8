"""Sales targets (销售任务): 序时进度 on a year's end and on 29 February, completion through the
analytics, the Excel template and its import (a bad cell names file, row and column and changes
nothing; a re-import makes a new version, the previous one kept), and the command."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from fucai.analytics.backends import AnalyticsContext
from fucai.sales.ingest.importer import import_files
from fucai.sales.models import SalesTarget, SalesTargetSet, TargetLevel
from fucai.sales.targets import (
    ParsedTarget,
    TargetImportError,
    completion,
    import_targets,
    monthly_share,
    save_targets,
    target_to_date,
    template_workbook,
    time_share,
)

HISTORY = [
    ["36040001", "2022-03-15", "ssq", "3000.00", "1500"],
    ["36040001", "2023-02-01", "ssq", "2500.00", "1250"],
    ["36040001", "2023-09-03", "instant", "1000.00", "100"],
    ["36040001", "2023-09-04", "ssq", "7777.00", "3000"],
    ["36110214", "2023-01-20", "instant", "300.00", "30"],
    ["36110214", "2023-06-01", "kl8", "1700.00", "850"],
    ["36110001", "2023-03-01", "instant", "1000.00", "100"],
    ["36040001", "2024-02-29", "ssq", "278.00", "139"],
]
MONTHS_2024 = [100_000, 290_000, *([100_000] * 10)]  # fen: 1000 yuan, 2900 yuan, …


@pytest.fixture
def context(network, store, write_csv) -> AnalyticsContext:
    assert import_files(
        [write_csv("history.csv", HISTORY)], store=store, today=dt.date(2024, 12, 31)
    ).ok
    return AnalyticsContext(backend="duckdb", store=store)


@pytest.fixture
def targets(network):
    save_targets(
        2023,
        [
            ParsedTarget(TargetLevel.CITY, "360700", 600_000, [50_000] * 12),
            ParsedTarget(TargetLevel.CITY, "360400", 2_000_000, []),
            ParsedTarget(TargetLevel.MANAGER, "GZ001", 400_000, []),
            ParsedTarget(TargetLevel.STATION, "36110214", 200_000, []),
        ],
    )
    save_targets(2024, [ParsedTarget(TargetLevel.CITY, "360400", sum(MONTHS_2024), MONTHS_2024)])


def test_the_time_elapsed_share_is_the_whole_year_on_31_december_and_60_of_366_on_29_february():
    assert time_share(dt.date(2023, 12, 31)) == 1
    assert time_share(dt.date(2024, 12, 31)) == 1
    assert time_share(dt.date(2024, 2, 29)) == Fraction(60, 366)
    assert time_share(dt.date(2023, 3, 1)) == Fraction(60, 365)


def test_the_monthly_share_counts_the_months_before_and_the_as_of_month_pro_rata():
    # 29 February 2024: January's 1000 and all of February's 2900 of 13900 yuan
    assert monthly_share(MONTHS_2024, dt.date(2024, 2, 29)) == Fraction(3900, 13900)
    # 28 February: 28 of February's 29 days → 1000 + 2800
    assert monthly_share(MONTHS_2024, dt.date(2024, 2, 28)) == Fraction(3800, 13900)
    assert monthly_share([], dt.date(2024, 2, 28)) is None


def test_the_target_to_date_takes_the_monthly_targets_to_the_day_or_the_annual_by_elapsed_days():
    monthly = SalesTarget(annual_fen=sum(MONTHS_2024), monthly_fen=MONTHS_2024)
    year = dt.date(2024, 1, 1)
    # 28 February 2024: January's 100000 fen + February's 290000 × 28/29 days
    assert target_to_date(monthly, year, dt.date(2024, 2, 28)) == 100_000 + 280_000
    assert target_to_date(monthly, year, dt.date(2024, 12, 31)) == 1_390_000  # the annual
    # the second quarter as of 10 May: April's 100000 + May's 100000 × 10/31
    assert target_to_date(monthly, dt.date(2024, 4, 1), dt.date(2024, 5, 10)) == Fraction(
        100_000
    ) + Fraction(100_000 * 10, 31)
    assert target_to_date(monthly, dt.date(2024, 4, 1), dt.date(2024, 6, 30)) == 300_000
    annual = SalesTarget(annual_fen=2_000_000, monthly_fen=[])
    # no monthly targets: the annual × 序时进度, 3 September 2023 = 246/365
    assert target_to_date(annual, dt.date(2023, 1, 1), dt.date(2023, 9, 3)) == Fraction(
        2_000_000 * 246, 365
    )
    # the third quarter to 3 September: 1 July … 3 September = 65 of the year's 365 days
    assert target_to_date(annual, dt.date(2023, 7, 1), dt.date(2023, 9, 3)) == Fraction(
        2_000_000 * 65, 365
    )
    assert target_to_date(SalesTarget(annual_fen=0, monthly_fen=[]), year, year) is None


def test_completion_on_the_years_last_day_is_sales_to_date_over_the_annual_target(context, targets):
    day = dt.date(2023, 12, 31)
    cities = {c.code: c for c in completion(day, "city", context=context)}
    # 赣州: 300 + 1700 + 1000 of 6000 yuan; 九江: 2500 + 1000 + 7777 of 20000
    assert (cities["360700"].sales_fen, cities["360700"].rate) == (300_000, Decimal("0.5000"))
    assert (cities["360400"].sales_fen, cities["360400"].rate) == (1_127_700, Decimal("0.5639"))
    assert cities["360700"].time_share == Decimal("1.0000")
    assert cities["360700"].monthly_share == Decimal("1.0000")
    assert cities["360400"].monthly_share is None  # no monthly targets
    [manager] = completion(day, "manager", context=context)
    assert (manager.code, manager.sales_fen, manager.rate) == ("GZ001", 200_000, Decimal("0.5000"))
    [station] = completion(day, "station", context=context)
    assert (station.code, station.rate, station.gap) == ("36110214", Decimal("1.0000"), 0)


def test_completion_on_29_february_sets_both_shares_beside_the_rate(context, targets):
    [jiujiang] = completion(dt.date(2024, 2, 29), "city", context=context)
    assert jiujiang.rate == Decimal("0.0200")  # 278 of 13900 yuan
    assert jiujiang.time_share == Decimal("0.1639")  # 60 / 366
    assert jiujiang.monthly_share == Decimal("0.2806")  # 3900 / 13900


def test_a_city_sees_its_own_targets_and_the_manager_their_own(
    context, targets, ganzhou_user, market_manager_user
):
    day = dt.date(2023, 12, 31)
    assert [c.code for c in completion(day, "city", user=ganzhou_user, context=context)] == [
        "360700"
    ]
    mine = completion(day, "manager", user=market_manager_user, context=context)
    assert [c.code for c in mine] == ["GZ001"]
    assert completion(day, "city", user=market_manager_user, context=context) == []


def filled_template(path, year: int, amounts: dict[str, object]) -> None:
    """The template of `year` with the annual target of each code in `amounts`."""
    wb = template_workbook(year)
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        code = row[2].value
        if code in amounts:
            row[4].value = amounts[code]
        else:
            for cell in row:
                cell.value = None
    wb.save(path)


def test_the_template_lists_cities_managers_and_stations_and_imports_as_version_1(
    network, tmp_path
):
    path = tmp_path / "targets.xlsx"
    filled_template(path, 2023, {"360700": 6000, "GZ001": "4000.50", "36110214": 2000})
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("年度", "层级", "代码", "名称", "年度任务（元）")
    target_set = import_targets(path)
    assert (target_set.year, target_set.version, target_set.source) == (2023, 1, "targets.xlsx")
    got = {t.code: (t.level, t.annual_fen, t.city.code) for t in target_set.targets.all()}
    assert got == {
        "360700": ("city", 600_000, "360700"),
        "GZ001": ("manager", 400_050, "360700"),
        "36110214": ("station", 200_000, "360700"),
    }


def test_a_bad_cell_names_file_row_and_column_and_imports_nothing(network, tmp_path):
    path = tmp_path / "targets.xlsx"
    filled_template(path, 2023, {"360700": 6000, "360400": "很多"})
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    line = next(i for i, r in enumerate(rows, start=1) if r[2] == "360400")
    with pytest.raises(TargetImportError) as caught:
        import_targets(path)
    assert caught.value.errors == [
        f"targets.xlsx，第 {line} 行，年度任务（元） 列："
        "'很多' 不是以元计的金额（不小于 0，最多两位小数）"
    ]
    assert SalesTargetSet.objects.count() == 0 and SalesTarget.objects.count() == 0


def test_months_that_do_not_add_up_to_the_year_are_refused(network, tmp_path):
    path = tmp_path / "months.xlsx"
    filled_template(path, 2023, {"360700": 1200})
    wb = load_workbook(path)
    ws = wb.active
    line = next(r[0].row for r in ws.iter_rows(min_row=2) if r[2].value == "360700")
    for cell in ws[line][5:17]:
        cell.value = 99
    wb.save(path)
    with pytest.raises(TargetImportError) as caught:
        import_targets(path)
    assert caught.value.errors == [
        f"months.xlsx，第 {line} 行，年度任务（元） 列：各月合计 1188 元，不等于 1200 元"
    ]


def test_a_re_import_of_the_same_year_makes_a_new_version_and_keeps_the_previous(network, tmp_path):
    path = tmp_path / "targets.xlsx"
    filled_template(path, 2023, {"360700": 6000})
    first = import_targets(path)
    filled_template(path, 2023, {"360700": 6500, "360400": 9000})
    second = import_targets(path)
    assert (first.version, second.version) == (1, 2)
    assert SalesTargetSet.objects.current(2023) == second
    assert first.targets.get().annual_fen == 600_000  # kept
    assert second.targets.count() == 2


def test_the_command_gives_completion_as_json_and_imports_with_errors_in_chinese(
    context, targets, tmp_path
):
    out = io.StringIO()
    call_command(
        "sales", "targets", "completion", "--as-of", "2023-12-31", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert (data["time_share"], data["version"]) == ("1.0000", 1)
    assert [(r["code"], r["completion_rate"], r["target_yuan"]) for r in data["rows"]] == [
        ("360400", "0.5639", "20000.00"),
        ("360700", "0.5000", "6000.00"),
    ]
    bad = tmp_path / "bad.xlsx"
    filled_template(bad, 2023, {"GZ001": -5})
    with pytest.raises(Exception, match=r"bad.xlsx，第 \d+ 行，年度任务（元） 列") as caught:
        call_command("sales", "targets", "import", str(bad))
    assert str(caught.value).endswith("未导入任何数据。")


def card_text(html: str) -> str:
    import re

    start = html.index('data-figure="target"')
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : start + 900]).split())


def test_the_cockpit_and_the_station_page_show_completion_beside_the_time_share(
    context, targets, client, ganzhou_user, jiujiang_user
):
    client.force_login(ganzhou_user)
    text = card_text(client.get("/sales/?as_of=2023-12-31").content.decode())
    assert text.startswith('data-figure="target"> 任务完成率与序时进度 50.00% 序时进度 100.00%')
    assert "按月度任务：100.00%" in text and "（版本 1）" in text
    page = client.get("/network/stations/36110214/?as_of=2023-12-31").content.decode()
    assert card_text(page).startswith('data-figure="target"> 任务完成率与序时进度 100.00%')
    client.force_login(jiujiang_user)
    assert "56.39%" in card_text(client.get("/sales/?as_of=2023-12-31").content.decode())
    # 九江's cockpit in 2022: no targets, no card
    assert 'data-figure="target"' not in client.get("/sales/?as_of=2022-12-31").content.decode()


def test_the_targets_page_lists_what_a_city_sees_and_the_centre_enters_a_target(
    context, targets, client, ganzhou_user, province_admin
):
    client.force_login(ganzhou_user)
    page = client.get("/sales/targets/?as_of=2023-12-31&level=station").content.decode()
    assert 'data-code="36110214"' in page and "100.00%" in page
    assert 'id="targets-set"' not in page  # a city does not set targets
    assert client.post("/sales/targets/entry/", {"year": "2023"}).status_code == 403
    client.force_login(province_admin)
    bad = client.post(
        "/sales/targets/entry/", {"year": "2023", "level": "city", "code": "360400", "annual": "x"}
    )
    assert bad.status_code == 400
    assert (
        "表单，第 2 行，年度任务（元） 列：&#x27;x&#x27; 不是以元计的金额" in bad.content.decode()
    )
    done = client.post(
        "/sales/targets/entry/",
        {"year": "2023", "level": "city", "code": "360400", "annual": "25000"},
    )
    assert done.status_code == 302
    current = SalesTargetSet.objects.current(2023)
    assert current.version == 2 and current.targets.count() == 4  # the others carried over
    assert current.targets.get(code="360400").annual_fen == 2_500_000
    assert SalesTargetSet.objects.get(year=2023, version=1).targets.get(
        code="360400"
    ).annual_fen == (2_000_000)
    template = client.get("/sales/targets/template.xlsx?year=2023")
    assert template.status_code == 200
    wb = load_workbook(io.BytesIO(template.content))
    rows = {r[2]: r[4] for r in wb.active.iter_rows(min_row=2, values_only=True)}
    assert rows["360400"] == 25000 and rows["360700"] == 6000
