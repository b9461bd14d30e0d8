"""公益金 projects created and edited (pages), their lifecycle, the budget rule on an edit, the
Excel of one project, and objections through the API — on small fixtures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.core.choices import ChangeAction
from fucai.core.models import ObjectChange
from fucai.welfare import workflow
from fucai.welfare.models import Grant, Project, ProjectBudgetOverride, ProjectStep
from fucai.welfare.tests.conftest import GZ_ID, GZ_NAME
from fucai.welfare.tests.test_grants import _approved, _household, _noticed
from fucai.welfare.workflow import Refused

D = dt.date


def _new_project_data(city, **extra) -> dict:
    return {
        "city": city.pk,
        "name": "测试社区养老服务中心设备",
        "kind": "elderly_care",
        "village": "测试和平社区",
        "budget": "50000.00",
        "source_year": "2023",
        "description": "购置康复器材",
        "status": "planned",
        "on": "2023-01-05",
        "note": "局务会立项",
        **extra,
    }


def _edit_data(row, **extra) -> dict:
    return {
        "city": row.city_id,
        "name": row.name,
        "kind": row.kind,
        "village": row.village,
        "budget": str(workflow.yuan(row.budget_fen)),
        "source_year": str(row.source_year),
        "description": row.description,
        **extra,
    }


def _paid_and_committed(officers, project, ganzhou):
    """1,200 yuan paid and 800 yuan committed (approved, not paid) of a 3,000-yuan budget."""
    paid = _approved(officers, project, _household(ganzhou, "1"), 120_000)
    _noticed(officers, paid)
    workflow.pay(officers[0], paid, D(2023, 5, 20))
    committed = _approved(officers, project, _household(ganzhou, "2"), 80_000)
    return paid, committed


def _changes(project):
    """The audit trail's records of the project itself."""
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(Project)
    return ObjectChange.objects.filter(object_type=kind, object_id=str(project.pk))


# -- creating ------------------------------------------------------------------------------------
def test_a_citys_welfare_officer_creates_a_project_with_who_and_when(client, officers, ganzhou):
    client.force_login(officers[0])
    assert client.get("/welfare/projects/new/").status_code == 200
    response = client.post("/welfare/projects/new/", _new_project_data(ganzhou))
    project = Project.objects.get(name="测试社区养老服务中心设备")
    assert (
        response.status_code == 302 and response["Location"] == f"/welfare/projects/{project.pk}/"
    )
    assert (project.city, project.budget_fen, project.source_year, project.status) == (
        ganzhou,
        5_000_000,
        2023,
        "planned",
    )
    assert project.village == "测试和平社区" and project.kind == "elderly_care"
    step = ProjectStep.objects.get(project=project)
    assert (step.from_status, step.to_status, step.on, step.by, step.note) == (
        "",
        "planned",
        D(2023, 1, 5),
        officers[0],
        "局务会立项",
    )
    created = _changes(project).get(action=ChangeAction.CREATE)
    assert created.user == officers[0] and created.object_repr == "测试社区养老服务中心设备"
    page = client.get(f"/welfare/projects/{project.pk}/").content.decode()
    assert "计划中" in page and "50,000.00" in page and "局务会立项" in page


def test_a_city_officer_cannot_create_a_project_for_another_city(
    client, officers, jiujiang, ganzhou
):
    client.force_login(officers[0])
    response = client.post("/welfare/projects/new/", _new_project_data(jiujiang))
    assert response.status_code == 400 and not Project.objects.exists()
    with pytest.raises(Refused, match="您不负责该市的公益金资助"):
        draft = workflow.ProjectDraft(jiujiang, "九江项目", "other", 100, 2023)
        workflow.create_project(officers[0], draft, on=D(2023, 1, 5))


def test_the_provinces_welfare_office_creates_and_edits_any_citys_project(
    client, jiujiang, project
):
    province = make_user("province_welfare", Role.WELFARE)
    client.force_login(province)
    response = client.post("/welfare/projects/new/", _new_project_data(jiujiang, status="open"))
    assert response.status_code == 302
    assert Project.objects.get(city=jiujiang).status == "open"
    edited = client.post(
        f"/welfare/projects/{project.pk}/edit/", _edit_data(project, budget="4000.00")
    )
    assert edited.status_code == 302
    project.refresh_from_db()
    assert project.budget_fen == 400_000


# -- the budget rule on an edit -------------------------------------------------------------------
def test_lowering_the_budget_below_committed_and_paid_is_refused_then_allowed_with_an_override(
    client, officers, project, ganzhou
):
    _paid_and_committed(officers, project, ganzhou)  # 2,000 yuan of 3,000 used
    client.force_login(officers[0])
    url = f"/welfare/projects/{project.pk}/edit/"
    assert client.post(url, _edit_data(project, budget="2000.00")).status_code == 302  # just fits
    refused = client.post(url, _edit_data(project, budget="1500.00"))
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "已批未付及已发放共 2,000.00 元，预算 1,500.00 元将不足 500.00 元" in text
    project.refresh_from_db()
    assert project.budget_fen == 200_000 and not ProjectBudgetOverride.objects.exists()
    allowed = client.post(
        url, _edit_data(project, budget="1500.00", override_reason="省厅调减本年度额度")
    )
    assert allowed.status_code == 302
    project.refresh_from_db()
    override = ProjectBudgetOverride.objects.get(project=project)
    assert (project.budget_fen, override.budget_before_fen, override.budget_after_fen) == (
        150_000,
        200_000,
        150_000,
    )
    assert (override.over_fen, override.by, override.reason) == (
        50_000,
        officers[0],
        "省厅调减本年度额度",
    )
    assert workflow.project_totals(project) == {
        "budget": 150_000,
        "committed": 80_000,
        "paid": 120_000,
    }
    page = client.get(f"/welfare/projects/{project.pk}/").content.decode()
    assert "不足 500.00 元" in page and "省厅调减本年度额度" in page
    changes = _changes(project).filter(action=ChangeAction.UPDATE)
    assert [c.changes["budget_fen"] for c in changes.order_by("pk")] == [
        [300_000, 200_000],
        [200_000, 150_000],
    ]


def test_raising_the_budget_or_lowering_it_within_what_is_left_needs_no_override(
    officers, project, ganzhou
):
    _paid_and_committed(officers, project, ganzhou)
    assert workflow.budget_shortfall(project, 250_000) == 0
    assert workflow.budget_shortfall(project, 199_999) == 1
    draft = workflow.ProjectDraft(ganzhou, project.name, project.kind, 250_000, 2023)
    workflow.edit_project(officers[1], project, draft)
    assert Project.objects.get(pk=project.pk).budget_fen == 250_000
    assert not ProjectBudgetOverride.objects.exists()


def test_a_project_with_grants_keeps_its_city(officers, project, household, jiujiang):
    _approved(officers, project, household)
    province = make_user("province_welfare", Role.WELFARE)
    draft = workflow.ProjectDraft(jiujiang, project.name, project.kind, 300_000, 2023)
    with pytest.raises(Refused, match="已有资助的项目不能更改所属设区市"):
        workflow.edit_project(province, project, draft)


# -- the lifecycle -------------------------------------------------------------------------------
def test_a_closed_project_refuses_a_grant(officers, project, household, ganzhou):
    _paid, committed = _paid_and_committed(officers, project, ganzhou)
    workflow.move_project(officers[0], project, "completed", D(2023, 6, 30), "设备已交付")
    with pytest.raises(Refused, match="已完成或已结项的项目不再受理新的资助"):
        workflow.apply(
            officers[0], project, amount_fen=50_000, applied_on=D(2023, 7, 1), household=household
        )
    with pytest.raises(Refused, match="该项目有 1 笔资助尚未办结"):
        workflow.move_project(officers[0], project, "closed", D(2023, 7, 1))
    _noticed(officers, committed)
    workflow.pay(officers[0], committed, D(2023, 5, 20))
    workflow.move_project(officers[2], project, "closed", D(2023, 7, 2), "审计结项")
    project.refresh_from_db()
    assert project.status == "closed"
    with pytest.raises(Refused, match="已完成或已结项的项目不再受理新的资助"):
        workflow.apply(
            officers[0], project, amount_fen=50_000, applied_on=D(2023, 7, 3), household=household
        )
    assert Grant.objects.filter(project=project).count() == 2
    with pytest.raises(Refused, match="已结项项目的预算不能更改"):
        draft = workflow.ProjectDraft(ganzhou, project.name, project.kind, 400_000, 2023)
        workflow.edit_project(officers[0], project, draft)
    moves = list(project.steps.values_list("from_status", "to_status", "on", "by__username"))
    assert moves == [
        ("open", "completed", D(2023, 6, 30), "gz_welfare_a"),
        ("completed", "closed", D(2023, 7, 2), "gz_welfare_c"),
    ]


def test_a_project_moves_forward_only_and_not_before_its_last_move(client, officers, ganzhou):
    draft = workflow.ProjectDraft(ganzhou, "测试书屋", "reading_room", 3_000_000, 2023)
    project = workflow.create_project(officers[0], draft, on=D(2023, 2, 1))
    with pytest.raises(Refused, match="项目尚未开始实施，暂不受理申请"):
        workflow.apply(
            officers[0], project, amount_fen=100, applied_on=D(2023, 2, 2), organisation="某社区"
        )
    with pytest.raises(Refused, match="不能早于该项目上一次变更（2023-02-01）"):
        workflow.move_project(officers[0], project, "open", D(2023, 1, 31))
    client.force_login(officers[1])
    url = f"/welfare/projects/{project.pk}/status/"
    assert client.post(url, {"to_status": "open", "on": "2023-02-10"}).status_code == 302
    back = client.post(url, {"to_status": "planned", "on": "2023-02-11"})
    assert back.status_code == 400 and "处于“实施中”的项目不能变为“计划中”" in back.content.decode()
    project.refresh_from_db()
    assert project.status == "open"
    assert project.steps.count() == 2


# -- scope ---------------------------------------------------------------------------------------
def test_project_pages_are_404_outside_the_city_and_403_without_welfare_affairs(
    client, project, jiujiang_welfare, ganzhou_user, market_manager_user
):
    urls = [
        ("get", f"/welfare/projects/{project.pk}/edit/"),
        ("post", f"/welfare/projects/{project.pk}/edit/"),
        ("post", f"/welfare/projects/{project.pk}/status/"),
        ("get", f"/welfare/projects/{project.pk}/?format=xlsx"),
    ]
    for user, status in ((jiujiang_welfare, 404), (ganzhou_user, 403), (market_manager_user, 403)):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == status, (user.username, url)
        assert client.get("/welfare/projects/new/").status_code == (200 if status == 404 else 403)
    project.refresh_from_db()
    assert (project.budget_fen, project.status) == (300_000, "open")


# -- Excel ---------------------------------------------------------------------------------------
def _sheets(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def test_one_projects_excel_gives_budget_committed_paid_and_its_grants_masked(
    client, officers, project, household, ganzhou
):
    _paid_and_committed(officers, project, ganzhou)
    _approved(officers, project, household, 50_000)
    client.force_login(officers[0])
    sheets = _sheets(client.get(f"/welfare/projects/{project.pk}/?format=xlsx").content)
    facts = {row[0]: row[1] for row in sheets["项目"]}
    assert facts["预算（元）"] == "3000.00"
    assert (facts["已批未付（元）"], facts["已发放（元）"], facts["剩余（元）"]) == (
        "1300.00",
        "1200.00",
        "500.00",
    )
    grants = sheets["资助"]
    assert len(grants) == 4  # the heading and three grants
    text = "\n".join(str(v) for row in grants for v in row)
    assert "测****" in text and "3607**********1230" in text
    assert GZ_NAME not in text and GZ_ID not in text


def test_the_project_list_in_excel_gives_each_projects_status_and_what_is_left(
    client, officers, project, ganzhou
):
    _paid_and_committed(officers, project, ganzhou)
    client.force_login(officers[0])
    sheets = _sheets(client.get("/welfare/projects/?as_of=2023-09-03&format=xlsx").content)
    heading, row = sheets["项目"][:2]
    got = dict(zip(heading, row, strict=True))
    assert (got["项目"], got["状态"], got["类型"]) == ("测试困难家庭救助", "实施中", "困难家庭救助")
    assert (got["预算（元）"], got["已批未付（元）"], got["已发放（元）"], got["剩余（元）"]) == (
        3000,
        800,
        1200,
        1000,
    )


# -- objections through the API ------------------------------------------------------------------
def test_an_objection_is_recorded_and_resolved_through_the_api_by_the_grants_rules(
    client, officers, project, household, jiujiang_welfare, market_manager_user
):
    grant = _approved(officers, project, household)
    url = f"/api/welfare/grants/{grant.pk}/objections"
    client.force_login(officers[0])
    early = client.post(
        url, {"received_on": "2023-05-12", "text": "有车"}, content_type="application/json"
    )
    assert early.status_code == 400 and "公示期内" in early.json()["detail"]  # no notice yet
    _noticed(officers, grant)  # 11–17 May
    late = client.post(
        url, {"received_on": "2023-05-18", "text": "有车"}, content_type="application/json"
    )
    assert late.status_code == 400
    body = {"received_on": "2023-05-15", "text": "该户有车", "objector": "测试异议人丙"}
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 200
    objection = made.json()
    assert (objection["objector"], objection["outcome"], objection["received_on"]) == (
        "测*****",
        "",
        "2023-05-15",
    )
    payment = {"step": "payment", "on": "2023-05-20"}
    steps = f"/api/welfare/grants/{grant.pk}/steps"
    refused = client.post(steps, payment, content_type="application/json")
    assert refused.status_code == 400 and "异议尚未处理" in refused.json()["detail"]
    resolve = f"/api/welfare/objections/{objection['id']}/resolve"
    for user, status in ((jiujiang_welfare, 404), (market_manager_user, 403)):
        client.force_login(user)
        assert client.post(url, body, content_type="application/json").status_code == status
        assert (
            client.post(
                resolve,
                {"outcome": "upheld", "resolution": "x", "on": "2023-05-16"},
                content_type="application/json",
            ).status_code
            == status
        )
    client.force_login(officers[2])
    upheld = {"outcome": "upheld", "resolution": "核实属实", "on": "2023-05-16"}
    done = client.post(resolve, upheld, content_type="application/json")
    assert done.status_code == 200
    assert (done.json()["outcome"], done.json()["resolved_by"]) == ("upheld", "gz_welfare_c")
    again = client.post(resolve, upheld, content_type="application/json")
    assert again.status_code == 400 and "该异议已处理" in again.json()["detail"]
    grant.refresh_from_db()
    assert grant.status == "rejected"
    detail = client.get(f"/api/welfare/grants/{grant.pk}").json()
    assert [o["text"] for o in detail["objections"]] == ["该户有车"]
    assert detail["steps"][-1] == {
        "kind": "rejection",
        "on": "2023-05-16",
        "by": "gz_welfare_c",
        "note": "核实属实",
    }
