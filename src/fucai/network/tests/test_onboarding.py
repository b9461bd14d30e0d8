"""The 四帮 onboarding workflow: plans made on entering 规划, due dates that follow the station's
dates, the rule on opening, the overdue list, the CLI, the API and their scope."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fucai.conftest import make_station
from fucai.network import onboarding
from fucai.network.choices import OnboardingPhase, OnboardingTaskState, StationStatus
from fucai.network.models import OnboardingTask, Station
from fucai.network.tests.test_api import ApiCaller

PLANNED = dt.date(2023, 5, 10)


def client_for(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def new_site(network):
    """A 赣州 site (兴国县) entering 规划 on 2023-05-10."""
    station = make_station("36110401", "360732", opened=None)
    station.transition(StationStatus.PLANNED, PLANNED)
    station.refresh_from_db()
    return station


def tasks_of(station) -> list[OnboardingTask]:
    return list(OnboardingTask.objects.filter(plan__station=station).order_by("number"))


def test_a_station_entering_planning_gets_the_default_plan_with_its_survey_due(new_site):
    tasks = tasks_of(new_site)
    assert [t.phase for t in tasks] == [
        OnboardingPhase.SURVEY,
        OnboardingPhase.BUILD,
        OnboardingPhase.MARKETING,
        OnboardingPhase.FOLLOW_UP,
        OnboardingPhase.FOLLOW_UP,
        OnboardingPhase.FOLLOW_UP,
    ]
    assert tasks[0].due_on == dt.date(2023, 5, 24)  # 14 days after planning
    assert [t.due_on for t in tasks[1:]] == [None] * 5  # not built, not open yet
    assert len(tasks[1].checklist) == 5
    assert all(t.state == OnboardingTaskState.TODO for t in tasks)


def test_a_station_created_already_open_gets_no_plan(network):
    station = make_station("36110402", "360732", opened=None)
    station.transition(StationStatus.OPEN, dt.date(2023, 5, 1))
    assert not OnboardingTask.objects.filter(plan__station=station).exists()


def test_due_dates_follow_the_station_dates_and_move_when_they_change(new_site):
    survey = tasks_of(new_site)[0]
    survey.state, survey.completed_on = OnboardingTaskState.DONE, dt.date(2023, 5, 20)
    survey.save()
    new_site.transition(StationStatus.BUILDING, dt.date(2023, 6, 1))
    new_site.refresh_from_db()
    new_site.transition(StationStatus.OPEN, dt.date(2023, 7, 1))
    dues = [t.due_on for t in tasks_of(new_site)]
    assert dues == [
        dt.date(2023, 5, 24),
        dt.date(2023, 6, 11),
        dt.date(2023, 7, 4),
        dt.date(2023, 7, 8),
        dt.date(2023, 7, 31),
        dt.date(2023, 9, 29),
    ]
    planned = new_site.status_changes.get(status=StationStatus.PLANNED)
    planned.date = dt.date(2023, 5, 1)
    planned.save()
    opened = new_site.status_changes.get(status=StationStatus.OPEN)
    opened.delete()
    dues = [t.due_on for t in tasks_of(new_site)]
    assert dues[0] == dt.date(2023, 5, 15) and dues[2:] == [None] * 4


def test_opening_through_the_form_is_refused_naming_the_undone_survey(new_site, ganzhou_user):
    url = reverse("network:station_transition", args=[new_site.code])
    response = client_for(ganzhou_user).post(url, {"status": "open", "date": "2023-07-01"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Station 36110401 cannot open" in text and "选址勘察" in text
    new_site.refresh_from_db()
    assert new_site.status == StationStatus.PLANNED


def test_opening_is_allowed_with_an_override_reason_recorded_by_an_editor(new_site, ganzhou_user):
    url = reverse("network:station_transition", args=[new_site.code])
    reason = "原超市门店改造，业主已有经营数据"
    data = {"status": "open", "date": "2023-07-01", "override_reason": reason}
    response = client_for(ganzhou_user).post(url, data)
    assert response.status_code == 302
    new_site.refresh_from_db()
    assert new_site.status == StationStatus.OPEN
    survey = tasks_of(new_site)[0]
    assert (survey.state, survey.skip_reason, survey.completed_by) == (
        OnboardingTaskState.SKIPPED,
        reason,
        ganzhou_user,
    )


def test_opening_through_the_api_is_refused_then_allowed_with_a_reason(new_site, ganzhou_user):
    api = ApiCaller(ganzhou_user)
    path = f"network/stations/{new_site.code}/transitions"
    refused = api.post(path, {"status": "open", "date": "2023-07-01"})
    assert refused.status_code in (400, 422)
    assert "选址勘察" in refused.content.decode()
    body = {"status": "open", "date": "2023-07-01", "override_reason": "既有门店"}
    assert api.post(path, body).status_code == 201


def test_the_rule_is_one_function_and_a_done_survey_lets_the_station_open(new_site):
    assert "选址勘察" in onboarding.opening_refusal(new_site, StationStatus.OPEN)
    assert onboarding.opening_refusal(new_site, StationStatus.BUILDING) is None
    survey = tasks_of(new_site)[0]
    survey.state, survey.completed_on = OnboardingTaskState.DONE, dt.date(2023, 5, 20)
    survey.save()
    assert onboarding.opening_refusal(new_site, StationStatus.OPEN) is None
    onboarding.check_may_open(new_site, StationStatus.OPEN)


AS_OF = dt.date(2023, 3, 5)


def _assign_xingguo(network) -> None:
    OnboardingTask.objects.filter(plan__station__code="36110214").update(manager=network["manager"])


def test_the_overdue_list_counts_per_city_and_assignee(network):
    _assign_xingguo(network)
    xingguo_survey = OnboardingTask.objects.get(plan__station__code="36110214", number=1)
    xingguo_survey.state, xingguo_survey.completed_on = "done", dt.date(2022, 4, 10)
    xingguo_survey.save()
    report = onboarding.overdue_report(None, AS_OF)
    groups = {(g["city"], g["assignee"]): g["count"] for g in report["groups"]}
    # 36110214: 4 dated tasks left; 36110001 (planned 01-30, opened 03-01): survey and marketing;
    # 36040001 (opened 2021): all 5 dated tasks; the others are not yet due
    assert groups == {
        ("赣州市", "测试管理员乙"): 4,
        ("赣州市", "未指派"): 2,
        ("九江市", "未指派"): 5,
    }
    assert report["count"] == 11


def test_a_task_done_late_was_overdue_until_it_was_done(network):
    task = OnboardingTask.objects.get(plan__station__code="36110001", number=1)
    assert task.due_on == dt.date(2023, 2, 13)
    task.state, task.completed_on = OnboardingTaskState.DONE, dt.date(2023, 3, 10)
    task.save()
    overdue = OnboardingTask.objects.filter(pk=task.pk)
    assert overdue.filter(onboarding.overdue_q(dt.date(2023, 3, 5))).exists()
    assert not overdue.filter(onboarding.overdue_q(dt.date(2023, 3, 11))).exists()
    assert not overdue.filter(onboarding.overdue_q()).exists()


def test_the_cli_gives_the_overdue_tasks_as_json_and_as_excel(network, tmp_path):
    out = io.StringIO()
    args = ("network", "onboarding", "--overdue", "--as-of", "2023-03-05")
    call_command(*args, "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["count"] == 12
    assert {(g["city"], g["count"]) for g in data["groups"]} == {("赣州市", 7), ("九江市", 5)}
    first = data["tasks"][0]
    # 九江 (360400) first; 36040001 was planned on 2021-06-01, its survey due on 06-15
    assert (first["station"], first["due_on"]) == ("36040001", "2021-06-15")
    assert first["days_overdue"] == (AS_OF - dt.date(2021, 6, 15)).days == 628
    call_command(*args, "--city", "九江", "--format", "json", stdout=(out := io.StringIO()))
    assert json.loads(out.getvalue())["count"] == 5
    target = tmp_path / "overdue.xlsx"
    call_command(*args, "--format", "xlsx", "--out", str(target), stdout=io.StringIO())
    sheet = load_workbook(target).active
    assert sheet.max_row == 13  # the header and 12 tasks


def test_the_api_gives_the_overdue_tasks_of_the_users_scope(network, jiujiang_user):
    data = ApiCaller(jiujiang_user).get("network/onboarding/overdue", as_of="2023-03-05").json()
    assert data["count"] == 5
    assert {t["station"] for t in data["tasks"]} == {"36040001"}


def test_a_jiujiang_user_cannot_see_ganzhous_plans(network, jiujiang_user):
    client = client_for(jiujiang_user)
    assert client.get(reverse("network:onboarding_plan", args=["36110214"])).status_code == 404
    url = reverse("network:onboarding_task", args=["36110214", 1])
    assert client.get(url).status_code == 404
    assert client.post(url, {"state": "done"}).status_code == 404
    assert ApiCaller(jiujiang_user).get("network/stations/36110214/onboarding").status_code == 404
    page = client.get(reverse("network:onboarding_overdue"), {"as_of": "2023-12-31"})
    assert "36110214" not in page.content.decode() and "36040001" in page.content.decode()


def test_the_market_manager_completes_a_survey_with_its_figures_and_a_photo(
    network, market_manager_user
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from fucai.core.attachments import attachments_of

    _assign_xingguo(network)
    photo = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 40)).save(photo, format="JPEG")
    url = reverse("network:onboarding_task", args=["36110214", 1])
    data = {
        "state": "done",
        "notes": "人流集中，周边有两家体彩店",
        "foot_traffic": "320",
        "nearby_welfare": "1",
        "nearby_sports": "2",
        "rent_yuan": "2500",
        "recommendation": "recommend",
        "photos": SimpleUploadedFile("site.jpg", photo.getvalue(), content_type="image/jpeg"),
    }
    response = client_for(market_manager_user).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    task = OnboardingTask.objects.get(plan__station__code="36110214", number=1)
    assert (task.state, task.foot_traffic, task.rent_fen) == ("done", 320, 250000)
    assert task.completed_by == market_manager_user
    assert len(attachments_of(task)) == 1


def test_a_task_that_is_not_theirs_is_refused_to_a_viewer(network, party_user):
    url = reverse("network:onboarding_task", args=["36110214", 1])
    assert client_for(party_user).get(url).status_code == 200
    assert client_for(party_user).post(url, {"state": "done"}).status_code == 403


def test_the_assignees_landing_page_lists_their_overdue_tasks(network, market_manager_user):
    _assign_xingguo(network)
    page = client_for(market_manager_user).get(reverse("network:overview")).content.decode()
    assert 'id="my-onboarding"' in page
    assert "My overdue 四帮 tasks (5)" in page


def test_the_province_edits_the_template_and_new_plans_follow_it(network, province_admin):
    client = client_for(province_admin)
    url = reverse("network:onboarding_template")
    template = onboarding.default_template()
    tasks = list(template.tasks.order_by("order"))
    data = {
        "tasks-TOTAL_FORMS": str(len(tasks)),
        "tasks-INITIAL_FORMS": str(len(tasks)),
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "30",
    }
    for i, t in enumerate(tasks):
        data |= {
            f"tasks-{i}-id": str(t.pk),
            f"tasks-{i}-order": str(t.order),
            f"tasks-{i}-phase": t.phase,
            f"tasks-{i}-title": t.title,
            f"tasks-{i}-anchor": t.anchor,
            f"tasks-{i}-offset_days": "21" if i == 0 else str(t.offset_days),
            f"tasks-{i}-checklist": "\n".join(t.checklist),
        }
    data["tasks-5-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    station = make_station("36110403", "360732", opened=None)
    station.transition(StationStatus.PLANNED, PLANNED)
    new = tasks_of(station)
    assert len(new) == 5 and new[0].due_on == dt.date(2023, 5, 31)
    assert client.get(url).status_code == 200


def test_stations_already_in_planning_get_their_plans_from_the_command(new_site):
    new_site.onboarding_plan.delete()
    out = io.StringIO()
    call_command("network", "onboarding", "--create-plans", stdout=out)
    assert Station.objects.get(pk=new_site.pk).onboarding_plan.tasks.count() == 6


def test_the_station_import_refuses_to_open_a_station_whose_survey_is_undone(province_admin):
    from fucai.geo.models import Division
    from fucai.network.imports import import_stations
    from fucai.network.tests.test_imports import PartnerOrganisation, edited, good_rows

    PartnerOrganisation.objects.create(
        name="测试商业集团", city=Division.objects.get(code="360700")
    )
    planned = edited(good_rows(), "36110301", 状态="规划中", 状态日期="2023-02-01")
    assert import_stations(io.BytesIO(planned), "planned.csv", province_admin).ok
    station = Station.objects.get(code="36110301")
    assert station.status == StationStatus.PLANNED and tasks_of(station)
    opening = edited(good_rows(), "36110301", 状态="营业中", 状态日期="2023-03-18")
    result = import_stations(io.BytesIO(opening), "open.csv", province_admin)
    assert not result.ok
    assert any("36110301" in str(e) and "选址勘察" in str(e) for e in result.errors)
    assert Station.objects.get(code="36110301").status == StationStatus.PLANNED


def test_a_task_is_given_to_a_party_cadre_of_the_city_who_then_completes_it(
    network, ganzhou, ganzhou_user, party_user, two_roles
):
    from fucai.accounts.choices import Role
    from fucai.conftest import make_user

    cadre = make_user("gz_cadre", Role.PARTY, city=ganzhou)
    cadre.last_name, cadre.first_name = "陈", "红"
    cadre.save()
    url = reverse("network:onboarding_task", args=["36110214", 4])
    page = client_for(ganzhou_user).get(url)
    choices = list(page.context["form"].fields["assignee"].queryset)
    assert choices == [cadre]  # not the province's Party office, not 九江's (two_roles)
    assert f"{cadre.get_full_name()} (gz_cadre)" in page.content.decode()
    response = client_for(ganzhou_user).post(url, {"state": "todo", "assignee": cadre.pk})
    assert response.status_code == 302
    task = OnboardingTask.objects.get(plan__station__code="36110214", number=4)
    assert (task.assignee, task.assignee_name) == (cadre, cadre.get_full_name())
    # the cadre sees it, may complete it (no reassigning for them), and has it among theirs
    as_cadre = client_for(cadre).get(url)
    assert as_cadre.context["may_complete"] and "assignee" not in as_cadre.context["form"].fields
    done = client_for(cadre).post(url, {"state": "done", "notes": "结对走访，指导开业营销"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert (task.state, task.completed_by, task.notes) == ("done", cadre, "结对走访，指导开业营销")
    assert onboarding.my_tasks(cadre).filter(pk=task.pk).exists()
