"""The what-if, robustness, scheme and run pages as a tester found them (issue 13): the weights a
what-if uses shown beside what was entered, the robustness table's probability columns named by
grade (the elimination once, none without elimination), long tables cut to the first 20 with
"show all", the AHP matrix in C1 … Cn with a key, and a queued run saying that the background
worker does not run."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from fucai.evaluation.inputs import InputTable
from fucai.evaluation.tests.test_runs import SCHEME, table

# the managers' way: the eliminated get a grade of their own, and bottom 2 two periods running
OWN_GRADE = SCHEME.replace("name: t-managers", "name: t-own").replace(
    "elimination: {rules: [{rule: below_score, score: 50}], grade: 三级, pay: floor, quotas: null}",
    "elimination: {rules: [{rule: below_score, score: 50}, {rule: bottom_k, k: 2, periods: 2}],"
    " grade: 不合格, pay: floor, quotas: null}",
)
NO_ELIMINATION = SCHEME.replace("name: t-managers", "name: t-none").replace(
    "elimination: {rules: [{rule: below_score, score: 50}], grade: 三级, pay: floor, quotas: null}",
    "elimination: null",
)


def many(m: int, seed: int = 5) -> InputTable:
    """m managers M01 … (赣州) with values spread around the test scheme's goalposts."""
    rng = np.random.default_rng(seed)
    ids = tuple(f"M{i:02d}" for i in range(1, m + 1))
    columns = {"a": rng.uniform(0.3, 1.0, m), "b": rng.uniform(1, 10, m), "c": rng.uniform(0, 4, m)}
    return InputTable(
        population="market_managers",
        period="2023",
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        ids=ids,
        labels={i: f"管理员{i}" for i in ids},
        cities=dict.fromkeys(ids, "360700"),
        values={n: dict(zip(ids, map(float, v), strict=True)) for n, v in columns.items()},
    )


def frozen(text: str, inputs: InputTable, user, draws: int = 200, streaks=None):
    from fucai.evaluation.runs import compute, freeze, new_run
    from fucai.evaluation.schemes_store import save_scheme

    row = save_scheme(text, user, valid_from=dt.date(2023, 1, 1))
    run = freeze(new_run(row, "2023", None, user, draws=draws), inputs)
    if streaks:  # as if the period before was published with these in its bottom k
        from fucai.evaluation.runs import run_scheme

        result, extra = compute(run_scheme(run), inputs, draws, streaks)
        run.result, run.robustness = result, extra
        run.save()
    return run


def page(client, name: str, run, **query) -> str:
    response = client.get(reverse(f"evaluation:{name}", args=[run.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def header_columns(body: str) -> list[str]:
    head = body[
        body.index('<table class="table table-sm fc-stack fc-stack-inline" id="robustness">') :
    ]
    head = head[: head.index("</thead>")]
    return re.findall(r'<th class="text-end" data-column="(\w+)">([^<]*)</th>', head)


def test_the_what_if_page_shows_the_weights_used_beside_the_inputs_and_that_they_add_up_to_1(
    client, world, province_admin
):
    from fucai.evaluation.runs import freeze, new_run
    from fucai.evaluation.schemes_store import save_scheme

    row = save_scheme(SCHEME, province_admin, valid_from=dt.date(2023, 1, 1))
    run = freeze(new_run(row, "2023", None, province_admin), table())
    client.force_login(province_admin)
    body = page(client, "whatif", run)
    for name, weight in (("a", "0.5000"), ("b", "0.3000"), ("c", "0.2000")):
        used = re.search(rf'<output [^>]*id="used_{name}"[^>]*>([^<]*)</output>', body).group(1)
        assert used.endswith(weight)
    assert re.search(r'id="used-sum">1.0000<', body) and re.search(
        r'id="entered-sum">1.0000<', body
    )
    # entered 1, 1, 2 (sum 4): the ranking uses 0.25, 0.25, 0.5, beside the frozen ranks
    data = client.get(
        reverse("evaluation:whatif_json", args=[run.pk]), {"w_a": 1, "w_b": 1, "w_c": 2}
    )
    data = data.json()
    assert data["weights"] == {"a": 0.25, "b": 0.25, "c": 0.5}
    assert sum(data["weights"].values()) == 1.0
    # JJ001: 100 × (0.25 × 0.4 + 0.25 × 0.2 + 0.5 × 1) = 65, from third to second
    rows = {
        r["id"]: (r["frozen_rank"], r["rank"], r["moved"], r["score"]) for r in data["alternatives"]
    }
    assert rows["JJ001"] == (3, 2, 1, 65.0)
    assert rows["GZ002"] == (2, 3, -1, 62.5)  # 100 × (0.175 + 0.15 + 0.3)


def test_a_what_if_keeps_the_frozen_runs_bottom_k_streaks(client, db, province_admin):
    bottom_only = OWN_GRADE.replace("{rule: below_score, score: 50}, ", "")
    plain = frozen(bottom_only, many(30), province_admin, draws=0)
    assert not any(r["eliminated"] for r in plain.result["alternatives"])  # no period before
    last_two = {r["id"] for r in plain.result["alternatives"] if r["rank"] > 28}
    assert len(last_two) == 2
    run = frozen(bottom_only, many(30), province_admin, draws=0, streaks=dict.fromkeys(last_two, 1))
    assert {r["id"] for r in run.result["alternatives"] if r["eliminated"]} == last_two
    client.force_login(province_admin)
    same = {"w_a": 0.5, "w_b": 0.3, "w_c": 0.2}  # the scheme's own weights
    data = client.get(reverse("evaluation:whatif_json", args=[run.pk]), same).json()
    assert {r["id"] for r in data["alternatives"] if r["eliminated"]} == last_two
    assert all(r["moved"] == 0 and r["grade"] == r["frozen_grade"] for r in data["alternatives"])


def test_robustness_names_each_probability_by_grade_and_the_elimination_once(
    client, db, province_admin
):
    # the eliminated graded 三级, a band: P(三级) and P(eliminated) are two columns
    band = frozen(SCHEME, many(12), province_admin)
    client.force_login(province_admin)
    body = page(client, "robustness", band)
    assert header_columns(body) == [
        ("grade", "P(一级)"),
        ("grade", "P(二级)"),
        ("grade", "P(三级)"),
        ("out", gettext("P(eliminated)")),
    ]
    assert 'data-label="P"' not in body  # each phone card line names its grade
    assert 'data-label="P(二级)" data-column="grade"' in body
    # the eliminated graded 不合格, a label of its own: one column; a bottom k over two periods
    # adds the zone (in it now is not yet out)
    own = frozen(OWN_GRADE, many(12), province_admin)
    columns = header_columns(page(client, "robustness", own))
    assert [key for key, _label in columns] == ["grade", "grade", "grade", "out", "zone"]
    assert "不合格" in columns[3][1] and not any(label == "P(不合格)" for _k, label in columns)
    # no elimination (a city-agency scheme's way): no elimination column at all
    none = frozen(NO_ELIMINATION, many(12), province_admin)
    body = page(client, "robustness", none)
    assert [key for key, _label in header_columns(body)] == ["grade", "grade", "grade"]
    assert 'data-column="out"' not in body and 'data-column="zone"' not in body


def test_robustness_draws_the_streaks_of_the_period_before(client, db, province_admin):
    bottom_only = OWN_GRADE.replace("{rule: below_score, score: 50}, ", "")
    fresh = frozen(bottom_only, many(12), province_admin)
    last = max(fresh.robustness["alternatives"], key=lambda r: r["rank"])["id"]
    rows = {r["id"]: r for r in fresh.robustness["alternatives"]}
    assert rows[last]["zone_probability"] > 0.5 and rows[last]["elimination_probability"] == 0
    streak = frozen(bottom_only, many(12), province_admin, streaks={last: 1})
    rows = {r["id"]: r for r in streak.robustness["alternatives"]}
    assert rows[last]["elimination_probability"] == rows[last]["zone_probability"] > 0.5
    assert rows[last]["grade_probability"]["不合格"] == rows[last]["elimination_probability"]
    assert all(r["elimination_probability"] == 0 for i, r in rows.items() if i != last)
    client.force_login(province_admin)
    body = page(client, "robustness", streak)
    cells = re.search(rf'<tr data-id="{last}">(.*?)</tr>', body).group(1)
    out = re.search(r'data-column="out">([\d.]+)<', cells).group(1)
    assert float(out) == round(rows[last]["elimination_probability"], 2)


def test_long_robustness_tables_show_the_first_20_then_all_or_those_to_review(
    client, db, province_admin, ganzhou_user
):
    run = frozen(SCHEME, many(45), province_admin)
    client.force_login(province_admin)
    body = page(client, "robustness", run)
    assert body.count("<tr data-id=") == 20 and 'id="show-all"' in body
    assert "25" in re.search(r'id="show-all"[^>]*>([^<]*)<', body).group(1)  # 25 more
    assert page(client, "robustness", run, show="all").count("<tr data-id=") == 45
    borderline = sum(r["borderline"] for r in run.robustness["alternatives"])
    assert 0 < borderline < 45
    review = page(client, "robustness", run, review="1", show="all")
    assert review.count("<tr data-id=") == borderline
    chart = re.search(
        r'<script id="robustness-data" type="application/json">(.*?)</script>', review
    )
    names = json.loads(chart.group(1))["names"]  # the chart shows the same people
    assert len(names) == borderline and all(n.startswith("管理员M") for n in names)
    # a city sees its own managers only (all 45 are 赣州's), a 九江 city none of them
    client.force_login(ganzhou_user)
    assert page(client, "robustness", run, show="all").count("<tr data-id=") == 45


def test_a_long_run_lists_its_first_20_results_then_all(client, db, province_admin):
    run = frozen(SCHEME, many(45), province_admin, draws=0)
    client.force_login(province_admin)
    body = page(client, "run_detail", run)
    results = body[body.index('id="results"') : body.index("</table>", body.index('id="results"'))]
    assert results.count("<tr data-id=") == 20 and 'id="show-all"' in body
    ranks = [
        int(r) for r in re.findall(r'<td data-label="[^"]*" class="text-end">(\d+)</td>', results)
    ]
    assert ranks == sorted(ranks) and ranks[0] == 1  # the best 20
    assert page(client, "run_detail", run, show="all").count("<tr data-id=") == 45


def test_the_ahp_matrix_is_headed_c1_to_cn_with_a_key_of_the_criteria(client, db, province_admin):
    from fucai.evaluation.schemes_store import load_shipped

    load_shipped()
    client.force_login(province_admin)
    body = client.get(reverse("evaluation:scheme_detail", args=["city-agencies-2023"]))
    body = body.content.decode()
    matrix = body[
        body.index('id="ahp-matrix"') : body.index("</table>", body.index('id="ahp-matrix"'))
    ]
    assert re.findall(r'<th scope="col">(C\d)</th>', matrix) == [f"C{k}" for k in range(1, 10)]
    assert "target_completion" not in matrix  # the long names are in the key, not the headings
    assert "<td>1/3</td>" in matrix and "<td>3</td>" in matrix and "3.0" not in matrix
    key = body[body.index('id="ahp-key"') : body.index("</ul>", body.index('id="ahp-key"'))]
    assert "<strong>C1</strong> 年度任务完成率" in key and "<strong>C9</strong> 公益活动场次" in key


@override_settings(TASKS_SYNC=False)
def test_a_run_left_in_the_queue_says_the_background_worker_is_not_running(
    client, world, province_admin
):
    from django_q.models import OrmQ

    from fucai.core.worker import BUSY, STOPPED, queue_state
    from fucai.evaluation.models import EvaluationRun
    from fucai.evaluation.runs import new_run
    from fucai.evaluation.schemes_store import save_scheme

    row = save_scheme(SCHEME, province_admin, valid_from=dt.date(2023, 1, 1))
    run = new_run(row, "2023", None, province_admin)
    client.force_login(province_admin)
    progress = reverse("evaluation:run_progress", args=[run.pk])
    fresh = client.get(progress).content.decode()
    assert 'data-status="queued"' in fresh and "worker-stopped" not in fresh  # just queued
    a_minute_ago = timezone.now() - dt.timedelta(minutes=1)
    EvaluationRun.objects.filter(pk=run.pk).update(created=a_minute_ago)
    assert queue_state(a_minute_ago) == STOPPED
    stale = client.get(progress).content.decode()
    assert 'id="worker-stopped"' in stale and "fucai qcluster" in stale
    assert "hx-trigger" in stale  # still polled: once a worker runs, the page carries on
    detail = client.get(reverse("evaluation:run_detail", args=[run.pk])).content.decode()
    assert 'id="worker-stopped"' in detail
    # a worker holding another job: busy, not stopped
    OrmQ.objects.create(key="fucai", payload="x", lock=timezone.now() + dt.timedelta(hours=1))
    assert queue_state(a_minute_ago) == BUSY
    busy = client.get(progress).content.decode()
    assert 'id="worker-busy"' in busy and "worker-stopped" not in busy
    OrmQ.objects.all().delete()
    EvaluationRun.objects.filter(pk=run.pk).update(status="running", step="evaluating")
    assert "worker-" not in client.get(progress).content.decode()  # taken: the progress alone
    with override_settings(TASKS_SYNC=True):
        assert queue_state(a_minute_ago) is None  # jobs run inside the request


def test_a_run_without_draws_says_so_on_the_robustness_page(client, db, province_admin):
    run = frozen(SCHEME, many(5), province_admin, draws=0)
    client.force_login(province_admin)
    body = page(client, "robustness", run)
    assert 'id="robustness"' not in body and "robustness-data" not in body
