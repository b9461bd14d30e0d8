"""Explanations at every position, missing manual inputs, the run's Excel workbook and the
TOPSIS decomposition (issue 13, the tester's defects). A six-manager scheme whose score is its
one indicator (goalposts 0 … 100, weight 1): A 90, B 80, C 70, D 60, E 45, F 30. Below 40 or
last (bottom 1, one period) is eliminated: F only. Quotas among the other five, rounded half
up: 一级 1 (A), 二级 1.5 → 2 (B, C), 三级 the rest (D, E)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation

from fucai.evaluation.inputs import InputTable

SIX = """
name: t-six
title: 六人考核
version: 1
population: market_managers
period: quarter
indicators:
  - {name: a, label: 完成率, label_en: Completion, source: target_completion, direction: benefit,
     normalisation: {method: goalpost, lower: 0, upper: 100}, cap: null}
  - {name: t, label: 培训学时, label_en: Training hours, source: manual, direction: benefit,
     normalisation: {method: goalpost, lower: 0, upper: 40}, cap: null}
weights: {method: direct, values: {a: 1.0, t: 0.0}}
aggregation: {method: weighted_sum, scale: 100, ties: min}
grades: {by: quotas, rounding: round_half_up, bands: [{name: 一级, share: 0.2},
         {name: 二级, share: 0.3}, {name: 三级, share: null}]}
elimination: {rules: [{rule: below_score, score: 40}, {rule: bottom_k, k: 1, periods: 1}],
              grade: 不合格, pay: floor, quotas: among_non_eliminated}
partial_period: {counts: scale_goalposts, indicators: []}
pay:
  base: "1000.00"
  coefficients: {一级: "1.2", 二级: "1.0", 三级: "0.8"}
  score_factor: {kind: linear, reference: 70, per_point: 0.01}
  floor: "0.6"
  cap: "1.5"
robustness: null
"""
SCORES = {"A": 90, "B": 80, "C": 70, "D": 60, "E": 45, "F": 30}


def six_table(training=None) -> InputTable:
    ids = tuple(SCORES)
    training = training or {}
    return InputTable(
        population="market_managers",
        period="2023-Q3",
        start=dt.date(2023, 7, 1),
        end=dt.date(2023, 9, 30),
        ids=ids,
        labels={i: f"管理员{i}" for i in ids},
        cities={i: "360700" for i in ids},
        values={"a": dict(SCORES), "t": {i: training.get(i) for i in ids}},
    )


@pytest.fixture
def six(db, ganzhou, province_admin):
    from fucai.evaluation.runs import freeze, new_run
    from fucai.evaluation.schemes_store import save_scheme

    row = save_scheme(SIX, province_admin, valid_from=dt.date(2023, 1, 1))
    return freeze(new_run(row, "2023-Q3", None, province_admin), six_table())


def test_the_distances_hold_at_the_top_the_middle_the_border_and_in_the_elimination_zone(six):
    from fucai.evaluation.explain import explain

    top, middle, border, out = (explain(six, i) for i in ("A", "C", "E", "F"))
    assert [x["grade"] for x in (top, middle, border, out)] == ["一级", "二级", "三级", "不合格"]
    # the top: first, top grade, 50 above the line of 40 and 60 above the last one's 30
    assert top["to_next_rank"] is None and top["top_grade"] and top["next_grade"] is None
    assert [e["margin"] for e in top["elimination"]] == [50, 60]
    # the middle (二级): 10 to B's 80, 20 to the 一级 quota's lowest score (A's 90)
    assert (middle["to_next_rank"], middle["next_grade"], middle["to_next_grade"]) == (
        10,
        "一级",
        20,
    )
    # the border (三级, 45): 15 to D, 25 to the 二级 quota (C's 70), 5 above the line of 40
    assert (border["to_next_rank"], border["next_grade"], border["to_next_grade"]) == (
        15,
        "二级",
        25,
    )
    assert [(e["margin"], e["in_zone"]) for e in border["elimination"]] == [(5, False), (15, False)]
    # eliminated (30): no "top grade", no next grade; what leaving the zone takes: 10 points to
    # the line of 40, and for the bottom 1 rank 5 or better, 15 points to E's 45
    assert out["to_next_rank"] == 15 and not out["top_grade"] and out["next_grade"] is None
    assert [(e["in_zone"], e["needed"], e["rank_needed"]) for e in out["elimination"]] == [
        (True, 10, None),
        (True, 15, 5),
    ]


def test_an_eliminated_persons_grade_by_score_follows_the_quotas_among_the_others(six):
    from fucai.evaluation.explain import explain

    with translation.override("en"):
        out = explain(six, "F")
    # not eliminated, F would be ranked 6th of A … E and itself: 一级 1, 二级 2, 三级 the rest
    assert out["elimination_effect"] == (
        "eliminated: grade 不合格; not eliminated, its score would give 三级; "
        "pay factor the floor 0.60"
    )


def test_the_eliminated_explanation_page_says_how_to_leave_the_zone_not_top_grade(
    client, six, province_admin
):
    client.force_login(province_admin)
    result = six.results.get(alternative="F")
    client.cookies["django_language"] = "en"
    body = client.get(reverse("evaluation:result_detail", args=[result.pk])).content.decode()
    assert "top grade" not in body and "eliminated: first leave the elimination zone" in body
    assert "in the zone: 10.00 score points more needed to clear the line" in body
    assert "rank 5 or better needed, 15.00 score points more" in body
    assert '<div class="fc-card-value">0.60</div>' in body  # the pay factor, one format


def test_a_run_without_its_manual_inputs_is_warned_about_and_needs_an_explicit_confirmation(
    client, db, ganzhou, province_admin, monkeypatch
):
    from fucai.evaluation.models import EvaluationRun
    from fucai.evaluation.schemes_store import save_scheme

    save_scheme(SIX, province_admin, valid_from=dt.date(2023, 1, 1))
    from fucai.evaluation.manual import unentered

    def nothing_entered(scheme, period):  # the six are no real managers: their population
        return unentered(scheme, tuple(SCORES), {"t": {}})

    monkeypatch.setattr("fucai.evaluation.manual.unentered_for_period", nothing_entered)
    monkeypatch.setattr(
        "fucai.evaluation.indicators.build_inputs", lambda scheme, period, **kw: six_table()
    )
    client.force_login(province_admin)
    client.cookies["django_language"] = "en"
    url = reverse("evaluation:run_new", args=["t-six"])
    page = client.post(url, {"period": "2023-Q3"})
    body = page.content.decode()
    assert page.status_code == 200 and not EvaluationRun.objects.exists()  # nothing queued
    assert "These manual-input indicators have no entered value for the period 2023-Q3" in body
    assert "<strong>Training hours</strong> — 6 of 6 not entered" in body
    assert reverse("evaluation:scheme_detail", args=["t-six"]) + "#manual-inputs" in body
    assert 'name="confirm_missing"' in body
    response = client.post(url, {"period": "2023-Q3", "confirm_missing": "1"})
    run = EvaluationRun.objects.get()
    assert response.url == reverse("evaluation:run_detail", args=[run.pk])
    assert run.status == "done"
    assert run.inputs["missing_confirmed"]["indicators"] == ["t"]
    assert run.inputs["missing_confirmed"]["by"] == province_admin.username
    assert run.result["missing_inputs"] == {
        "rule": "worst",
        "indicators": {"t": {"manual": True, "ids": list(SCORES)}},
    }
    result = run.results.get(alternative="C")
    body = client.get(reverse("evaluation:result_detail", args=[result.pk])).content.decode()
    assert "not entered (counted as the worst value)" in body and "(capped)" not in body
    # a run on inputs not entered is provisional: said on its page, and it is not published
    body = client.get(response.url).content.decode()
    assert "Manual inputs not entered for 2023-Q3, counted as the worst value" in body
    assert "This run is provisional and cannot be published." in body and 'id="publish"' not in body
    refused = client.post(reverse("evaluation:run_publish", args=[run.pk]))
    assert refused.status_code == 400 and b"provisional" in refused.content
    run.refresh_from_db()
    assert run.published is None


def test_the_worker_refuses_a_run_whose_missing_manual_inputs_were_not_confirmed(six, monkeypatch):
    from fucai.evaluation.runs import new_run, run_job

    monkeypatch.setattr(
        "fucai.evaluation.indicators.build_inputs", lambda scheme, period, **kw: six_table()
    )
    with translation.override("en"):
        run = new_run(six.scheme, "2023-Q3", None, six.created_by)
        run_job(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and run.result == {}
    assert run.error.startswith("Manual inputs not entered for 2023-Q3: Training hours (6 of 6)")


def test_a_manual_input_not_entered_scores_0_points_and_the_explanation_says_so(six):
    from fucai.evaluation.explain import explain

    with translation.override("en"):
        x = explain(six, "C")
    training = x["indicators"][1]
    assert training["missing"] == "not entered (counted as the worst value)"
    assert (training["raw"], training["normalised"], training["contribution"]) == (0.0, 0.0, 0.0)


def test_the_results_workbook_has_names_cities_and_notes_as_readable_rows(
    client, six, province_admin
):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(province_admin)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("evaluation:run_detail", args=[six.pk]), {"format": "xlsx"})
    wb = load_workbook(BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "name", "city", "score")
    assert rows[1][:4] == ("A", "管理员A", "赣州市", 90.0)
    notes = dict(wb["Notes"].iter_rows(values_only=True))
    assert notes["weights: method"] == "given directly"
    assert notes["aggregation: method"] == "weighted sum"
    assert notes["aggregation: ties"] == "min (1, 2, 2, 4)"
    assert notes["elimination: quotas"] == "the quotas counted among the others"
    assert notes["missing inputs: Training hours"] == "6 alternatives, counted as the worst value"
    assert not any("{" in str(v) for v in notes.values())  # no Python dict text


def test_the_aggregation_is_called_jijie_fangfa_in_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("aggregation") == "集结方法"
        assert translation.gettext("Aggregation") == "集结方法"


def test_topsis_contributions_are_pymcdms_closeness_split_by_the_squared_distance_to_the_anti_ideal(
    db, province_admin
):
    """Vector normalisation on X (the third indicator: counts that differ much between the
    cities, weight 0.1): pymcdm's closeness × 100 is the score; an indicator's contribution is
    score × (v − v⁻)² / D⁻²; the counts take most of it although their weight is small."""
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    from fucai.evaluation.explain import explain
    from fucai.evaluation.runs import freeze, new_run
    from fucai.evaluation.schemes_store import save_scheme
    from fucai.evaluation.tests.conftest import tzeng_huang

    scheme = tzeng_huang(scale=100)
    scheme["weights"]["values"] = {"c1": 0.5, "c2": 0.4, "c3": 0.1}
    row = save_scheme(json.dumps(scheme), province_admin, valid_from=dt.date(2023, 1, 1))
    x = np.array([[1.02, 0.30, 170], [1.04, 0.28, 40], [1.05, 0.26, 160], [1.00, 0.24, 20]])
    codes = ("360700", "360400", "360100", "360200")
    inputs = InputTable(
        population="city_agencies",
        period="2023",
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        ids=codes,
        labels=dict(zip(codes, ("赣州市", "九江市", "南昌市", "景德镇市"), strict=True)),
        cities={c: c for c in codes},
        values={f"c{j + 1}": {c: x[i, j] for i, c in enumerate(codes)} for j in range(3)},
    )
    run = freeze(new_run(row, "2023", None, province_admin), inputs)
    weights = np.array([0.5, 0.4, 0.1])
    closeness = TOPSIS(normalization_function=vector_normalization)(x, weights, np.ones(3))
    stored = [r["score"] for r in run.result["alternatives"]]
    assert stored == pytest.approx(100 * closeness, abs=1e-9)
    v = x / np.sqrt((x**2).sum(axis=0)) * weights
    gap = (v[0] - v.min(axis=0)) ** 2
    expected = 100 * closeness[0] * gap / gap.sum()
    ganzhou = explain(run, "360700")
    contributions = [i["contribution"] for i in ganzhou["indicators"]]
    assert contributions == pytest.approx(expected, abs=1e-9)
    assert sum(contributions) == pytest.approx(ganzhou["score"], abs=1e-9)
    shares = [i["share_anti_ideal"] for i in ganzhou["indicators"]]
    assert shares == pytest.approx(gap / gap.sum()) and round(shares[2], 3) == 0.667  # weight 0.1
    ideal = (v.max(axis=0) - v[0]) ** 2
    assert [i["share_ideal"] for i in ganzhou["indicators"]] == pytest.approx(ideal / ideal.sum())


def test_objections_versions_and_runs_name_people_by_their_display_name(
    client, six, province_admin, ganzhou_user
):
    from fucai.evaluation.models import EvaluationObjection, EvaluationScheme

    province_admin.first_name, province_admin.last_name = "福", "宁"
    province_admin.save()
    result = six.results.get(alternative="F")
    EvaluationObjection.objects.create(result=result, text="走访漏计", filed_by=province_admin)
    EvaluationScheme.objects.filter(pk=six.scheme.pk).update(created_by=None)  # loaded, no author
    client.force_login(province_admin)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("evaluation:result_detail", args=[result.pk])).content.decode()
    assert province_admin.get_full_name() in body and "province_admin:" not in body
    body = client.get(reverse("evaluation:run_detail", args=[six.pk])).content.decode()
    assert f"Run by {province_admin.get_full_name()}" in body
    body = client.get(reverse("evaluation:scheme_detail", args=["t-six"])).content.decode()
    versions = body[body.index("Versions") :]
    assert " by " not in versions[: versions.index("</ul>")]  # no dangling "by" without author


def test_a_pay_factor_has_one_format_and_ahp_judgements_read_as_people_write_them(
    client, six, province_admin
):
    from decimal import Decimal

    from fucai.evaluation.engine import format_factor
    from fucai.evaluation.scheme import ahp_cell

    assert [format_factor(v) for v in (0.6, Decimal("0.6000"), 1.38, 1.3225, None)] == [
        "0.60",
        "0.60",
        "1.38",
        "1.3225",
        "—",
    ]
    assert [ahp_cell(c) for c in (1.0, 1, 3.0, "1/3", 0.5, 0.25, "2.5")] == [
        "1", "1", "3", "1/3", "1/2", "1/4", "2.5",
    ]  # fmt: skip
    client.force_login(province_admin)
    run_page = client.get(reverse("evaluation:run_detail", args=[six.pk])).content.decode()
    result = six.results.get(alternative="F")
    page = client.get(reverse("evaluation:result_detail", args=[result.pk])).content.decode()
    assert ">0.60</td>" in run_page and "0.6000" not in run_page
    assert '<div class="fc-card-value">0.60</div>' in page


def test_the_city_schemes_ahp_matrix_shows_ones_and_fractions_on_its_page(
    client, db, province_admin
):
    from fucai.evaluation.schemes_store import save_scheme
    from fucai.evaluation.tests.conftest import SCHEMES

    text = (SCHEMES / "city_agencies_2023.yaml").read_text(encoding="utf-8")
    save_scheme(text, province_admin, valid_from=dt.date(2023, 1, 1))
    client.force_login(province_admin)
    body = client.get(reverse("evaluation:scheme_detail", args=["city-agencies-2023"]))
    ahp = body.content.decode().split('id="ahp"')[1].split("</table>")[0]
    assert "<td>1/3</td>" in ahp and "<td>1</td>" in ahp and "1.0<" not in ahp


def test_in_english_the_explanation_names_indicators_grades_and_sources_in_english(
    client, six, province_admin
):
    import re

    client.force_login(province_admin)
    client.cookies["django_language"] = "en"
    result = six.results.get(alternative="C")
    body = client.get(reverse("evaluation:result_detail", args=[result.pk])).content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    # the people's names (管理员C) and the grade names (scheme data without English names)
    # are the only Chinese left
    assert set(re.findall(r"[\u4e00-\u9fff]+", main)) <= {"管理员", "六人考核", "一级", "二级"}
    assert "Completion" in main and "Training hours" in main and "quota: the first 1 ranks" in main


def test_the_api_explains_a_topsis_result_with_its_shares_as_json(client, db, province_admin):
    from fucai.evaluation.runs import freeze, new_run
    from fucai.evaluation.schemes_store import save_scheme
    from fucai.evaluation.tests.conftest import tzeng_huang

    row = save_scheme(json.dumps(tzeng_huang()), province_admin, valid_from=dt.date(2023, 1, 1))
    codes = ("360700", "360400", "360100", "360200")
    x = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    inputs = InputTable(
        population="city_agencies",
        period="2023",
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        ids=codes,
        labels={c: c for c in codes},
        cities={c: c for c in codes},
        values={f"c{j + 1}": {c: x[i][j] for i, c in enumerate(codes)} for j in range(3)},
    )
    run = freeze(new_run(row, "2023", None, province_admin), inputs)
    client.force_login(province_admin)
    result = run.results.get(alternative="360100")
    data = client.get(f"/api/evaluation/results/{result.pk}").json()
    shares = [i["share_anti_ideal"] for i in data["indicators"]]
    assert sum(shares) == pytest.approx(1.0) and round(data["score"], 4) == 0.7482
