"""Who sees a branch's members and meetings: Party affairs of the branch's city and of the
province only. A market manager, the provincial centre's editors and 九江's Party affairs see
nothing of 赣州's branch by any path (pages, API, CLI); phones and ID numbers are masked."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from fucai.accounts.choices import Role
from fucai.conftest import make_user
from fucai.party.models import Branch, Meeting, Member

PHONE, ID_NUMBER = "13912345678", "360702198001011234"


@pytest.fixture
def branches(db, ganzhou, jiujiang):
    gz = Branch.objects.create(code="DZ360700", name="赣州测试党支部", city=ganzhou)
    jj = Branch.objects.create(code="DZ360400", name="九江测试党支部", city=jiujiang)
    member = Member.objects.create(
        branch=gz,
        name="赣州党员甲",
        phone=PHONE,
        id_number=ID_NUMBER,
        joined_on=dt.date(2001, 7, 1),
    )
    meeting = Meeting.objects.create(
        branch=gz, meeting_type="committee", held_on=dt.date(2023, 8, 1), topic="赣州支委会议题"
    )
    meeting.attendees.add(member)
    Member.objects.create(branch=jj, name="九江党员乙", joined_on=dt.date(2005, 7, 1))
    return {"gz": gz, "jj": jj, "meeting": meeting}


@pytest.fixture
def ganzhou_party(ganzhou):
    return make_user("gz_party", Role.PARTY, city=ganzhou)


def _get(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs.pop("path", None)), kwargs)


def test_party_affairs_of_ganzhou_see_their_branch_only_with_masked_phones(
    client, branches, ganzhou_party
):
    assert list(Member.objects.restrict(ganzhou_party).values_list("name", flat=True)) == [
        "赣州党员甲"
    ]
    html = _get(client, ganzhou_party, "party:member_list").content.decode()
    assert "赣州党员甲" in html and "139****5678" in html and "3607**********1234" in html
    assert PHONE not in html and ID_NUMBER not in html and "九江党员乙" not in html
    assert _get(client, ganzhou_party, "party:member_list", branch="DZ360400").status_code == 404


def test_the_province_party_affairs_see_both_branches(client, branches, party_user):
    assert Member.objects.restrict(party_user).count() == 2
    html = _get(client, party_user, "party:branch_list").content.decode()
    assert "赣州测试党支部" in html and "九江测试党支部" in html


@pytest.mark.parametrize("who", ["market_manager_user", "province_admin", "ganzhou_user"])
def test_no_one_outside_party_affairs_sees_a_member_by_any_path(client, branches, who, request):
    user = request.getfixturevalue(who)
    assert Member.objects.restrict(user).count() == 0
    assert Meeting.objects.restrict(user).count() == 0
    for name in ("party:home", "party:member_list", "party:meeting_list", "party:compliance"):
        response = _get(client, user, name)
        assert response.status_code == 403, name
        assert "赣州党员甲" not in response.content.decode()
    pk = branches["meeting"].pk
    assert _get(client, user, "party:meeting_detail", path={"pk": pk}).status_code == 403
    client.force_login(user)
    assert client.get("/api/party/compliance", {"year": 2023}).status_code == 403


def test_jiujiang_party_affairs_see_nothing_of_ganzhou_s_branch(client, branches, two_roles):
    assert list(Member.objects.restrict(two_roles).values_list("name", flat=True)) == ["九江党员乙"]
    pk = branches["meeting"].pk
    assert _get(client, two_roles, "party:meeting_detail", path={"pk": pk}).status_code == 404
    html = _get(client, two_roles, "party:member_list").content.decode()
    assert "九江党员乙" in html and "赣州党员甲" not in html
    response = client.get("/api/party/compliance", {"year": 2023, "branch": "DZ360700"})
    assert response.status_code == 404
    out = io.StringIO()
    call_command(
        "party",
        "compliance",
        "--year",
        "2023",
        "--user",
        "two_roles",
        "--format",
        "json",
        stdout=out,
    )
    assert [b["code"] for b in json.loads(out.getvalue())["branches"]] == ["DZ360400"]


def test_a_meeting_recorded_late_needs_a_reason(client, branches, ganzhou_party):
    client.force_login(ganzhou_party)
    data = {
        "branch": branches["gz"].pk,
        "meeting_type": "theme_day",
        "held_on": "2023-01-05",
        "topic": "补录的主题党日",
    }
    response = client.post(reverse("party:meeting_new"), data)
    assert response.status_code == 400
    assert "late_reason" in response.context["form"].errors
    response = client.post(reverse("party:meeting_new"), {**data, "late_reason": "记录遗失补录"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(topic="补录的主题党日")
    assert meeting.is_late and meeting.recorded_by == ganzhou_party


def test_absent_members_are_recorded_with_the_reason(client, branches, ganzhou_party):
    client.force_login(ganzhou_party)
    member = Member.objects.get(branch=branches["gz"])
    data = {
        "branch": branches["gz"].pk,
        "meeting_type": "committee",
        "held_on": dt.date.today().isoformat(),
        "topic": "有缺席的支委会",
        "absent": [member.pk],
    }
    response = client.post(reverse("party:meeting_new"), data)
    assert "absence_reason" in response.context["form"].errors
    both = {**data, "attendees": [member.pk], "absence_reason": "出差"}
    assert "absent" in client.post(reverse("party:meeting_new"), both).context["form"].errors
    response = client.post(reverse("party:meeting_new"), {**data, "absence_reason": "因公出差"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(topic="有缺席的支委会")
    assert [(a.member.name, a.reason) for a in meeting.absences.all()] == [
        ("赣州党员甲", "因公出差")
    ]


def test_the_compliance_page_exports_the_branch_to_excel(client, branches, ganzhou_party):
    query = {"branch": "DZ360700", "year": 2023, "as_of": "2023-09-03"}
    response = _get(client, ganzhou_party, "party:compliance", **query)
    items = {i.type: i for i in response.context["items"]}
    assert (items["committee"].required, items["committee"].held) == (8, 1)
    assert items["committee"].missing_periods[:2] == ["2023-01", "2023-02"]
    xlsx = _get(client, ganzhou_party, "party:compliance", **query, format="xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_party_affairs_get_the_party_menu_and_land_on_what_is_due(client, branches, party_user):
    client.force_login(party_user)
    response = client.get(reverse("party:branch_list"))
    names = [i["name"] for g in response.context["nav_menu"] for i in g["items"]]
    assert [n for n in names if n.startswith("party:")] == [
        "party:home",
        "party:branch_list",
        "party:member_list",
        "party:meeting_list",
        "party:compliance",
        "party:assessment_list",
        "party:vanguard_list",
        "party:pairing_list",
        "party:area_list",
        "party:study_list",
    ]
    assert client.get("/").url == reverse("party:home")
