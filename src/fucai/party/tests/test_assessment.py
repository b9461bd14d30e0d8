"""The 四强 self-assessment: the seeded checklist, the demo's assessment of the provincial branch
(93 of 100, two items missing), the suggestions from the compliance checker, the form, the
Excel export, the API, and who sees what (九江's Party affairs: 九江's branch only)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from fucai.core.models import ObjectChange
from fucai.party.assessment import (
    NO_EVIDENCE,
    NOT_SCORED,
    SHORT,
    checklist_for,
    evaluate,
    evaluate_new,
    prefetched,
)
from fucai.party.assessment_demo import EXPECTED_MISSING, AssessmentDemoBuilder
from fucai.party.demo import AS_OF, PROVINCE_CODE, PartyDemoBuilder
from fucai.party.models import Assessment, AssessmentAnswer, Branch, Meeting


class _Ctx:
    seed = 1

    def progress(self, label, count) -> None:
        self.count = count


@pytest.fixture
def demo(db):
    ctx = _Ctx()
    PartyDemoBuilder().build(ctx)
    builder = AssessmentDemoBuilder()
    builder.build(ctx)
    return builder, ctx


def _province():
    found = Assessment.objects.filter(branch__code=PROVINCE_CODE, year=2023)
    return evaluate(prefetched(found).get())


def test_the_seeded_checklist_has_four_dimensions_of_25_points_each(db):
    checklist = checklist_for(2023)
    items = list(checklist.items.all())
    assert len(items) == 16 and checklist.max_points == 100
    per_dimension = {}
    for item in items:
        per_dimension[item.dimension] = per_dimension.get(item.dimension, 0) + item.points
    assert per_dimension == {"political": 25, "leadership": 25, "members": 25, "role": 25}
    assert checklist_for(2030) == checklist and checklist_for(2022) is None


def test_the_provincial_branch_scores_93_of_100_in_2023(demo):
    result = _province()
    assert (result.score, result.max_points, result.as_of) == (93, 100, AS_OF)
    assert [(d.dimension, d.score, d.max_points) for d in result.dimensions] == [
        ("political", 24, 25),
        ("leadership", 19, 25),
        ("members", 25, 25),
        ("role", 25, 25),
    ]


def test_two_items_are_missing_theme_days_short_and_the_election_unscored(demo):
    result = _province()
    missing = {r.item.order: r.missing for r in result.missing}
    assert tuple(missing) == EXPECTED_MISSING == (2, 8)
    assert missing[2] == [SHORT]
    assert missing[8] == [NOT_SCORED, NO_EVIDENCE]
    texts = {r.item.order: r.missing_text for r in result.missing}
    assert texts[2] == ["差 1 分"] and texts[8][0] == "未评分"


def test_the_records_suggest_4_of_5_for_theme_days_as_may_had_none(demo):
    rows = {r.item.order: r for r in _province().items}
    theme = rows[2].suggestion
    assert (theme.points, theme.ended, theme.missing_periods) == (4, 8, ("主题党日 2023-05",))
    # 三会一课: 2 quarters of assemblies and lectures, 8 months of committees and groups, all met
    sanhui = rows[1].suggestion
    assert (sanhui.points, sanhui.ended, sanhui.missing_periods) == (10, 20, ())
    assert rows[3].suggestion is None  # judged by a person


def test_the_evidence_links_the_branch_s_meetings_and_files(demo):
    rows = {r.item.order: r for r in _province().items}
    assert len(rows[1].meetings) == 6 + 20 + 15 + 5  # every 三会一课 record to 2023-09-03
    assert [m.topic for m in rows[3].meetings] == ["2022年度组织生活会和民主评议党员"]
    assert [f.original_name for f in rows[10].files] == ["2023年党费收缴台账.pdf"]
    assert rows[10].files[0].content_type == "application/pdf"
    assert rows[8].meetings == [] and rows[8].files == []


def test_the_builder_knows_it_is_current_and_wipes_its_files(demo):
    builder, ctx = demo
    assert builder.is_current(ctx)
    assert AssessmentAnswer.objects.count() == 16
    builder.wipe(ctx)
    assert Assessment.objects.count() == AssessmentAnswer.objects.count() == 0
    assert not builder.is_current(ctx)


def test_a_year_not_assessed_yet_is_all_missing_with_the_suggestions(demo):
    branch = Branch.objects.get(code="DZ360400")
    result = evaluate_new(branch, 2023, checklist_for(2023), AS_OF)
    assert (result.score, len(result.missing)) == (0, 16)
    rows = {r.item.order: r for r in result.items}
    # 九江's branch: 3 committee meetings (Jan, Feb, Apr) of 8 months ended
    assert rows[5].suggestion.points == 8 * 3 // 8
    assert rows[2].suggestion.points == 5 * 1 // 8  # its one theme day: 1 July
    assert rows[2].suggestion.missing_periods[0] == "主题党日 2023-01"


# -- pages, export, API, scope ------------------------------------------------------------------
def test_the_detail_page_shows_the_score_per_dimension_and_what_is_missing(
    client, demo, party_user
):
    client.force_login(party_user)
    url = reverse("party:assessment_detail", args=[PROVINCE_CODE, 2023])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "93 <span" in html and "/ 100" in html
    assert "支部按期换届，选举程序规范" in html and "主题党日 2023-05" in html
    listing = client.get(reverse("party:assessment_list"))
    assert [(r.branch.code, r.score) for r in listing.context["results"]] == [(PROVINCE_CODE, 93)]


def test_the_excel_export_has_a_row_per_item_with_what_is_missing(client, demo, party_user):
    from openpyxl import load_workbook

    client.force_login(party_user)
    url = reverse("party:assessment_detail", args=[PROVINCE_CODE, 2023])
    response = client.get(url, {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 17
    by_order = {row[1]: row for row in rows[1:]}
    assert by_order[2][4:6] == (4, 4) and by_order[2][9] == "差 1 分"
    assert by_order[8][4] is None and by_order[8][9].startswith("未评分")
    notes = dict(workbook.worksheets[1].iter_rows(values_only=True))
    assert notes["得分"] == "93 / 100" and notes["支部班子强"] == "19 / 25"


def test_the_api_gives_the_score_items_and_missing(client, demo, party_user):
    client.force_login(party_user)
    body = client.get("/api/party/assessments", {"year": 2023}).json()
    assert [(a["branch"], a["score"], a["max"], a["missing"]) for a in body] == [
        (PROVINCE_CODE, 93, 100, [2, 8])
    ]
    items = {i["order"]: i for i in body[0]["items"]}
    assert items[2]["suggested"]["missing_periods"] == ["主题党日 2023-05"]
    assert items[8]["missing"] == ["not_scored", "no_evidence"]


def test_jiujiang_party_affairs_see_jiujiang_s_branch_only(client, demo, two_roles):
    client.force_login(two_roles)
    province = reverse("party:assessment_detail", args=[PROVINCE_CODE, 2023])
    assert client.get(province).status_code == 404
    assert client.get(province + "edit/").status_code == 404
    listing = client.get(reverse("party:assessment_list"))
    assert listing.context["results"] == []
    assert [b.code for b in listing.context["to_start"]] == ["DZ360400"]
    assert client.get("/api/party/assessments").json() == []
    assert client.get("/api/party/assessments", {"branch": PROVINCE_CODE}).status_code == 404
    own = reverse("party:assessment_detail", args=["DZ360400", 2023])
    assert client.get(own).status_code == 200


def test_no_one_outside_party_affairs_sees_an_assessment(client, demo, province_admin):
    client.force_login(province_admin)
    assert client.get(reverse("party:assessment_list")).status_code == 403
    url = reverse("party:assessment_detail", args=[PROVINCE_CODE, 2023])
    assert client.get(url).status_code == 403
    assert client.get("/api/party/assessments").status_code == 403


def test_a_year_without_a_checklist_is_not_found(client, demo, party_user):
    client.force_login(party_user)
    url = reverse("party:assessment_detail", args=[PROVINCE_CODE, 2019])
    assert client.get(url).status_code == 404


# -- the form ----------------------------------------------------------------------------------
def _form_data(branch_code: str, **items) -> dict:
    checklist = checklist_for(2023)
    data = {"assessed_on": "2023-09-03", "conclusion": "自评"}
    for item in checklist.items.all():
        data[f"points_{item.pk}"] = items.get(f"points_{item.order}", "")
        if f"meetings_{item.order}" in items:
            data[f"meetings_{item.pk}"] = items[f"meetings_{item.order}"]
    return data


def test_jiujiang_fills_its_assessment_with_its_own_meetings(client, demo, two_roles):
    client.force_login(two_roles)
    url = reverse("party:assessment_edit", args=["DZ360400", 2023])
    form = client.get(url).context["form"]
    item5 = checklist_for(2023).items.get(order=5)
    # a year not assessed yet is checked to its end: 3 committee months of 12, 8 × 3 // 12
    assert form.initial[f"points_{item5.pk}"] == 2
    committees = list(
        Meeting.objects.filter(branch__code="DZ360400", meeting_type="committee").values_list(
            "pk", flat=True
        )
    )
    data = _form_data("DZ360400", points_5=3, meetings_5=committees, points_6=6)
    response = client.post(url, data)
    assert response.status_code == 302
    result = _evaluate("DZ360400")
    assert (result.score, result.max_points) == (9, 100)
    rows = {r.item.order: r for r in result.items}
    assert len(rows[5].meetings) == 3 and rows[5].missing == [SHORT]
    assert rows[6].missing == [NO_EVIDENCE]
    assessment = Assessment.objects.get(branch__code="DZ360400")
    assert assessment.assessed_by == two_roles
    answers = [str(pk) for pk in assessment.answers.values_list("pk", flat=True)]
    audited = ObjectChange.objects.filter(object_type__model="assessmentanswer")
    assert audited.filter(object_id__in=answers, action="create").count() == 16


def _evaluate(code: str):
    return evaluate(prefetched(Assessment.objects.filter(branch__code=code)).get())


def test_points_above_the_item_s_and_another_branch_s_meetings_are_refused(client, demo, two_roles):
    client.force_login(two_roles)
    url = reverse("party:assessment_edit", args=["DZ360400", 2023])
    province_meeting = Meeting.objects.filter(branch__code=PROVINCE_CODE).first()
    data = _form_data("DZ360400", points_5=9, meetings_6=[province_meeting.pk])
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    items = {i.order: i.pk for i in checklist_for(2023).items.all()}
    assert f"points_{items[5]}" in errors and f"meetings_{items[6]}" in errors
    assert not Assessment.objects.filter(branch__code="DZ360400").exists()
    assert client.post(url, {}).status_code == 400


def test_the_list_costs_the_same_queries_for_one_assessment_or_three(client, demo, party_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(party_user)
    url = reverse("party:assessment_list")
    client.get(url)  # the grant and the session, once
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for code in ("DZ360400", "DZ360700"):
        data = _form_data(code, points_5=3)
        client.post(reverse("party:assessment_edit", args=[code, 2023]), data)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert len(response.context["results"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_the_checklist_is_data_a_revised_item_changes_the_maximum_and_what_is_missing(demo):
    from fucai.party.models import ChecklistItem

    ChecklistItem.objects.filter(checklist__valid_from=2023, order=15).update(points=10)
    result = _province()
    assert (result.score, result.max_points) == (93, 105)
    assert [r.item.order for r in result.missing] == [2, 8, 15]  # 5 of 10 now


def test_a_superuser_edits_the_checklist_in_the_admin(client, demo, django_user_model):
    root = django_user_model.objects.create_superuser("root_checklist")
    client.force_login(root)
    checklist = checklist_for(2023)
    response = client.get(reverse("admin:party_checklist_change", args=[checklist.pk]))
    assert response.status_code == 200 and "三会一课" in response.content.decode()


# -- the command line --------------------------------------------------------------------------
def _cli(*args) -> str:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("party", "assessments", *args, stdout=out)
    return out.getvalue()


def test_the_command_line_gives_the_api_s_json_a_table_and_the_excel(demo, party_user, tmp_path):
    import json

    from openpyxl import load_workbook

    body = json.loads(_cli("--year", "2023", "--format", "json"))
    assert [(a["branch"], a["score"], a["max"], a["missing"]) for a in body] == [
        (PROVINCE_CODE, 93, 100, [2, 8])
    ]
    assert "93" in _cli("--year", "2023") and "2, 8" in _cli("--year", "2023")
    out = tmp_path / "a.xlsx"
    _cli("--year", "2023", "--branch", PROVINCE_CODE, "--format", "xlsx", "--out", str(out))
    assert load_workbook(out).active.max_row == 17  # the header and the 16 items


def test_the_command_line_applies_the_user_s_scope_and_refuses_bad_years(demo, two_roles):
    import json

    from django.core.management.base import CommandError

    scoped = _cli("--year", "2023", "--user", two_roles.username, "--format", "json")
    assert json.loads(scoped) == []
    with pytest.raises(CommandError, match="DZ360000"):
        _cli("--year", "2023", "--user", two_roles.username, "--branch", PROVINCE_CODE)
    with pytest.raises(CommandError, match="--year"):
        _cli("--year", "1900")


def test_the_form_costs_the_same_queries_whatever_the_number_of_items(client, demo, party_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fucai.party.models import ChecklistItem

    client.force_login(party_user)
    url = reverse("party:assessment_edit", args=[PROVINCE_CODE, 2023])
    client.get(url)  # the grant and the session, once
    with CaptureQueriesContext(connection) as sixteen:
        client.get(url)
    checklist = checklist_for(2023)
    for order in (17, 18, 19, 20):
        ChecklistItem.objects.create(
            checklist=checklist, order=order, dimension="role", text=f"新增{order}", points=1
        )
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert len(response.context["rows"]) == 20
    assert len(twenty.captured_queries) == len(sixteen.captured_queries)
