"""Adding and editing Party members: of one's own branches only, a group of that branch, an
account of the branch's agency; phones and ID numbers stay masked in the form (the mask keeps
the stored value, a guessed one is refused), in the audit trail and in the Excel export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.core.models import ObjectChange
from fucai.core.testing.matrix import workbook_text
from fucai.party.models import Branch, Member, PartyGroup

PHONE, ID_NUMBER = "13912345678", "360702198001011234"


@pytest.fixture
def branches(db, ganzhou, jiujiang):
    gz = Branch.objects.create(code="DZ360700", name="赣州测试党支部", city=ganzhou)
    jj = Branch.objects.create(code="DZ360400", name="九江测试党支部", city=jiujiang)
    group = PartyGroup.objects.create(branch=gz, name="第一党小组")
    other = PartyGroup.objects.create(branch=jj, name="九江党小组")
    member = Member.objects.create(
        branch=gz,
        group=group,
        name="赣州党员甲",
        phone=PHONE,
        id_number=ID_NUMBER,
        joined_on=dt.date(2001, 7, 1),
    )
    return {"gz": gz, "jj": jj, "group": group, "other_group": other, "member": member}


@pytest.fixture
def ganzhou_party(ganzhou):
    return make_user("gz_party", Role.PARTY, city=ganzhou)


def _new_member() -> Member:
    return Member.objects.exclude(name="").order_by("-pk").first()


def _data(branches, **changes) -> dict:
    data = {
        "branch": branches["gz"].pk,
        "group": branches["group"].pk,
        "name": "赣州党员乙",
        "phone": "13800001111",
        "id_number": "36070219900101123X",
        "role": "member",
        "joined_on": "2010-07-01",
        "is_cadre": "on",
    }
    return {**data, **changes}


def test_ganzhou_party_affairs_add_a_member_to_their_branch(client, branches, ganzhou_party):
    client.force_login(ganzhou_party)
    response = client.post(reverse("party:member_new"), _data(branches))
    assert response.status_code == 302 and response.url.endswith("?branch=DZ360700")
    member = _new_member()
    assert (member.phone, member.id_number, member.is_cadre) == (
        "13800001111",
        "36070219900101123X",
        True,
    )
    change = ObjectChange.objects.get(object_type__model="member", object_id=str(member.pk))
    assert change.changes["phone"] == [None, "138****1111"]
    assert "13800001111" not in str(change.changes)


def test_a_member_cannot_be_added_to_another_city_s_branch_or_group(
    client, branches, ganzhou_party
):
    client.force_login(ganzhou_party)
    response = client.post(reverse("party:member_new"), _data(branches, branch=branches["jj"].pk))
    assert response.status_code == 400 and "branch" in response.context["form"].errors
    other = _data(branches, group=branches["other_group"].pk)
    response = client.post(reverse("party:member_new"), other)
    assert response.status_code == 400 and "group" in response.context["form"].errors
    assert Member.objects.count() == 1


def test_a_member_s_account_is_one_of_the_branch_s_agency(
    client, branches, ganzhou_party, ganzhou, jiujiang
):
    own = make_user("gz_staff", Role.CITY, city=ganzhou)
    foreign = make_user("jj_staff", Role.CITY, city=jiujiang)
    client.force_login(ganzhou_party)
    form = client.get(reverse("party:member_new")).context["form"]
    offered = set(form.fields["user"].queryset.values_list("username", flat=True))
    assert offered == {"gz_staff", "gz_party"}
    response = client.post(reverse("party:member_new"), _data(branches, user=foreign.pk))
    assert response.status_code == 400 and "user" in response.context["form"].errors
    response = client.post(reverse("party:member_new"), _data(branches, user=own.pk))
    assert _new_member().user == own


def test_editing_shows_the_phone_masked_and_the_mask_keeps_the_stored_value(
    client, branches, ganzhou_party
):
    client.force_login(ganzhou_party)
    member = branches["member"]
    url = reverse("party:member_edit", args=[member.pk])
    html = client.get(url).content.decode()
    assert "139****5678" in html and "3607**********1234" in html
    assert PHONE not in html and ID_NUMBER not in html
    kept = _data(
        branches,
        name="赣州党员甲",
        phone="139****5678",
        id_number="3607**********1234",
        joined_on="2001-07-01",
    )
    response = client.post(url, {**kept, "role": "committee"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.id_number, member.role) == (PHONE, ID_NUMBER, "committee")
    change = ObjectChange.objects.filter(object_id=str(member.pk), action="update").get()
    assert set(change.changes) == {"role", "is_cadre"}


def test_a_guessed_mask_is_refused_and_a_full_value_replaces_the_stored_one(
    client, branches, ganzhou_party
):
    client.force_login(ganzhou_party)
    member = branches["member"]
    url = reverse("party:member_edit", args=[member.pk])
    guessed = _data(branches, name="赣州党员甲", phone="1391***5678", id_number="")
    response = client.post(url, guessed)
    assert response.status_code == 400 and "phone" in response.context["form"].errors
    response = client.post(url, _data(branches, name="赣州党员甲", phone="13987654321"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "13987654321"
    change = ObjectChange.objects.filter(object_id=str(member.pk), action="update").get()
    assert change.changes["phone"] == ["139****5678", "139****4321"]


def test_the_member_list_exports_to_excel_masked_as_on_the_page(client, branches, ganzhou_party):
    from openpyxl import load_workbook

    client.force_login(ganzhou_party)
    response = client.get(reverse("party:member_list"), {"branch": "DZ360700", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == ("赣州党员甲", "党员")
    assert rows[1][5:7] == ("139****5678", "3607**********1234")
    cells = workbook_text(response.content)
    assert PHONE not in cells and ID_NUMBER not in cells and "九江" not in cells


def test_jiujiang_party_affairs_and_a_market_manager_cannot_edit_a_ganzhou_member(
    client, branches, two_roles, market_manager_user
):
    url = reverse("party:member_edit", args=[branches["member"].pk])
    client.force_login(two_roles)
    assert client.get(url).status_code == 404
    assert client.post(url, _data(branches)).status_code == 404
    response = client.get(reverse("party:member_list"), {"branch": "DZ360700", "format": "xlsx"})
    assert response.status_code == 404
    client.force_login(market_manager_user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("party:member_new")).status_code == 403


def _edit(client, member, branches, **changes):
    data = _data(branches, name=member.name, phone=PHONE, id_number=ID_NUMBER, **changes)
    return client.post(reverse("party:member_edit", args=[member.pk]), data)


def test_a_member_who_transfers_out_leaves_the_roll_and_keeps_their_history(
    client, branches, ganzhou_party
):
    from fucai.party.models import Meeting

    member = branches["member"]
    meeting = Meeting.objects.create(
        branch=branches["gz"], meeting_type="committee", held_on=dt.date(2023, 3, 1), topic="支委会"
    )
    meeting.attendees.add(member)
    client.force_login(ganzhou_party)
    response = _edit(client, member, branches, left_on="2023-06-30", left_reason="transferred")
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.left_on, member.left_reason) == (dt.date(2023, 6, 30), "transferred")
    on_roll = Member.objects.filter(branch=branches["gz"])
    assert list(on_roll.on_roll(dt.date(2023, 6, 29))) == [member]
    assert list(on_roll.on_roll(dt.date(2023, 6, 30))) == []
    assert list(client.get(reverse("party:member_list")).context["rows"]) == []
    former = client.get(reverse("party:member_list"), {"former": "1"})
    assert [r["member"] for r in former.context["rows"]] == [member]
    assert "2023-06-30" in former.content.decode() and "转出" in former.content.decode()
    assert list(member.meetings_attended.all()) == [meeting]
    branch_row = client.get(reverse("party:branch_list")).context["branches"].get(code="DZ360700")
    assert branch_row.n_members == 0


def test_leaving_needs_the_day_and_the_reason_and_not_before_joining(
    client, branches, ganzhou_party
):
    client.force_login(ganzhou_party)
    member = branches["member"]
    errors = _edit(client, member, branches, left_on="2023-06-30").context["form"].errors
    assert "left_reason" in errors
    errors = _edit(client, member, branches, left_reason="deceased").context["form"].errors
    assert "left_on" in errors
    early = _edit(client, member, branches, left_on="2000-01-01", left_reason="other")
    assert early.status_code == 400 and "left_on" in early.context["form"].errors
    member.refresh_from_db()
    assert member.left_on is None


def test_a_meeting_s_attendees_must_be_on_the_roll_on_the_day(client, branches, ganzhou_party):
    member = branches["member"]
    Member.objects.filter(pk=member.pk).update(left_on=dt.date.today(), left_reason="transferred")
    client.force_login(ganzhou_party)
    data = {
        "branch": branches["gz"].pk,
        "meeting_type": "committee",
        "topic": "支委会",
        "attendees": [member.pk],
    }
    today = client.post(reverse("party:meeting_new"), {**data, "held_on": dt.date.today()})
    assert today.status_code == 400
    assert "不在支部名册" in str(today.context["form"].errors["attendees"])
    yesterday = dt.date.today() - dt.timedelta(days=1)
    response = client.post(reverse("party:meeting_new"), {**data, "held_on": yesterday})
    assert response.status_code == 302


def test_a_member_entered_by_mistake_is_deleted_but_one_with_history_is_not(
    client, branches, ganzhou_party
):
    from fucai.party.models import Meeting

    client.force_login(ganzhou_party)
    day = dt.date(2020, 1, 1)
    mistake = Member.objects.create(branch=branches["gz"], name="误录", joined_on=day)
    response = client.post(reverse("party:member_delete", args=[mistake.pk]))
    assert response.status_code == 302 and not Member.objects.filter(pk=mistake.pk).exists()
    deletion = ObjectChange.objects.filter(object_type__model="member", object_id=str(mistake.pk))
    assert deletion.filter(action="delete").exists()
    member = branches["member"]
    meeting = Meeting.objects.create(
        branch=branches["gz"], meeting_type="committee", held_on=dt.date(2023, 3, 1), topic="支委会"
    )
    meeting.attendees.add(member)
    refused = client.post(reverse("party:member_delete", args=[member.pk]))
    assert refused.status_code == 409 and Member.objects.filter(pk=member.pk).exists()
    assert "参加会议 1" in refused.content.decode()


def test_jiujiang_party_affairs_cannot_delete_a_ganzhou_member(client, branches, jiujiang):
    client.force_login(make_user("jj_party", Role.PARTY, city=jiujiang))
    response = client.post(reverse("party:member_delete", args=[branches["member"].pk]))
    assert response.status_code == 404 and Member.objects.filter(pk=branches["member"].pk).exists()
