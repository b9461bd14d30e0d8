"""Grants from application to payment (fucai.welfare.workflow), beneficiaries protected, public
notices, the pages, API and CLI of the grants — on small fixtures."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.core.choices import ChangeAction
from fucai.core.models import ObjectChange
from fucai.core.personal import NOTICE_NAME, mask
from fucai.core.tests.test_personal_data import _all_stored_text
from fucai.network.demo.names import id_check_character
from fucai.welfare import workflow
from fucai.welfare.models import BudgetOverride, Grant, Household, Project
from fucai.welfare.tests.conftest import GZ_ADDRESS, GZ_ID, GZ_NAME, GZ_PHONE
from fucai.welfare.workflow import NoticeDraft, Refused

D = dt.date


def grants_json(*args: str) -> dict:
    """`fucai welfare grants … --format json`, parsed (also the demo test's)."""
    out = io.StringIO()
    call_command("welfare", "grants", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _applied(officers, project, household, amount=100_000):
    return workflow.apply(
        officers[0], project, amount_fen=amount, applied_on=D(2023, 5, 2), household=household
    )


def _approved(officers, project, household, amount=100_000):
    grant = _applied(officers, project, household, amount)
    workflow.review(officers[1], grant, D(2023, 5, 5))
    return workflow.approve(officers[2], grant, D(2023, 5, 10))


def _noticed(officers, grant):
    draft = NoticeDraft("测试公示", D(2023, 5, 11), D(2023, 5, 17), "测试中心 0797-0000000")
    return workflow.publish_notice(officers[2], grant.project.city, [grant], draft)


# -- the steps -----------------------------------------------------------------------------------
def test_a_grant_cannot_be_paid_before_it_is_approved(officers, project, household):
    grant = _applied(officers, project, household)
    with pytest.raises(Refused, match="只有已批准的资助才能发放"):
        workflow.pay(officers[2], grant, D(2023, 6, 1))
    workflow.review(officers[1], grant, D(2023, 5, 5))
    with pytest.raises(Refused, match="只有已批准的资助才能发放"):
        workflow.pay(officers[2], grant, D(2023, 6, 1))
    grant.refresh_from_db()
    assert (grant.status, grant.paid_on, grant.paid_fen) == ("reviewed", None, None)
    assert list(grant.steps.values_list("kind", flat=True)) == ["application", "review"]


def test_the_person_who_entered_an_application_cannot_approve_it(officers, project, household):
    grant = _applied(officers, project, household)
    workflow.review(officers[1], grant, D(2023, 5, 5))
    with pytest.raises(Refused, match="审批人不能是录入或审核该申请的人"):
        workflow.approve(officers[0], grant, D(2023, 5, 10))
    with pytest.raises(Refused, match="审批人不能是录入或审核该申请的人"):
        workflow.approve(officers[1], grant, D(2023, 5, 10))
    workflow.approve(officers[2], grant, D(2023, 5, 10))
    assert grant.status == "approved" and grant.approved_on == D(2023, 5, 10)


def test_no_step_is_skipped_and_the_entrant_does_not_review(officers, project, household):
    grant = _applied(officers, project, household)
    with pytest.raises(Refused, match="不能进行“审批”"):
        workflow.approve(officers[2], grant, D(2023, 5, 10))
    with pytest.raises(Refused, match="审核人不能是录入该申请的人"):
        workflow.review(officers[0], grant, D(2023, 5, 5))


def test_a_rejection_is_a_step_with_its_reason_and_ends_the_grant(officers, project, household):
    grant = _applied(officers, project, household)
    with pytest.raises(Refused, match="请填写不予资助的理由"):
        workflow.reject(officers[1], grant, D(2023, 5, 5), "")
    workflow.reject(officers[1], grant, D(2023, 5, 5), "收入超过标准")
    step = grant.steps.get(kind="rejection")
    assert (step.by, step.on, step.note) == (officers[1], D(2023, 5, 5), "收入超过标准")
    with pytest.raises(Refused):
        workflow.review(officers[2], grant, D(2023, 5, 6))


def test_another_citys_officer_records_no_step(officers, project, household, jiujiang_welfare):
    grant = _applied(officers, project, household)
    with pytest.raises(Refused, match="您不负责该市的公益金资助"):
        workflow.review(jiujiang_welfare, grant, D(2023, 5, 5))


def test_over_the_budget_only_with_a_recorded_override(officers, project, ganzhou):
    first = _approved(officers, project, _household(ganzhou, "1"), 200_000)
    second = _applied(officers, project, _household(ganzhou, "2"), 150_000)
    workflow.review(officers[1], second, D(2023, 5, 5))
    with pytest.raises(Refused, match=r"超出预算 500\.00 元"):
        workflow.approve(officers[2], second, D(2023, 5, 10))
    workflow.approve(officers[2], second, D(2023, 5, 10), override_reason="市政府追加救助")
    override = BudgetOverride.objects.get(grant=second)
    assert (override.by, override.reason, override.over_fen) == (
        officers[2],
        "市政府追加救助",
        50_000,
    )
    totals = workflow.project_totals(project)
    assert totals == {"budget": 300_000, "committed": 350_000, "paid": 0}
    assert first.status == "approved"


def _household(city, n):
    return Household.objects.create(
        city=city,
        village="测试村",
        name=f"测试户{n}",
        id_number=f"36073219800101{n:0>3}1",
    )


def test_payment_waits_for_the_end_of_the_notice_and_every_objection(officers, project, household):
    grant = _approved(officers, project, household)
    with pytest.raises(Refused, match="尚未公示"):
        workflow.pay(officers[0], grant, D(2023, 5, 20))
    _noticed(officers, grant)
    grant.refresh_from_db()
    with pytest.raises(Refused, match="公示期至 2023-05-17"):
        workflow.pay(officers[0], grant, D(2023, 5, 17))
    with pytest.raises(Refused, match="公示期内"):
        workflow.record_objection(officers[0], grant, received_on=D(2023, 5, 18), text="迟到")
    objection = workflow.record_objection(
        officers[0], grant, received_on=D(2023, 5, 15), text="该户有车", objector="测试异议人"
    )
    with pytest.raises(Refused, match="异议尚未处理"):
        workflow.pay(officers[0], grant, D(2023, 5, 20))
    workflow.resolve_objection(
        officers[2],
        objection,
        outcome="dismissed",
        resolution="车辆为残疾人代步车",
        on=D(2023, 5, 19),
    )
    workflow.pay(officers[0], grant, D(2023, 5, 20))
    assert (grant.status, grant.paid_on, grant.paid_fen) == ("paid", D(2023, 5, 20), 100_000)
    assert list(grant.steps.values_list("kind", flat=True)) == [
        "application",
        "review",
        "approval",
        "payment",
    ]


def test_an_upheld_objection_rejects_the_grant(officers, project, household):
    grant = _approved(officers, project, household)
    _noticed(officers, grant)
    objection = workflow.record_objection(
        officers[0], grant, received_on=D(2023, 5, 12), text="申请不实"
    )
    workflow.resolve_objection(
        officers[2], objection, outcome="upheld", resolution="核实属实", on=D(2023, 5, 16)
    )
    grant.refresh_from_db()
    assert grant.status == "rejected"
    assert grant.steps.get(kind="rejection").note == "核实属实"


# -- beneficiaries ---------------------------------------------------------------------------------
def test_the_same_id_number_in_another_city_this_year_is_told_without_naming_it(
    officers, project, household, jiujiang, jiujiang_welfare
):
    _applied(officers, project, household)
    jj_project = Project.objects.create(
        city=jiujiang, name="九江救助", kind="household_aid", budget_fen=900_000, source_year=2023
    )
    twin = Household.objects.create(city=jiujiang, village="九江村", name="九江户", id_number=GZ_ID)
    other = workflow.apply(
        jiujiang_welfare, jj_project, amount_fen=50_000, applied_on=D(2023, 6, 1), household=twin
    )
    assert other.duplicate_elsewhere
    assert Grant.objects.get(household=household).duplicate_elsewhere  # both officers are told
    last_year = Household.objects.create(
        city=jiujiang, village="九江村", name="九江户二", id_number=GZ_ID
    )
    old = workflow.apply(
        jiujiang_welfare,
        jj_project,
        amount_fen=50_000,
        applied_on=D(2022, 6, 1),
        household=last_year,
    )
    assert not old.duplicate_elsewhere  # another year: no duplicate
    client_text = str(workflow.DUPLICATE_MESSAGE)
    assert client_text == "该身份证号本年度已在其他设区市提出申请。"


def test_no_table_holds_a_beneficiarys_name_id_number_or_phone_in_clear(
    officers, project, household
):
    grant = _approved(officers, project, household)
    _noticed(officers, grant)
    workflow.record_objection(
        officers[0], grant, received_on=D(2023, 5, 12), text="异议", objector="测试异议人丁"
    )
    dump = _all_stored_text()
    for clear in (GZ_NAME, GZ_ID, GZ_PHONE, GZ_ADDRESS, "测试因病致困", "测试异议人丁"):
        assert clear not in dump
    assert Household.objects.get(pk=household.pk).name == GZ_NAME  # and it reads back


def test_showing_a_household_is_for_its_citys_officers_and_audited(
    client, officers, household, jiujiang_welfare, ganzhou_user, market_manager_user
):
    url = f"/welfare/households/{household.pk}/"
    client.force_login(officers[0])
    page = client.get(url).content.decode()
    assert "测**" in page and GZ_NAME not in page and GZ_ID not in page
    shown = client.post(url + "show/").content.decode()
    assert GZ_NAME in shown and GZ_ID in shown and GZ_PHONE in shown
    view = ObjectChange.objects.get(action=ChangeAction.VIEW, object_id=str(household.pk))
    assert view.user == officers[0]
    assert view.changes["id_number"] == [None, "3607**********1230"]
    assert view.changes["name"] == [None, "测****"]
    for other, status in ((jiujiang_welfare, 404), (ganzhou_user, 403), (market_manager_user, 403)):
        client.force_login(other)
        assert client.post(url + "show/").status_code == status
        assert client.get(url).status_code == status


def test_a_province_welfare_officer_sees_households_masked_and_cannot_show_them(client, household):
    province = make_user("province_welfare", Role.WELFARE)
    client.force_login(province)
    page = client.get(f"/welfare/households/{household.pk}/").content.decode()
    assert "测**" in page and 'id="show-household"' not in page
    shown = client.post(f"/welfare/households/{household.pk}/show/")  # back to the masked page
    assert shown.status_code == 302 and shown["Location"] == f"/welfare/households/{household.pk}/"


def test_jiujiangs_officer_and_ganzhous_market_manager_see_no_ganzhou_beneficiary(
    client, officers, project, household, jiujiang_welfare, market_manager_user, province_admin
):
    grant = _approved(officers, project, household)
    notice = _noticed(officers, grant)
    paths = [
        "/welfare/projects/",
        "/welfare/projects/?format=xlsx",
        "/welfare/grants/",
        "/welfare/grants/?format=xlsx",
        "/welfare/households/",
        "/welfare/households/?format=xlsx",
        "/welfare/notices/",
        f"/welfare/grants/{grant.pk}/",
        f"/welfare/notices/{notice.pk}/",
        f"/welfare/notices/{notice.pk}/?format=xlsx",
        f"/welfare/households/{household.pk}/",
        f"/welfare/projects/{project.pk}/",
        "/audit/",
        "/api/welfare/grants?year=2023",
        f"/api/welfare/grants/{grant.pk}",
        "/api/welfare/grants/summary?as_of=2023-09-03",
    ]
    secrets = (GZ_NAME, GZ_ID, GZ_PHONE, "测试困难家庭救助", "测试村", "测***甲")
    for user in (jiujiang_welfare, market_manager_user, province_admin):
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            text = response.content.decode("utf-8", errors="replace")
            if "spreadsheetml" in response.get("Content-Type", ""):
                text = _cells(response.content)
            assert not [s for s in secrets if s in text], (user.username, path)
        if user is jiujiang_welfare:
            data = grants_json("--as-of", "2023-09-03", "--user", user.username)
            assert data["households"] == 0 and data["committed_yuan"] == "0.00"
            assert data["projects"] == []


def _cells(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )


def test_the_audit_trail_of_a_household_shows_it_masked_to_its_officers(
    client, officers, household
):
    client.force_login(officers[0])
    text = client.get("/audit/").content.decode()
    assert "测****" in text or "测**" in text
    assert GZ_NAME not in text and GZ_ID not in text and GZ_PHONE not in text


# -- notices, masks, exports ----------------------------------------------------------------------
def test_a_notice_name_keeps_the_surname_and_the_last_character():
    assert mask("张三灵", NOTICE_NAME) == "张*灵"
    assert mask("张灵", NOTICE_NAME) == "张*"
    assert mask("欧阳小明", NOTICE_NAME) == "欧**明"
    assert mask("张*灵", NOTICE_NAME) == "张*灵"


def test_the_notice_in_excel_and_pdf_masks_names_and_gives_the_period(
    client, officers, project, household
):
    grant = _approved(officers, project, household)
    notice = _noticed(officers, grant)
    client.force_login(officers[0])
    sheet = _cells(client.get(f"/welfare/notices/{notice.pk}/?format=xlsx").content)
    assert "测***甲" in sheet and GZ_NAME not in sheet
    assert "公示期：2023-05-11 至 2023-05-17" in sheet and "测试中心 0797-0000000" in sheet
    assert "1000.0" in sheet or "1000" in sheet
    pdf = client.get(f"/welfare/notices/{notice.pk}/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"NotoSansCJKSC" in pdf.content  # the CJK font is embedded


def test_the_grants_export_masks_households(client, officers, project, household):
    _applied(officers, project, household)
    client.force_login(officers[0])
    sheet = _cells(client.get("/welfare/grants/?format=xlsx").content)
    assert "测****" in sheet and "3607**********1230" in sheet
    assert GZ_NAME not in sheet and GZ_ID not in sheet


# -- pages, API, CLI ------------------------------------------------------------------------------
def test_the_steps_through_the_pages_and_the_api(client, officers, project, household):
    grant = _applied(officers, project, household)
    client.force_login(officers[0])
    refused = client.post(
        f"/welfare/grants/{grant.pk}/step/", {"step": "review", "on": "2023-05-05"}
    )
    assert refused.status_code == 400 and "审核人不能是录入该申请的人" in refused.content.decode()
    client.force_login(officers[1])
    done = client.post(f"/welfare/grants/{grant.pk}/step/", {"step": "review", "on": "2023-05-05"})
    assert done.status_code == 302
    client.force_login(officers[2])
    body = {"step": "payment", "on": "2023-05-20"}
    api = client.post(
        f"/api/welfare/grants/{grant.pk}/steps", body, content_type="application/json"
    )
    assert api.status_code == 400 and "只有已批准的资助才能发放" in api.json()["detail"]
    body = {"step": "approval", "on": "2023-05-10", "note": "同意"}
    api = client.post(
        f"/api/welfare/grants/{grant.pk}/steps", body, content_type="application/json"
    )
    assert api.status_code == 200
    assert [s["kind"] for s in api.json()["steps"]] == ["application", "review", "approval"]
    page = client.get(f"/welfare/grants/{grant.pk}/").content.decode()
    assert "gz_welfare_b" in page and "尚未公示" in page


def test_an_application_through_the_page_encrypts_the_household(client, officers, project):
    client.force_login(officers[0])
    response = client.post("/welfare/grants/new/", _application(project))
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert (grant.amount_fen, grant.entered_by, grant.household.name) == (
        100_000,
        officers[0],
        "测试申请人",
    )
    assert "测试申请人" not in _all_stored_text()


def test_the_grants_command_counts_households_paid_and_committed(
    officers, project, household, ganzhou
):
    paid = _approved(officers, project, household, 120_000)
    _noticed(officers, paid)
    workflow.pay(officers[0], paid, D(2023, 5, 20))
    _approved(officers, project, _household(ganzhou, "9"), 80_000)  # committed
    data = grants_json("--as-of", "2023-09-03", "--city", "赣州")
    assert (data["households"], data["paid_yuan"], data["committed_yuan"]) == (
        1,
        "1200.00",
        "800.00",
    )
    assert data["projects"] == [
        {
            "id": project.pk,
            "name": "测试困难家庭救助",
            "city": "赣州市",
            "kind": "household_aid",
            "status": "open",
            "village": "",
            "source_year": 2023,
            "budget_yuan": "3000.00",
            "committed_yuan": "800.00",
            "paid_yuan": "1200.00",
            "paid_grants": 1,
        }
    ]
    before = grants_json("--as-of", "2023-05-19")
    assert (before["households"], before["paid_yuan"], before["committed_yuan"]) == (
        0,
        "0.00",
        "2000.00",
    )


def test_the_demo_id_numbers_check_character_is_wrong_on_purpose():
    import random

    from fucai.network.demo.names import id_number

    rng = random.Random(7)
    numbers = [id_number(rng, "360732") for _ in range(200)]
    assert all(n[-1] != id_check_character(n[:17]) for n in numbers)
    assert id_check_character("11010519491231002") == "X"  # GB 11643's own example


# -- the fixes of the tester's report ------------------------------------------------------------
def _application(project, **changes) -> dict:
    data = {
        "project": project.pk,
        "amount": "1000.00",
        "applied_on": "2023-05-02",
        "village": "测试新村",
        "name": "测试申请人",
        "id_number": "360732198001011239",
        "phone": "19900004444",
    }
    return data | changes


def test_an_application_refuses_a_letter_inside_the_id_number_and_a_phone_of_letters(
    client, officers, project
):
    client.force_login(officers[0])
    page = client.post(
        "/welfare/grants/new/", _application(project, id_number="36070219900101123A", phone="abc")
    )
    assert page.status_code == 400 and not Grant.objects.exists()
    text = page.content.decode()
    assert "身份证号为 18 位：17 位数字加 1 位数字或 X。" in text
    assert "不是电话号码：“abc”" in text


def test_an_application_accepts_a_wrong_check_character_and_a_landline(client, officers, project):
    number = "360732198001011239"
    wrong = "0" if id_check_character(number[:17]) != "0" else "1"
    client.force_login(officers[0])
    data = _application(project, id_number=number[:17] + wrong, phone="0797-8123456")
    assert client.post("/welfare/grants/new/", data).status_code == 302
    assert Grant.objects.get().household.id_number == number[:17] + wrong


def test_an_application_with_an_organisation_and_a_household_is_refused(client, officers, project):
    client.force_login(officers[0])
    page = client.post("/welfare/grants/new/", _application(project, organisation="测试养老院"))
    assert page.status_code == 400 and not Grant.objects.exists()
    assert "机构与家庭只能填写其一" in page.content.decode()


def test_the_same_household_applying_again_this_year_is_reused_and_flagged(
    client, officers, project
):
    client.force_login(officers[0])
    first = client.post("/welfare/grants/new/", _application(project))
    assert first.status_code == 302
    again = client.post("/welfare/grants/new/", _application(project, amount="500.00"), follow=True)
    assert Household.objects.count() == 1
    one, two = Grant.objects.order_by("pk")
    assert one.household_id == two.household_id
    assert (one.duplicate_in_city, two.duplicate_in_city) == (False, True)
    assert "该家庭本年度在本市已有另一份申请" in again.content.decode()
    listed = client.get("/welfare/grants/?duplicate=1").content.decode()
    assert f"/welfare/grants/{two.pk}/" in listed and f"/welfare/grants/{one.pk}/" not in listed


def test_an_application_over_what_is_left_of_the_budget_is_recorded_with_a_warning(
    client, officers, project
):
    client.force_login(officers[0])
    page = client.post("/welfare/grants/new/", _application(project, amount="3500.00"), follow=True)
    assert Grant.objects.get().amount_fen == 350_000
    assert "超出项目预算余额（3,000.00 元）500.00 元" in page.content.decode()


def test_a_refused_step_shows_the_grant_page_with_only_the_allowed_steps(
    client, officers, project, household
):
    grant = _applied(officers, project, household)
    client.force_login(officers[0])
    page = client.post(
        f"/welfare/grants/{grant.pk}/step/", {"step": "review", "on": "2023-05-05", "note": ""}
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "审核人不能是录入该申请的人" in text
    assert 'value="review"' in text and 'value="rejection"' in text
    assert 'value="approval"' not in text and 'value="payment"' not in text


def test_a_refused_project_move_offers_only_the_allowed_moves(client, officers, project):
    client.force_login(officers[0])
    page = client.post(
        f"/welfare/projects/{project.pk}/status/", {"to_status": "planned", "on": "2023-05-05"}
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "处于“实施中”的项目不能变为“计划中”" in text
    assert 'value="completed"' in text and 'value="closed"' in text
    assert 'value="planned"' not in text and 'value="open"' not in text


def test_a_province_officer_asking_to_show_a_household_is_sent_back_to_its_page(client, household):
    client.force_login(make_user("province_welfare", Role.WELFARE))
    page = client.post(f"/welfare/households/{household.pk}/show/", follow=True)
    assert page.redirect_chain == [(f"/welfare/households/{household.pk}/", 302)]
    text = page.content.decode()
    assert "仅该家庭所在市的公益专员可查看。" in text and GZ_NAME not in text
    assert not ObjectChange.objects.filter(action=ChangeAction.VIEW).exists()


def test_the_api_refuses_a_role_without_welfare_affairs_in_chinese(client, ganzhou_user):
    client.force_login(ganzhou_user)
    answer = client.get("/api/welfare/grants")
    assert answer.status_code == 403
    assert answer.json()["detail"] == "您的角色不负责公益金资助。"


def test_a_notice_read_in_english_is_published_in_chinese_with_a_meaningful_file_name(
    client, officers, project, household
):
    from django.conf import settings

    grant = _approved(officers, project, household)
    notice = _noticed(officers, grant)
    workflow.record_objection(officers[0], grant, received_on=D(2023, 5, 12), text="异议")
    client.force_login(officers[0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/welfare/notices/{notice.pk}/"
    page = client.get(url).content.decode()
    assert "赣州市福利彩票发行中心" in page and "Issuance Centre" not in page
    assert "测试困难家庭救助" in page and f'href="/welfare/grants/{grant.pk}/"' in page
    sheet = client.get(url + "?format=xlsx")
    cells = _cells(sheet.content)
    assert "赣州市福利彩票发行中心" in cells and "公示期：2023-05-11 至 2023-05-17" in cells
    assert f'filename="notice-{notice.pk}-2023-05-11.xlsx"' in sheet["Content-Disposition"]
    pdf = client.get(url + "?format=pdf")
    assert f'filename="notice-{notice.pk}-2023-05-11.pdf"' in pdf["Content-Disposition"]


def test_the_notices_objection_sentence_is_left_aligned_in_the_pdf(
    officers, project, household, monkeypatch
):
    from fpdf import FPDF

    from fucai.welfare.notices import notice_pdf

    aligned = []
    real = FPDF.multi_cell

    def spy(self, w, h=None, text="", *args, **kwargs):
        aligned.append((text, str(kwargs.get("align", "J"))))
        return real(self, w, h, text, *args, **kwargs)

    monkeypatch.setattr(FPDF, "multi_cell", spy)
    notice_pdf(_noticed(officers, _approved(officers, project, household)))
    [objection] = [a for t, a in aligned if "测试中心 0797-0000000" in t]
    assert objection == "L"


def test_an_amount_with_three_decimals_is_refused_with_a_chinese_full_stop(
    client, officers, project
):
    client.force_login(officers[0])
    page = client.post("/welfare/grants/new/", _application(project, amount="10.123"))
    text = page.content.decode()
    assert page.status_code == 400 and "金额最多两位小数（分）。" in text
    assert "确认小数不超过 2 位." not in text


def test_reversed_notice_dates_are_told_even_without_an_approved_grant(client, officers, project):
    client.force_login(officers[0])
    data = {
        "project": project.pk,
        "title": "测试公示",
        "starts_on": "2023-05-17",
        "ends_on": "2023-05-11",
        "contact": "测试中心",
    }
    page = client.post("/welfare/notices/new/", data)
    assert page.status_code == 400 and "公示结束日期早于开始日期。" in page.content.decode()
