"""The indicators computed from fucai's data (fucai.evaluation.indicators) on a tiny network:
five stations in 赣州 and 九江, one market manager, a few sales, visits, onboarding tasks and
Party meetings, every value worked out by hand; and the manual-input sheet (template, import,
errors naming file, row and column, versions)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from fucai.evaluation.indicators import PAGES, build_inputs, completed_matrix, period_bounds
from fucai.evaluation.manual import ManualImportError, import_manual, template_workbook
from fucai.evaluation.models import ManualInputSet
from fucai.evaluation.scheme import validate_scheme
from fucai.network.choices import StationStatus
from fucai.sales.ingest.importer import import_files
from fucai.sales.models import TargetLevel
from fucai.sales.targets import ParsedTarget, save_targets
from fucai.sales.tests import conftest as sales_fixtures

store, write_csv = sales_fixtures.store, sales_fixtures.write_csv  # the sales tests' fixtures
COMPUTED = [
    "target_completion",
    "ytd_yoy_growth",
    "instant_growth",
    "net_new_stations",
    "core_urban_new_outlets",
    "closures",
    "visits_per_station_month",
    "onboarding_overdue",
    "party_compliance",
]
HISTORY = [
    ["36110214", "2022-06-01", "3d", "1500.00", "750"],
    ["36110214", "2022-07-01", "instant", "650.00", "65"],
    ["36040001", "2022-03-15", "ssq", "3000.00", "1500"],
    ["36110214", "2023-01-20", "instant", "300.00", "30"],
    ["36110214", "2023-06-01", "kl8", "1700.00", "850"],
    ["36110001", "2023-03-01", "instant", "1000.00", "100"],
    ["36040001", "2023-02-01", "ssq", "2500.00", "1250"],
    ["36040001", "2023-09-03", "instant", "1000.00", "100"],
    ["36040001", "2023-09-04", "ssq", "7777.00", "3000"],
]


def scheme_of(population: str, names: list[str]):
    return validate_scheme(
        {
            "name": "tiny",
            "title": "tiny",
            "version": 1,
            "population": population,
            "period": "year",
            "indicators": [
                {
                    "name": n,
                    "label": n,
                    "source": "manual" if n == "training_hours" else n,
                    "direction": "cost" if n in ("closures", "onboarding_overdue") else "benefit",
                    "normalisation": {"method": "goalpost", "lower": 0, "upper": 10},
                    "cap": {"min": 0, "max": 100} if n == "training_hours" else None,
                }
                for n in names
            ],
            "weights": {"method": "direct", "values": {n: 1 / len(names) for n in names}},
            "aggregation": {"method": "weighted_sum", "scale": 100, "ties": "min"},
            "grades": {"by": "thresholds", "bands": [{"name": "A", "min_score": None}]},
            "elimination": None,
            "partial_period": {"counts": "scale_goalposts", "indicators": []},
            "pay": None,
            "robustness": None,
        }
    )


@pytest.fixture
def tiny(network, store, write_csv, ganzhou):
    """The network fixture plus: 36110001 (赣州, 商业综合体, opened 1 March 2023) assigned to
    GZ001 from that day; 36040001 (九江) closed on 1 October 2023; 2023 targets; three visits;
    three onboarding tasks; 赣州's Party branch with 4 member assemblies and 6 committee
    meetings in 2023."""
    from fucai.network.models import FieldVisit, OnboardingTask, StationAssignment
    from fucai.party.models import Branch, Meeting

    stations, manager = network["stations"], network["manager"]
    StationAssignment.objects.create(
        station=stations["zhanggong"],
        territory=network["territory"],
        manager=manager,
        valid_from=dt.date(2023, 3, 1),
    )
    stations["xunyang"].transition(StationStatus.CLOSED, dt.date(2023, 10, 1))
    assert import_files(
        [write_csv("history.csv", HISTORY)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    save_targets(
        2023,
        [
            ParsedTarget(TargetLevel.CITY, "360700", 600_000, []),
            ParsedTarget(TargetLevel.MANAGER, "GZ001", 400_000, []),
        ],
    )
    for station, day in (("xingguo", (1, 10)), ("zhanggong", (3, 5)), ("xingguo", (7, 1))):
        FieldVisit.objects.create(
            station=stations[station],
            manager=manager,
            visited_on=dt.date(2023, *day),
            purpose="routine",
        )
    OnboardingTask.objects.all().delete()
    plan_gz = stations["zhanggong"].onboarding_plan
    plan_jj = stations["lushan"].onboarding_plan

    def task(plan, number, due, state="todo", done=None, who=manager):
        OnboardingTask.objects.create(
            plan=plan,
            number=number,
            phase="survey",
            title=f"task {number}",
            anchor="opened",
            offset_days=0,
            due_on=due,
            state=state,
            completed_on=done,
            manager=who,
        )

    task(plan_gz, 1, dt.date(2023, 6, 1))  # overdue on 31 December
    task(plan_gz, 2, dt.date(2023, 6, 1), "done", dt.date(2023, 7, 1))  # done in time
    task(plan_gz, 3, dt.date(2024, 1, 5))  # not due yet
    task(plan_jj, 1, dt.date(2023, 11, 1), who=None)  # 九江's, overdue
    branch = Branch.objects.create(code="DZ360700", name="赣州支部", city=ganzhou)
    for month in (2, 5, 8, 11):
        Meeting.objects.create(
            branch=branch, meeting_type="member_assembly", held_on=dt.date(2023, month, 10)
        )
    for month in range(1, 7):
        Meeting.objects.create(
            branch=branch, meeting_type="committee", held_on=dt.date(2023, month, 15)
        )
    return network


def test_a_city_agencys_indicators_are_worked_out_by_hand(tiny):
    table = build_inputs(scheme_of("city_agencies", COMPUTED), "2023")
    assert len(table.ids) == 11 and table.labels["360700"] == "赣州市"
    gz = {name: table.values[name]["360700"] for name in COMPUTED}
    assert gz["target_completion"] == pytest.approx(3000 / 6000)
    assert gz["ytd_yoy_growth"] == pytest.approx((3000 - 2150) / 2150)
    assert gz["instant_growth"] == pytest.approx((1300 - 650) / 650)
    # open on 31 December: 36110214, 36110001, 36110002; on 1 January: 36110214
    assert gz["net_new_stations"] == 2
    assert gz["core_urban_new_outlets"] == 1  # 36110001, a 商业综合体
    assert gz["closures"] == 0
    # 3 visits over 22 station-months in care (January–February 1, March–December 2)
    assert gz["visits_per_station_month"] == pytest.approx(3 / 22)
    assert gz["onboarding_overdue"] == 1
    # periods ended in 2023: 4 + 12 + 12 + 4 + 12 = 44; met: 4 assemblies, 6 committees
    assert gz["party_compliance"] == pytest.approx(10 / 44)
    jj = {name: table.values[name]["360400"] for name in COMPUTED}
    assert jj["target_completion"] is None  # no target
    assert jj["ytd_yoy_growth"] == pytest.approx((11277 - 3000) / 3000)
    assert jj["instant_growth"] is None  # no instant tickets in 2022
    assert (jj["net_new_stations"], jj["closures"], jj["core_urban_new_outlets"]) == (0, 1, 1)
    assert jj["visits_per_station_month"] is None  # no market manager
    assert jj["onboarding_overdue"] == 1
    assert jj["party_compliance"] is None  # no branch
    assert table.sources["target_completion"]["360700"] == "/sales/?city=360700&as_of=2023-12-31"
    assert (
        table.sources["party_compliance"]["360700"]
        == "/party/compliance/?branch=DZ360700&year=2023"
    )
    assert table.data_version.startswith("sales v")


def test_a_market_managers_indicators_follow_their_stations_and_days(tiny):
    names = [n for n in COMPUTED if n != "party_compliance"]
    table = build_inputs(scheme_of("market_managers", names), "2023")
    assert table.ids == ("GZ001",) and table.cities == {"GZ001": "360700"}
    got = {name: table.values[name]["GZ001"] for name in names}
    assert got == pytest.approx(
        {
            "target_completion": 3000 / 4000,
            "ytd_yoy_growth": (3000 - 2150) / 2150,
            "instant_growth": (1300 - 650) / 650,
            "net_new_stations": 1,  # 36110001 joined 36110214
            "core_urban_new_outlets": 1,
            "closures": 0,
            "visits_per_station_month": 3 / 22,
            "onboarding_overdue": 1,
        }
    )


def test_a_quarter_counts_its_own_sales_and_the_network_changes_inside_it(tiny):
    table = build_inputs(scheme_of("city_agencies", ["net_new_stations", "closures"]), "2023-Q4")
    assert (table.start, table.end) == (dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    assert table.values["closures"]["360400"] == 1
    assert table.values["net_new_stations"]["360400"] == -1
    assert table.values["net_new_stations"]["360700"] == 0
    assert period_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


def test_a_missing_value_counts_as_the_worst_goalpost_whatever_the_others_have(tiny):
    scheme = scheme_of("city_agencies", ["target_completion", "onboarding_overdue"])
    table = build_inputs(scheme, "2023")
    matrix, filled = completed_matrix(table, scheme)
    assert ("360400", "target_completion") in filled and len(filled) == 10
    # goalposts 0 … 10: a benefit not computable counts as the lower goalpost, 0 (赣州 has 0.5)
    assert matrix[table.ids.index("360400"), 0] == 0.0


def test_without_goalposts_a_missing_value_is_the_worst_of_the_others_and_scaled_goalposts_hold():
    from fucai.evaluation.indicators import worst_value

    benefit = scheme_of("city_agencies", ["target_completion"]).indicators[0]
    cost = scheme_of("city_agencies", ["closures"]).indicators[0]
    # goalposts 0 … 10: the worse one, also beyond the goalposts scaled by an elapsed share ½
    assert worst_value(cost, [1, 2]) == 10 and worst_value(cost, [1, 2], 0.5) == 10
    plain = benefit.model_copy(update={"normalisation": None})  # e.g. TOPSIS' vector
    assert worst_value(plain, [0.7, 0.9, 0.8]) == 0.7  # no goalposts: the others' worst
    assert worst_value(cost.model_copy(update={"normalisation": None}), [3, 5]) == 5
    assert worst_value(plain, []) == 0.0


def test_the_pages_behind_the_values_are_the_sites_urls():
    from django.urls import reverse

    assert {name: reverse(name) for name in PAGES} == PAGES


def manual_scheme():
    return scheme_of("market_managers", ["closures", "training_hours"])


def test_the_manual_sheet_round_trips_and_each_import_is_a_new_version(tiny, tmp_path):
    scheme = manual_scheme()
    path = tmp_path / "manual.xlsx"
    wb = template_workbook(scheme, "2023")
    ws = wb.active
    assert ws.column_dimensions["A"].hidden and ws.protection.sheet
    assert [c.value for c in ws[2]] == ["id", "name", "city", "training_hours"]
    assert [c.value for c in ws[3]][:3] == ["GZ001", "测试管理员乙", "赣州市"]
    ws["D3"] = 24
    wb.save(path)
    first = import_manual(path, scheme, "2023")
    ws["D3"] = 30
    wb.save(path)
    second = import_manual(path, scheme, "2023")
    assert (first.version, second.version) == (1, 2)
    assert first.rows.get().values == {"training_hours": 24}
    table = build_inputs(scheme, "2023")
    assert table.values["training_hours"] == {"GZ001": 30}


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"A3": "NOBODY"}, "manual.xlsx，第 3 行，id 列：未知 id NOBODY"),
        ({"D3": "很多"}, "manual.xlsx，第 3 行，training_hours 列：'很多' 不是数字"),
        ({"D3": 120}, "manual.xlsx，第 3 行，training_hours 列：120 超出范围（0 … 100）"),
    ],
)
def test_a_bad_manual_cell_names_file_row_and_column_and_imports_nothing(
    tiny, tmp_path, cells, message
):
    scheme = manual_scheme()
    path = tmp_path / "manual.xlsx"
    wb = template_workbook(scheme, "2023")
    for ref, value in cells.items():
        wb.active[ref] = value
    wb.save(path)
    with pytest.raises(ManualImportError) as caught:
        import_manual(path, scheme, "2023")
    assert caught.value.errors == [message]
    assert ManualInputSet.objects.count() == 0


def test_evaluate_period_runs_a_shipped_scheme_on_fucais_data(tiny, tmp_path):
    out = io.StringIO()
    call_command(
        "evaluate", "period", "--scheme", "city-agencies-2023", "--period", "2023",
        "--allow-missing", "--format", "json", stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert (data["period"], data["as_of"]) == ("2023", "2023-12-31")
    assert data["scheme"] == "city-agencies-2023"
    assert data["data_version"].startswith("sales v")
    assert len(data["alternatives"]) == 11
    gz = next(a for a in data["alternatives"] if a["id"] == "360700")
    assert sum(gz["contributions"].values()) == pytest.approx(gz["score"])
    assert data["inputs"]["360700"]["target_completion"]["value"] == pytest.approx(0.5)
    assert {"id", "score", "rank", "grade", "eliminated", "pay_factor"} <= set(gz)


def test_evaluate_period_refuses_manual_inputs_not_entered_unless_allowed_and_records_them(tiny):
    from django.core.management.base import CommandError

    args = ("evaluate", "period", "--scheme", "city-agencies-2023", "--period", "2023")
    with pytest.raises(CommandError, match="违规事件数（11 个中 11 个）"):
        call_command(*args, "--format", "json", stdout=io.StringIO())
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, "--allow-missing", "--format", "json", stdout=out, stderr=err)
    missing = json.loads(out.getvalue())["missing_inputs"]
    assert missing["rule"] == "worst"
    manual = {n for n, entry in missing["indicators"].items() if entry["manual"]}
    assert manual == {"compliance_incidents", "welfare_activities"}
    assert len(missing["indicators"]["welfare_activities"]["ids"]) == 11
    assert "未录入按最差值计" in err.getvalue()


def test_evaluate_period_shows_a_city_its_own_result_only(tiny, ganzhou_user):
    out = io.StringIO()
    call_command(
        "evaluate", "period", "--scheme", "city-agencies-2023", "--period", "2023",
        "--allow-missing", "--user", ganzhou_user.username, "--format", "json", stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert [a["id"] for a in data["alternatives"]] == ["360700"]
    assert list(data["inputs"]) == ["360700"]
    assert data["alternatives"][0]["rank"] >= 1  # ranked among all 11


def test_a_period_that_is_not_one_is_refused_in_chinese(tiny):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="期间 '2023-13'：请用年"):
        call_command("evaluate", "period", "--scheme", "city-agencies-2023", "--period", "2023-13")


def test_the_province_downloads_the_manual_sheet_on_the_scheme_page_and_imports_it_filled(
    tiny, tmp_path, client, province_admin, ganzhou_user
):
    import io
    import json

    from django.urls import reverse
    from openpyxl import load_workbook

    from fucai.evaluation.schemes_store import save_scheme

    save_scheme(json.dumps(manual_scheme().model_dump(mode="json")), province_admin)
    url = reverse("evaluation:manual_inputs", args=["tiny"])
    client.force_login(ganzhou_user)
    assert client.get(url, {"period": "2023"}).status_code == 403  # the province's
    client.force_login(province_admin)
    page = client.get(reverse("evaluation:scheme_detail", args=["tiny"])).content.decode()
    assert 'id="manual-inputs"' in page and "training_hours" in page
    response = client.get(url, {"period": "2023"})
    assert response.status_code == 200
    assert "manual-tiny-2023.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    wb.active["D3"] = "很多"
    bad = io.BytesIO()
    wb.save(bad)
    bad.seek(0)
    bad.name = "filled.xlsx"
    refused = client.post(url, {"period": "2023", "file": bad})
    assert refused.status_code == 400
    assert "filled.xlsx，第 3 行，training_hours 列：&#x27;很多&#x27; 不是数字" in (
        refused.content.decode()
    )
    assert ManualInputSet.objects.count() == 0
    wb.active["D3"] = 24
    good = io.BytesIO()
    wb.save(good)
    good.seek(0)
    good.name = "filled.xlsx"
    assert client.post(url, {"period": "2023", "file": good}).status_code == 302
    assert build_inputs(manual_scheme(), "2023").values["training_hours"] == {"GZ001": 24}
    assert client.get(url, {"period": "2023-13"}).status_code == 400  # not a period


def _bottom_k_cities(tmp_path):
    """The city scheme with the bottom 2 of two periods running eliminated, as a file."""
    import yaml

    from fucai.evaluation.tests.conftest import scheme_dict

    data = scheme_dict("city_agencies_2023")
    data["name"] = "t-cities-bottom"
    data["elimination"] = {
        "rules": [{"rule": "bottom_k", "k": 2, "periods": 2}],
        "grade": "需改进",
        "pay": "none",
        "quotas": None,
    }
    path = tmp_path / "cities-bottom.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _period_json(*args) -> dict:
    out = io.StringIO()
    call_command("evaluate", "period", *args, "--allow-missing", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_evaluate_period_previous_eliminates_the_bottom_two_of_two_periods_running(
    tiny, tmp_path, province_admin
):
    from django.core.management.base import CommandError
    from django.utils import timezone

    from fucai.evaluation.models import EvaluationRun
    from fucai.evaluation.schemes_store import save_scheme

    path = _bottom_k_cities(tmp_path)
    args = ("--scheme", str(path), "--period", "2023", "--robustness", "200")
    fresh = _period_json(*args)
    # 九江 last (its closure), alone in the bottom 2 (the nine behind 赣州 tie second)
    zone = [a["id"] for a in fresh["alternatives"] if a["in_elimination_zone"]]
    assert zone == ["360400"] and not any(a["eliminated"] for a in fresh["alternatives"])
    assert fresh["previous"] is None and fresh["previous_streaks"] == {}
    draws = {r["id"]: r for r in fresh["robustness"]["alternatives"]}
    assert draws["360400"]["zone_probability"] == 1.0
    assert all(r["elimination_probability"] == 0 for r in draws.values())
    # 2022's published run had 九江 and 赣州 (first now) in its bottom 2
    row = save_scheme(path.read_text(encoding="utf-8"), valid_from=dt.date(2022, 1, 1))
    streaks = [{"id": "360400", "bottom_k_streak": 1}, {"id": "360700", "bottom_k_streak": 1}]
    last_year = EvaluationRun.objects.create(
        scheme=row, period="2022", as_of=dt.date(2022, 12, 31), status="done",
        result={"alternatives": streaks}, published=timezone.now(),
    )  # fmt: skip
    for ref in ("2022", f"run:{last_year.pk}"):
        again = _period_json(*args, "--previous", ref)
        assert again["previous"] == {"run": last_year.pk, "period": "2022"}
        assert again["previous_streaks"] == {"360400": 1, "360700": 1}
        out = {a["id"]: a for a in again["alternatives"] if a["eliminated"]}
        assert list(out) == ["360400"] and out["360400"]["bottom_k_streak"] == 2
        assert out["360400"]["grade"] == "需改进" and out["360400"]["pay_factor"] is None
        draws = {r["id"]: r for r in again["robustness"]["alternatives"]}
        # the draws apply the whole rule: in the zone now and in the period before
        assert draws["360400"]["elimination_probability"] == 1.0
        assert draws["360400"]["grade_probability"]["需改进"] == 1.0
        assert draws["360700"]["elimination_probability"] == 0.0  # a streak, safe now
    english = (*args, "--lang", "en")  # the refusals (their Chinese: the lead's catalogue)
    with pytest.raises(CommandError, match="the period before 2023 is 2022"):
        _period_json(*english, "--previous", "2021")
    with pytest.raises(CommandError, match="run:999999: no such run"):
        _period_json(*english, "--previous", "run:999999")
    last_year.published = None
    last_year.save()
    with pytest.raises(CommandError, match="no published run of t-cities-bottom for 2022"):
        _period_json(*english, "--previous", "2022")
    with pytest.raises(CommandError, match="not a published run"):
        _period_json(*english, "--previous", f"run:{last_year.pk}")
