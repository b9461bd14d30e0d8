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
    total_completion,
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
    save_targets(
        2024,
        [
            ParsedTarget(TargetLevel.CITY, "360400", sum(MONTHS_2024), MONTHS_2024),
            ParsedTarget(TargetLevel.CITY, "360700", 3_660_000, []),  # no months: by calendar
        ],
    )


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
    # 序时进度 on 31 December is 100 % whatever it is measured by; the target to date the annual
    assert (cities["360700"].time_share, cities["360700"].basis) == (Decimal("1.0000"), "monthly")
    assert (cities["360400"].time_share, cities["360400"].basis) == (Decimal("1.0000"), "calendar")
    assert cities["360700"].monthly_share == Decimal("1.0000")
    assert cities["360400"].monthly_share is None  # no monthly targets
    assert all(c.to_date == c.target_fen and c.rate_to_date == c.rate for c in cities.values())
    [manager] = completion(day, "manager", context=context)
    assert (manager.code, manager.sales_fen, manager.rate) == ("GZ001", 200_000, Decimal("0.5000"))
    [station] = completion(day, "station", context=context)
    assert (station.code, station.rate, station.gap) == ("36110214", Decimal("1.0000"), 0)


def test_on_3_september_a_city_with_monthly_targets_is_measured_by_them_one_without_by_days(
    context, targets
):
    cities = {c.code: c for c in completion(dt.date(2023, 9, 3), "city", context=context)}
    ganzhou, jiujiang = cities["360700"], cities["360400"]
    # 赣州: 500 yuan a month; January–August 4000 + September's 500 × 3/30 = 4050 of 6000 yuan
    assert (ganzhou.basis, ganzhou.to_date) == ("monthly", 405_000)
    assert (ganzhou.rate, ganzhou.time_share) == (Decimal("0.5000"), Decimal("0.6750"))
    assert ganzhou.rate_to_date == Decimal("0.7407")  # 3000 / 4050
    assert ganzhou.gap == Decimal("-0.1750")
    # 九江: no months, 20000 yuan × 246/365 days; sales 2500 + 1000 yuan
    assert (jiujiang.basis, jiujiang.to_date) == ("calendar", Fraction(2_000_000 * 246, 365))
    assert (jiujiang.rate, jiujiang.time_share) == (Decimal("0.1750"), Decimal("0.6740"))
    assert jiujiang.rate_to_date == Decimal("0.2597")  # 3500 / (20000 × 246/365)


def test_the_province_adds_up_its_cities_targets_to_date_each_by_its_own_rule(context, targets):
    rows = completion(dt.date(2023, 9, 3), "city", context=context)
    total = total_completion(rows)
    # 4050 yuan (赣州, by its months) + 20000 × 246/365 (九江, by days) of 26000 yuan
    assert total.to_date == 405_000 + Fraction(2_000_000 * 246, 365)
    assert (total.target_fen, total.sales_fen, total.basis) == (2_600_000, 650_000, "mixed")
    assert (total.rate, total.time_share) == (Decimal("0.2500"), Decimal("0.6742"))
    # a province whose cities all have months is by monthly targets: 2024's 九江 alone
    [jiujiang] = [r for r in completion(dt.date(2024, 2, 29), "city", context=context)
                  if r.code == "360400"]  # fmt: skip
    assert total_completion([jiujiang, jiujiang]).basis == "monthly"


def test_completion_on_29_february_is_by_the_months_or_by_60_of_366_days(context, targets):
    cities = {c.code: c for c in completion(dt.date(2024, 2, 29), "city", context=context)}
    jiujiang, ganzhou = cities["360400"], cities["360700"]
    assert jiujiang.rate == Decimal("0.0200")  # 278 of 13900 yuan
    # by its months: January's 1000 + all of February's 2900 yuan (29 of 29 days)
    assert (jiujiang.basis, jiujiang.time_share) == ("monthly", Decimal("0.2806"))  # 3900/13900
    assert jiujiang.to_date == 390_000
    # 赣州 has no months in 2024: 36600 yuan × 60/366 = 6000 yuan
    assert (ganzhou.basis, ganzhou.time_share, ganzhou.to_date) == (
        "calendar",
        Decimal("0.1639"),
        600_000,
    )
    assert (ganzhou.rate, ganzhou.rate_to_date) == (Decimal("0.0000"), Decimal("0.0000"))


def test_a_day_before_any_target_has_no_completion_not_zero_percent(context, targets):
    assert completion(dt.date(2019, 6, 30), "city", context=context) == []
    assert total_completion([]) is None
    out = io.StringIO()
    with pytest.raises(Exception, match="2019 年没有销售任务"):
        call_command(
            "sales", "targets", "completion", "--as-of", "2019-06-30", "--format", "json",
            stdout=out,
        )  # fmt: skip


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


def card_value(html: str, name: str) -> str:
    import re

    card = html[html.index('data-figure="target"') :]
    return re.search(rf'data-value="{name}">([^<]*)<', card).group(1)


def test_the_cockpit_and_the_station_page_show_completion_beside_the_time_share(
    context, targets, client, ganzhou_user, jiujiang_user, province_admin
):
    client.force_login(ganzhou_user)
    page = client.get("/sales/?as_of=2023-12-31").content.decode()
    assert card_text(page).startswith(
        'data-figure="target" data-basis="monthly"> 任务完成率与序时进度 50.00%'
    )
    assert (card_value(page, "rate"), card_value(page, "time_share")) == ("50.00%", "100.00%")
    assert "（版本 1）" in card_text(page)
    page = client.get("/network/stations/36110214/?as_of=2023-12-31").content.decode()
    assert 'data-basis="calendar"' in card_text(page)
    assert (card_value(page, "rate"), card_value(page, "time_share")) == ("100.00%", "100.00%")
    client.force_login(jiujiang_user)
    assert card_value(client.get("/sales/?as_of=2023-12-31").content.decode(), "rate") == "56.39%"
    # 九江's cockpit in 2022: no targets — the card says so, it shows no 0 %
    page = client.get("/sales/?as_of=2022-12-31").content.decode()
    assert 'data-missing="1"' in page and "2022 年没有销售任务。" in card_text(page)
    assert 'data-value="rate"' not in page
    # the province: its cities added up, each by its own rule (赣州 by months, 九江 by days)
    client.force_login(province_admin)
    page = client.get("/sales/?as_of=2023-09-03").content.decode()
    assert 'data-basis="mixed"' in card_text(page)
    assert (card_value(page, "rate"), card_value(page, "time_share")) == ("25.00%", "67.42%")


def test_one_day_gives_the_same_numbers_on_the_cockpit_station_page_command_api_and_evaluation(
    context, targets, client, ganzhou_user
):
    from fucai.evaluation.indicators import build_inputs
    from fucai.evaluation.tests.test_indicators import scheme_of

    day = dt.date(2023, 9, 3)
    out = io.StringIO()
    call_command(
        "sales", "targets", "completion", "--as-of", day.isoformat(), "--format", "json",
        stdout=out,
    )  # fmt: skip
    cli = {r["code"]: r for r in json.loads(out.getvalue())["rows"]}
    gz = cli["360700"]
    assert (gz["completion_rate"], gz["time_share"], gz["time_share_basis"]) == (
        "0.5000",
        "0.6750",
        "monthly",
    )
    assert (gz["target_to_date_yuan"], gz["completion_to_date"]) == ("4050.00", "0.7407")
    assert cli["360400"]["time_share_basis"] == "calendar"
    assert cli["360400"]["target_to_date_yuan"] == "13479.45"  # 20000 × 246/365
    # the evaluation's target completion of the year to 3 September: the same 3000 / 4050
    scheme = scheme_of("city_agencies", ["target_completion"])
    table = build_inputs(scheme, "2023", as_of=day, context=context)
    evaluated = table.values["target_completion"]
    assert round(evaluated["360700"], 4) == float(gz["completion_to_date"])
    assert round(evaluated["360400"], 4) == float(cli["360400"]["completion_to_date"])
    # the API gives the command's JSON, in the caller's scope
    client.force_login(ganzhou_user)
    api = client.get(f"/api/sales/targets/completion?as_of={day}").json()
    assert [r["code"] for r in api["rows"]] == ["360700"] and api["rows"][0] == gz
    assert (api["time_share"], api["time_share_basis"]) == ("0.6750", "monthly")
    # the cockpit: 50.00 % against 67.50 % by the monthly targets, 74.07 % of the target to date
    page = client.get(f"/sales/?as_of={day}").content.decode()
    assert (card_value(page, "rate"), card_value(page, "time_share")) == ("50.00%", "67.50%")
    assert "74.07%" in card_text(page)
    # the station page and the command's station row: 36110214, 2000 of 2000 yuan, by days
    out = io.StringIO()
    call_command(
        "sales", "targets", "completion", "--as-of", day.isoformat(), "--level", "station",
        "--format", "json", stdout=out,
    )  # fmt: skip
    [station] = json.loads(out.getvalue())["rows"]
    assert (station["completion_rate"], station["time_share"]) == ("1.0000", "0.6740")
    assert station["completion_to_date"] == "1.4837"  # 2000 / (2000 × 246/365)
    page = client.get(f"/network/stations/36110214/?as_of={day}").content.decode()
    assert (card_value(page, "rate"), card_value(page, "time_share")) == ("100.00%", "67.40%")
    assert "148.37%" in card_text(page)
    # the targets page: the same row
    page = client.get(f"/sales/targets/?as_of={day}").content.decode()
    row = page[page.index('data-code="360700"') :][:900]
    assert 'data-basis="monthly"' in row and "67.50%" in row and "74.07%" in row


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


def test_the_targets_table_shares_one_unit_and_its_excel_ends_with_the_total(
    context, targets, client, province_admin
):
    import re

    client.force_login(province_admin)
    page = client.get("/sales/targets/?as_of=2023-09-03&level=city").content.decode()
    rows = re.findall(r'<tr id="target-\d+" data-code="(\d+)".*?</tr>', page, flags=re.S)
    assert len(rows) >= 2 and 'id="targets-total"' in page
    body = page[page.index('id="targets-table"') :]
    units = set(re.findall(r"[\d.,]+ (亿元|万元|元)</td>", body))
    assert len(units) == 1, units
    xlsx = client.get("/sales/targets/?as_of=2023-09-03&level=city&format=xlsx")
    sheet = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert sheet[-1][0] == "合计"
    assert sheet[-1][2] == sum(r[2] for r in sheet[1:-1])


def test_the_targets_page_says_when_it_moved_the_day_into_the_sales_data(
    context, targets, client, province_admin, monkeypatch
):
    import datetime as dt

    from fucai.sales.cockpit import SalesSpan

    span = SalesSpan(dt.date(2021, 1, 1), dt.date(2023, 12, 31))
    monkeypatch.setattr("fucai.sales.cockpit.sales_span", lambda context: span)
    client.force_login(province_admin)
    page = client.get("/sales/targets/?as_of=2024-03-15&level=city").content.decode()
    assert 'id="as-of-notice"' in page and "2023-12-31" in page
