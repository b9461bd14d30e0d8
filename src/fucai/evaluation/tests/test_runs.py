"""Schemes as versioned documents, frozen runs, publishing, objections, explanations, what-if and
who sees what (issue 13 points 2–5, 8). Small fixtures: three managers (two of 赣州, one of 九江)
on a three-indicator scheme whose scores are worked out by hand:

- GZ001 a=0.9 b=8 c=1 → 100 × (0.5·0.9 + 0.3·0.8 + 0.2·0.8) = 85 (一级), pay factor
  1.2 × (1 + 0.01 × 15) = 1.38 → 1380.00;
- GZ002 a=0.7 b=6 c=2 → 100 × (0.35 + 0.18 + 0.12) = 65 (二级), 0.95 → 950.00;
- JJ001 a=0.4 b=2 c=0 → 100 × (0.2 + 0.06 + 0.2) = 46 (三级, eliminated below 50), 0.8 × 0.76
  = 0.608 → 608.00."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from fucai.conftest import make_user
from fucai.evaluation.inputs import InputTable

SCHEME = """
name: t-managers
title: 测试管理员考核
version: 1
population: market_managers
period: year
indicators:
  - {name: a, label: 完成率, source: target_completion, direction: benefit,
     normalisation: {method: goalpost, lower: 0, upper: 1}, cap: null}
  - {name: b, label: 走访, source: visits_per_station_month, direction: benefit,
     normalisation: {method: goalpost, lower: 0, upper: 10}, cap: null}
  - {name: c, label: 违规, source: manual, direction: cost,
     normalisation: {method: goalpost, lower: 0, upper: 5}, cap: null}
weights: {method: direct, values: {a: 0.5, b: 0.3, c: 0.2}}
aggregation: {method: weighted_sum, scale: 100, ties: min}
grades: {by: thresholds, bands: [{name: 一级, min_score: 80}, {name: 二级, min_score: 60},
         {name: 三级, min_score: null}]}
elimination: {rules: [{rule: below_score, score: 50}], grade: 三级, pay: floor, quotas: null}
partial_period: {counts: scale_goalposts, indicators: [c]}
pay:
  base: "1000.00"
  coefficients: {一级: "1.2", 二级: "1.0", 三级: "0.8"}
  score_factor: {kind: linear, reference: 70, per_point: 0.01}
  floor: "0.5"
  cap: "1.5"
robustness: {draws: 50, seed: 7, concentration: 100, percentiles: [5, 95],
             grade_confidence: 0.8, elimination_between: [0.05, 0.95]}
"""
VALUES = {
    "a": {"GZ001": 0.9, "GZ002": 0.7, "JJ001": 0.4},
    "b": {"GZ001": 8, "GZ002": 6, "JJ001": 2},
    "c": {"GZ001": 1, "GZ002": 2, "JJ001": 0},
}
LABELS = {"GZ001": "测试管理员乙", "GZ002": "赣州管理员丁", "JJ001": "九江管理员丙"}


def table(values=VALUES, version="sales v1") -> InputTable:
    ids = ("GZ001", "GZ002", "JJ001")
    return InputTable(
        population="market_managers",
        period="2023",
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        ids=ids,
        labels=LABELS,
        cities={"GZ001": "360700", "GZ002": "360700", "JJ001": "360400"},
        values=values,
        sources={"a": {i: f"/sales/cockpit/?manager={i}" for i in ids}},
        data_version=version,
    )


@pytest.fixture
def scheme_row(world, province_admin):
    from fucai.evaluation.schemes_store import save_scheme

    return save_scheme(SCHEME, province_admin, valid_from=dt.date(2023, 1, 1))


@pytest.fixture
def run(scheme_row, province_admin):
    from fucai.evaluation.runs import freeze, new_run

    return freeze(new_run(scheme_row, "2023", None, province_admin, draws=50), table())


def scores(run) -> dict:
    return {r["id"]: round(r["score"], 6) for r in run.result["alternatives"]}


def test_a_run_freezes_its_inputs_and_result_with_grades_eliminations_and_pay(run):
    rows = {r.alternative: r for r in run.results.all()}
    assert scores(run) == {"GZ001": 85.0, "GZ002": 65.0, "JJ001": 46.0}
    assert [(rows[i].rank, rows[i].grade, rows[i].eliminated) for i in sorted(rows)] == [
        (1, "一级", False),
        (2, "二级", False),
        (3, "三级", True),
    ]
    assert [rows[i].pay for i in sorted(rows)] == [
        Decimal("1380.00"),
        Decimal("950.00"),
        Decimal("500.00"),  # eliminated: elimination.pay floor = 0.5 (by score 0.8 × 0.76)
    ]
    assert rows["GZ001"].market_manager.name == "测试管理员乙"
    assert rows["JJ001"].city.code == "360400"
    assert run.as_of == dt.date(2023, 12, 31) and run.data_version == "sales v1"
    assert run.inputs["values"]["a"]["GZ002"] == 0.7
    assert len(run.robustness["alternatives"]) == 3


def test_a_frozen_run_is_reproduced_after_the_data_changed_and_a_new_run_differs(
    run, scheme_row, province_admin
):
    from fucai.evaluation.models import EvaluationRun
    from fucai.evaluation.runs import freeze, new_run, reproduce

    changed = {**VALUES, "a": {**VALUES["a"], "GZ002": 0.95}}
    new = freeze(new_run(scheme_row, "2023", None, province_admin), table(changed, "sales v2"))
    assert scores(new)["GZ002"] == 77.5  # 100 × (0.475 + 0.18 + 0.12)
    frozen = EvaluationRun.objects.get(pk=run.pk)
    assert scores(frozen)["GZ002"] == 65.0
    assert reproduce(frozen) == frozen.result
    assert frozen.results.get(alternative="GZ002").score == 65.0


def test_the_bottom_of_two_published_periods_running_is_eliminated_and_reproduced(
    world, province_admin
):
    from fucai.evaluation.runs import freeze, new_run, previous_period, publish, reproduce
    from fucai.evaluation.schemes_store import save_scheme

    bottom = SCHEME.replace("name: t-managers", "name: t-bottom").replace(
        "rules: [{rule: below_score, score: 50}]", "rules: [{rule: bottom_k, k: 1, periods: 2}]"
    )
    row = save_scheme(bottom, province_admin, valid_from=dt.date(2022, 1, 1))
    assert [previous_period(p) for p in ("2023", "2023-Q1", "2023-Q3", "2023-01", "2023-07")] == [
        "2022",
        "2022-Q4",
        "2023-Q2",
        "2022-12",
        "2023-06",
    ]
    last_year = freeze(new_run(row, "2022", None, province_admin), table())
    jj = {r["id"]: r for r in last_year.result["alternatives"]}["JJ001"]
    assert (jj["rank"], jj["bottom_k_streak"], jj["eliminated"]) == (3, 1, False)
    unpublished = freeze(new_run(row, "2023", None, province_admin), table())
    assert not unpublished.results.get(alternative="JJ001").eliminated  # 2022 not published
    publish(last_year, province_admin)
    this_year = freeze(new_run(row, "2023", None, province_admin), table())
    jj = {r["id"]: r for r in this_year.result["alternatives"]}["JJ001"]
    assert (jj["bottom_k_streak"], jj["eliminated"], jj["grade"]) == (2, True, "三级")
    assert this_year.result["previous_streaks"] == {"JJ001": 1}
    assert reproduce(this_year) == this_year.result


def test_editing_a_scheme_makes_a_new_version_and_keeps_the_old_one_audited(
    client, scheme_row, province_admin
):
    from fucai.core.models import ObjectChange
    from fucai.evaluation.models import EvaluationScheme

    client.force_login(province_admin)
    url = reverse("evaluation:scheme_edit", args=["t-managers"])
    bad = SCHEME.replace("a: 0.5, b: 0.3", "a: 0.6, b: 0.3")
    response = client.post(url, {"document": bad, "valid_from": "2024-01-01"})
    assert response.status_code == 400
    assert "weights.values 必须非负且合计为 1" in response.content.decode()
    typo = SCHEME.replace("ties: min", "tie: min")
    response = client.post(url, {"document": typo, "valid_from": "2024-01-01"})
    assert "aggregation.tie: 未知字段" in response.content.decode()
    good = SCHEME.replace("title: 测试管理员考核", "title: 测试管理员考核（修订）")
    response = client.post(url, {"document": good, "valid_from": "2024-01-01", "note": "改名"})
    assert response.status_code == 302
    versions = EvaluationScheme.objects.filter(name="t-managers").order_by("version")
    titles = [(v.version, v.title) for v in versions]
    assert titles == [(1, "测试管理员考核"), (2, "测试管理员考核（修订）")]
    assert versions[1].parsed().version == 2 and versions[1].valid_from == dt.date(2024, 1, 1)
    change = ObjectChange.objects.get(
        object_id=str(versions[1].pk), action="create", object_type__model="evaluationscheme"
    )
    assert change.user == province_admin and change.changes["version"] == [None, 2]


def test_the_province_sees_every_row_a_city_its_managers_and_a_manager_only_their_own_published(
    run, province_admin, ganzhou_user, jiujiang_user, market_manager_user, party_user
):
    from django.core.exceptions import PermissionDenied

    from fucai.evaluation.runs import publish
    from fucai.evaluation.visibility import visible_ids

    assert visible_ids(province_admin, run) == {"GZ001", "GZ002", "JJ001"}
    assert visible_ids(ganzhou_user, run) == {"GZ001", "GZ002"}  # its managers, unpublished too
    assert visible_ids(jiujiang_user, run) == {"JJ001"}
    assert visible_ids(market_manager_user, run) == set()  # not published yet
    with pytest.raises(PermissionDenied):
        visible_ids(party_user, run)
    publish(run, province_admin)
    assert run.published is not None and run.published_by == province_admin
    assert visible_ids(market_manager_user, run) == {"GZ001"}


def test_pages_keep_to_the_scope_a_jiujiang_user_sees_no_ganzhou_manager(
    client, run, province_admin, jiujiang_user, market_manager_user, party_user
):
    from fucai.evaluation.runs import publish

    url = reverse("evaluation:run_detail", args=[run.pk])
    client.force_login(market_manager_user)
    assert client.get(url).status_code == 404  # unpublished: not seen by the people evaluated
    publish(run, province_admin)
    body = client.get(url).content.decode()
    assert "测试管理员乙" in body and "赣州管理员丁" not in body and "九江管理员丙" not in body
    client.force_login(jiujiang_user)
    body = client.get(url).content.decode()
    assert "九江管理员丙" in body and "测试管理员乙" not in body and "赣州管理员丁" not in body
    gz002 = run.results.get(alternative="GZ002")
    assert client.get(reverse("evaluation:result_detail", args=[gz002.pk])).status_code == 404
    workbook = client.get(url, {"format": "xlsx"})
    from fucai.core.testing.matrix import workbook_text

    text = workbook_text(workbook.content)
    assert "JJ001" in text and "GZ001" not in text and "GZ002" not in text
    api = client.get(f"/api/evaluation/runs/{run.pk}").json()
    assert [r["id"] for r in api["results"]] == ["JJ001"]
    client.force_login(party_user)
    assert client.get(url).status_code == 403


def test_a_manager_objects_to_their_own_published_result_and_the_city_resolves_it(
    client, run, province_admin, ganzhou_user, jiujiang_user, market_manager_user
):
    from fucai.evaluation.runs import publish

    own = run.results.get(alternative="GZ001")
    other = run.results.get(alternative="GZ002")
    client.force_login(market_manager_user)
    objection_url = reverse("evaluation:objection_new", args=[own.pk])
    assert client.post(objection_url, {"text": "走访次数漏计"}).status_code == 404  # unpublished
    publish(run, province_admin)
    assert client.post(objection_url, {"text": "走访次数漏计"}).status_code == 302
    other_url = reverse("evaluation:objection_new", args=[other.pk])
    assert client.post(other_url, {"text": "x"}).status_code == 404
    objection = own.objections.get()
    assert objection.text == "走访次数漏计" and objection.filed_by == market_manager_user
    resolve = reverse("evaluation:objection_resolve", args=[objection.pk])
    assert client.post(resolve, {"resolution": "自己批准"}).status_code == 403
    client.force_login(ganzhou_user)
    assert client.post(objection_url, {"text": "代为申诉"}).status_code == 403  # not the evaluated
    client.force_login(jiujiang_user)
    assert client.post(resolve, {"resolution": "x"}).status_code == 404
    client.force_login(ganzhou_user)
    assert client.post(resolve, {"resolution": "已核实，走访记录无误"}).status_code == 302
    objection.refresh_from_db()
    assert (objection.status, objection.resolution, objection.resolved_by) == (
        "resolved",
        "已核实，走访记录无误",
        ganzhou_user,
    )
    body = client.get(reverse("evaluation:run_detail", args=[run.pk])).content.decode()
    assert "走访次数漏计" in body and "已核实，走访记录无误" in body


def test_the_explanation_adds_contributions_up_to_the_score_and_gives_the_distances(run):
    from fucai.evaluation.explain import explain

    gz002 = explain(run, "GZ002")
    contributions = {i["name"]: round(i["contribution"], 6) for i in gz002["indicators"]}
    assert contributions == {"a": 35.0, "b": 18.0, "c": 12.0}
    assert round(gz002["contributions_total"], 6) == round(gz002["score"], 6) == 65.0
    assert round(gz002["to_next_rank"], 6) == 20.0
    assert (gz002["next_grade"], round(gz002["to_next_grade"], 6)) == ("一级", 15.0)
    assert [round(e["margin"], 6) for e in gz002["elimination"]] == [15.0]
    assert gz002["indicators"][0]["source"] == "/sales/cockpit/?manager=GZ002"
    assert gz002["indicators"][2]["normalised"] == 0.6
    top = explain(run, "GZ001")
    assert top["to_next_rank"] is None and top["next_grade"] is None
    out = explain(run, "JJ001")
    assert round(out["elimination"][0]["margin"], 6) == -4.0
    assert out["elimination"][0]["in_zone"] and round(out["elimination"][0]["needed"], 6) == 4.0
    # what elimination did: the scheme's elimination.grade 三级 and pay floor 0.5
    with translation.override("en"):
        out = explain(run, "JJ001")
    assert out["elimination_effect"] == (
        "eliminated: grade 三级; not eliminated, its score would give 三级; "
        "pay factor the floor 0.50"
    )
    assert out["next_grade"] is None and gz002["elimination_effect"] is None


def test_the_manager_reads_their_explanation_page(client, run, province_admin, market_manager_user):
    from fucai.evaluation.runs import publish

    publish(run, province_admin)
    client.force_login(market_manager_user)
    own = run.results.get(alternative="GZ001")
    body = client.get(reverse("evaluation:result_detail", args=[own.pk])).content.decode()
    assert "85.00" in body and "1380.00" in body and "/sales/cockpit/?manager=GZ001" in body
    assert 'id="objection-form"' in body


def test_what_if_json_re_ranks_the_frozen_inputs_without_saving(
    client, run, province_admin, ganzhou_user
):
    from fucai.evaluation.models import EvaluationRun

    url = reverse("evaluation:whatif_json", args=[run.pk])
    client.force_login(province_admin)
    data = client.get(url, {"w_a": "0", "w_b": "0", "w_c": "2"}).json()
    ranks = {r["id"]: (r["frozen_rank"], r["rank"], r["score"]) for r in data["alternatives"]}
    assert ranks == {"GZ001": (1, 2, 80.0), "GZ002": (2, 3, 60.0), "JJ001": (3, 1, 100.0)}
    assert data["weights"] == {"a": 0.0, "b": 0.0, "c": 1.0}
    assert EvaluationRun.objects.count() == 1
    topsis = client.get(url, {"method": "topsis", "normalisation": "vector"}).json()
    assert topsis["aggregation"]["method"] == "topsis" and len(topsis["alternatives"]) == 3
    bad = client.get(url, {"w_a": "-1", "w_b": "0", "w_c": "0"})
    assert bad.status_code == 400
    client.force_login(ganzhou_user)
    data = client.get(url, {"w_a": "0", "w_b": "0", "w_c": "1"}).json()
    assert [(r["id"], r["rank"], r["moved"]) for r in data["alternatives"]] == [
        ("GZ001", 2, -1),
        ("GZ002", 3, -1),
    ]


def test_a_what_if_saved_is_a_new_run_reproduced_with_its_variant(client, run, province_admin):
    from fucai.evaluation.models import EvaluationRun
    from fucai.evaluation.runs import reproduce

    client.force_login(province_admin)
    url = reverse("evaluation:whatif_save", args=[run.pk])
    response = client.post(url, {"w_a": "0", "w_b": "0", "w_c": "1"})
    assert response.status_code == 302
    new = EvaluationRun.objects.exclude(pk=run.pk).get()
    assert new.variant == {"weights": {"a": 0.0, "b": 0.0, "c": 1.0}}
    assert scores(new) == {"GZ001": 80.0, "GZ002": 60.0, "JJ001": 100.0}
    assert reproduce(new) == new.result
    body = client.get(reverse("evaluation:run_detail", args=[run.pk]), {"with": new.pk})
    assert 'id="comparison"' in body.content.decode()


def test_comparing_two_runs_gives_the_rank_grade_and_score_changes(run, scheme_row, province_admin):
    from fucai.evaluation.runs import compare, freeze, new_run

    changed = {**VALUES, "a": {**VALUES["a"], "GZ002": 0.95}}
    other = freeze(new_run(scheme_row, "2023", None, province_admin), table(changed))
    rows = {r["id"]: r for r in compare(other, run)}
    assert (rows["GZ002"]["rank"], rows["GZ002"]["other_rank"]) == (2, 2)
    assert rows["GZ002"]["grade"] == "二级" and round(rows["GZ002"]["score_change"], 6) == 12.5
    assert rows["GZ002"]["grade_changed"] is False


def test_running_a_period_on_the_page_freezes_what_the_indicators_give(
    client, scheme_row, province_admin, ganzhou_user, monkeypatch
):
    from fucai.evaluation.models import EvaluationRun

    calls = []

    def build_inputs(scheme, period, *, as_of=None, manual=None, scope=None):
        calls.append((scheme.name, period, as_of))
        return table()

    monkeypatch.setattr("fucai.evaluation.indicators.build_inputs", build_inputs)
    url = reverse("evaluation:run_new", args=["t-managers"])
    enter_manual(scheme_row, "2023-Q4", province_admin)
    client.force_login(ganzhou_user)
    assert client.post(url, {"period": "2023"}).status_code == 403
    client.force_login(province_admin)
    assert client.post(url, {"period": "2023-13"}).status_code == 400
    response = client.post(url, {"period": "2023-Q4", "as_of": "2023-11-30", "draws": "50"})
    run = EvaluationRun.objects.get()
    assert response.url == reverse("evaluation:run_detail", args=[run.pk])
    assert calls == [("t-managers", "2023-Q4", dt.date(2023, 11, 30))]
    assert run.status == "done" and scores(run)["GZ001"] == 85.0
    body = client.get(reverse("evaluation:robustness", args=[run.pk])).content.decode()
    assert 'id="robustness-chart"' in body and "P(一级)" in body
    rows = {r["id"]: r for r in run.robustness["alternatives"]}
    assert rows["GZ001"]["grade_probability"]["一级"] == 1.0  # 85: every draw scores above 80


def enter_manual(scheme_row, period: str, user, values=None) -> None:
    from fucai.evaluation.manual import save_manual

    values = values or {i: {"c": VALUES["c"][i]} for i in VALUES["c"]}
    save_manual(scheme_row.parsed(), period, values, user)


def test_a_period_outside_the_schemes_effective_dates_is_refused(scheme_row, province_admin):
    from django.core.exceptions import ValidationError

    from fucai.evaluation.models import EvaluationRun
    from fucai.evaluation.runs import new_run

    with pytest.raises(ValidationError) as refused:
        new_run(scheme_row, "1999", None, province_admin)
    assert refused.value.messages == ["期次 1999：该方案的有效期为 2023-01-01 至 …"]
    assert not EvaluationRun.objects.exists()
    assert new_run(scheme_row, "2023-Q4", None, province_admin).as_of == dt.date(2023, 12, 31)


def test_periods_are_years_quarters_or_months():
    from django.core.exceptions import ValidationError

    from fucai.evaluation.runs import period_bounds

    assert period_bounds("2023") == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert period_bounds("2023-Q3") == (dt.date(2023, 7, 1), dt.date(2023, 9, 30))
    assert period_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    with pytest.raises(ValidationError):
        period_bounds("2023-Q5")


def test_a_city_evaluation_by_topsis_explains_the_distances_and_shows_a_city_only_its_row(
    client, db, province_admin, ganzhou_user
):
    from fucai.evaluation.runs import freeze, new_run, publish
    from fucai.evaluation.schemes_store import save_scheme
    from fucai.evaluation.tests.conftest import tzeng_huang
    from fucai.evaluation.visibility import visible_ids

    row = save_scheme(json.dumps(tzeng_huang()), province_admin, valid_from=dt.date(2023, 1, 1))
    codes = ("360700", "360400", "360100", "360200")
    matrix = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    inputs = InputTable(
        population="city_agencies",
        period="2023",
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        ids=codes,
        labels=dict(zip(codes, ("赣州市", "九江市", "南昌市", "景德镇市"), strict=True)),
        cities={c: c for c in codes},
        values={f"c{j + 1}": {c: matrix[i][j] for i, c in enumerate(codes)} for j in range(3)},
    )
    run = freeze(new_run(row, "2023", None, province_admin), inputs)
    assert {k: round(v, 4) for k, v in scores(run).items()} == {
        "360700": 0.5037,
        "360400": 0.6581,
        "360100": 0.7482,
        "360200": 0.3340,
    }
    from fucai.evaluation.explain import explain

    x = explain(run, "360100")
    assert round(x["contributions_total"], 6) == round(x["score"], 6)
    d_ideal, d_anti = x["topsis"]["ideal"], x["topsis"]["anti_ideal"]
    assert round(d_anti / (d_ideal + d_anti), 4) == 0.7482
    assert visible_ids(ganzhou_user, run) == set()  # a city evaluation: seen once published
    publish(run, province_admin)
    assert visible_ids(ganzhou_user, run) == {"360700"}
    own = run.results.get(alternative="360700")
    client.force_login(ganzhou_user)
    url = reverse("evaluation:objection_new", args=[own.pk])
    assert client.post(url, {"text": "完成率口径有误"}).status_code == 302


def test_the_command_loads_the_seed_schemes_as_version_1_and_a_file_as_the_next(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from fucai.evaluation.models import EvaluationScheme

    out = StringIO()
    call_command("evaluate", "scheme", "load", stdout=out)
    assert (
        sorted(out.getvalue().split("\n")[:2])
        == [
            "city-agencies-2023 v1: 2023年度各市福彩中心综合考评办法",
            "market-managers-2023 v1: 2023年度市场管理员考核奖励方案",
        ]
        or EvaluationScheme.objects.filter(version=1).count() == 2
    )
    call_command("evaluate", "scheme", "load", stdout=StringIO())
    assert EvaluationScheme.objects.count() == 2
    path = tmp_path / "m.yaml"
    from fucai.evaluation.schemes_store import SHIPPED

    path.write_text((SHIPPED / "market_managers_2023.yaml").read_text(encoding="utf-8"))
    call_command("evaluate", "scheme", "load", str(path), "--from", "2024-01-01", stdout=out)
    latest = EvaluationScheme.objects.filter(name="market-managers-2023").first()
    assert (latest.version, latest.valid_from) == (2, dt.date(2024, 1, 1))
    assert make_user  # the shared helper stays importable for the fixtures above


def test_a_role_without_evaluations_is_refused_in_its_language_on_pages_and_api(
    client, run, owner_user
):
    client.force_login(owner_user)
    response = client.get(f"/api/evaluation/runs/{run.pk}")
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色无权查看考评。"
    assert client.get(reverse("evaluation:home")).status_code == 403
