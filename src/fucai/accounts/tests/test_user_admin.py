"""City agencies manage their own people (/accounts/users/): a 赣州 user administrator creates
赣州 accounts and gives them roles inside 赣州, never more than they hold (fucai.accounts.grants),
and every change lands in the audit trail for administrators only."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fucai.accounts.choices import Role
from fucai.accounts.grants import check_assignment, may_assign
from fucai.accounts.models import ApiToken, RoleAssignment, User
from fucai.conftest import make_user
from fucai.core.models import ObjectChange
from fucai.core.navigation import menu_for
from fucai.network.models import MarketManager

pytestmark = pytest.mark.django_db


@pytest.fixture
def ganzhou_admin(ganzhou):
    """Like the demo's `ganzhou`: the 赣州 agency, its user administrator and Party secretary."""
    return make_user("ganzhou_admin", Role.CITY, Role.ADMIN, Role.PARTY, city=ganzhou)


@pytest.fixture
def jiujiang_manager(jiujiang):
    return MarketManager.objects.create(employee_code="JJ001", name="测试管理员丙", city=jiujiang)


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _create(client, username: str, city) -> User:
    response = client.post(
        reverse("accounts:user_create"),
        {"username": username, "last_name": "测", "first_name": "试", "city": city.pk},
    )
    assert response.status_code == 200, response.content.decode()
    return User.objects.get(username=username)


def _give(client, user, **fields):
    return client.post(reverse("accounts:role_add", args=[user.pk]), fields)


def _errors(response) -> str:
    form = response.context["role_form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _page_text(response) -> str:
    return response.content.decode()


# --- creating a user and giving roles -------------------------------------------------------


def test_a_ganzhou_admin_creates_a_user_who_then_sees_ganzhou_stations_only(
    network, ganzhou, ganzhou_admin
):
    admin = _as(ganzhou_admin)
    response = admin.post(
        reverse("accounts:user_create"),
        {"username": "gz_staff", "last_name": "赖", "first_name": "小红", "city": ganzhou.pk},
    )
    assert response.status_code == 200
    password = response.context["password"]
    assert len(password) == 14 and password in _page_text(response)
    user = User.objects.get(username="gz_staff")
    assert user.city == ganzhou and user.check_password(password) and user.must_change_password
    assert _give(admin, user, role=Role.CITY, city=ganzhou.pk).status_code == 302
    assert _give(admin, user, role=Role.PARTY, city=ganzhou.pk).status_code == 302
    assignments = RoleAssignment.objects.filter(user=user)
    assert sorted(assignments.values_list("role", "city__code")) == [
        ("city", "360700"),
        ("party", "360700"),
    ]
    assert {a.granted_by for a in assignments} == {ganzhou_admin}
    user = User.objects.get(pk=user.pk)
    codes = set(user.grant.view.cities)
    assert codes == {ganzhou.pk}
    response = _as(user).get(reverse("network:station_list"))
    assert response.status_code == 302  # a temporary password: choose one's own first
    assert response["Location"] == reverse("accounts:password_change")
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    response = _as(User.objects.get(pk=user.pk)).get(reverse("network:station_list"))
    shown = sorted(row.record.code for row in response.context["table"].paginated_rows)
    assert shown == ["36110001", "36110002", "36110214"]


def test_a_temporary_password_must_be_replaced_by_one_that_passes_the_validators(
    ganzhou, ganzhou_admin
):
    user = _create(_as(ganzhou_admin), "gz_new", ganzhou)
    reset = _as(ganzhou_admin).post(reverse("accounts:user_reset_password", args=[user.pk]))
    password = reset.context["password"]
    assert "no-store" in reset["Cache-Control"]
    client = Client()
    assert client.login(username="gz_new", password=password)
    weak = {"old_password": password, "new_password1": "12345678", "new_password2": "12345678"}
    response = client.post(reverse("accounts:password_change"), weak)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "至少包含 10 个字符" in errors and "太常见" in errors and "只包含数字" in errors
    good = {**weak, "new_password1": "Gannan-orange-26", "new_password2": "Gannan-orange-26"}
    response = client.post(reverse("accounts:password_change"), good)
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Gannan-orange-26")
    assert client.get(reverse("network:station_list")).status_code == 200


def test_the_password_validators_refuse_12345678_and_accept_the_demo_password():
    with pytest.raises(ValidationError) as refused:
        validate_password("12345678")
    assert {e.code for e in refused.value.error_list} == {
        "password_too_short",
        "password_too_common",
        "password_entirely_numeric",
    }
    validate_password("fucai-demo")  # 10 characters: the demo keeps working


def test_a_user_administrator_cannot_create_an_account_of_another_agency(ganzhou_admin, jiujiang):
    response = _as(ganzhou_admin).post(
        reverse("accounts:user_create"), {"username": "jj_staff", "city": jiujiang.pk}
    )
    assert response.status_code == 400
    assert "city" in response.context["form"].errors
    assert not User.objects.filter(username="jj_staff").exists()


# --- nobody grants more than they hold ------------------------------------------------------


def _assignment(user, role, **anchors) -> RoleAssignment:
    return RoleAssignment(user=user, role=role, **anchors)


def test_the_rule_refuses_every_role_beyond_a_city_administrators_reach(
    network, ganzhou, jiujiang, ganzhou_admin, jiujiang_manager
):
    staff = make_user("gz_staff", city=ganzhou)
    refused = {
        "九江 city role": _assignment(staff, Role.CITY, city=jiujiang),
        "the provincial role": _assignment(staff, Role.PROVINCE),
        "a 九江 market manager": _assignment(staff, Role.MANAGER, market_manager=jiujiang_manager),
        "administrator of the province": _assignment(staff, Role.ADMIN),
        "Party affairs of the province": _assignment(staff, Role.PARTY),
        "赣州's own welfare officer": _assignment(staff, Role.WELFARE, city=ganzhou),
    }
    messages = {}
    for what, assignment in refused.items():
        assert not may_assign(ganzhou_admin, assignment), what
        with pytest.raises(ValidationError) as error:
            check_assignment(ganzhou_admin, assignment)
        messages[what] = error.value.messages[0]
    assert messages["九江 city role"] == "九江市不在您管理用户的城市范围内。"
    assert messages["a 九江 market manager"] == "测试管理员丙 (JJ001)不在您管理用户的城市范围内。"
    assert (
        messages["the provincial role"] == "只有省级用户管理员可以分配全省范围的“省福彩中心”角色。"
    )
    assert messages["administrator of the province"] == (
        "只有省级用户管理员可以分配全省范围的“用户管理员”角色。"
    )
    assert messages["赣州's own welfare officer"] == (
        "只有省级用户管理员可以分配“公益事务”角色：该角色可查看公益金受助对象的完整信息。"
    )
    allowed = [
        _assignment(staff, Role.CITY, city=ganzhou),
        _assignment(staff, Role.CITY, city=ganzhou, county=network["stations"]["xingguo"].county),
        _assignment(staff, Role.MANAGER, market_manager=network["manager"]),
        _assignment(staff, Role.OWNER, station_owner=network["veteran"]),
        _assignment(staff, Role.ADMIN, city=ganzhou),
    ]
    assert all(may_assign(ganzhou_admin, a) for a in allowed)


def test_a_provincial_administrator_may_assign_anything(province_admin, jiujiang):
    admin = make_user("prov_admin", Role.ADMIN)
    staff = make_user("jj_staff", city=jiujiang)
    assert may_assign(admin, _assignment(staff, Role.PROVINCE))
    assert may_assign(admin, _assignment(staff, Role.ADMIN))
    assert may_assign(admin, _assignment(staff, Role.CITY, city=jiujiang))
    assert may_assign(admin, _assignment(staff, Role.WELFARE, city=jiujiang))


@pytest.mark.parametrize(
    "forged",
    [
        {"role": Role.CITY, "city": "jiujiang"},
        {"role": Role.PROVINCE},
        {"role": Role.MANAGER, "market_manager": "jiujiang_manager"},
        {"role": Role.ADMIN},
        {"role": Role.ADMIN, "city": ""},
    ],
    ids=["jiujiang-city", "province", "jiujiang-manager", "province-admin", "province-admin-blank"],
)
def test_a_forged_post_beyond_the_admins_reach_is_refused_with_a_message(
    ganzhou, jiujiang, ganzhou_admin, jiujiang_manager, forged
):
    staff = make_user("gz_staff", city=ganzhou)
    values = {"jiujiang": jiujiang.pk, "jiujiang_manager": jiujiang_manager.pk}
    data = {k: values.get(v, v) for k, v in forged.items()}
    response = _give(_as(ganzhou_admin), staff, **data)
    assert response.status_code == 400
    assert _errors(response)
    assert not RoleAssignment.objects.filter(user=staff).exists()


def test_the_role_form_offers_only_what_the_admin_holds(network, ganzhou, ganzhou_admin):
    staff = make_user("gz_staff", city=ganzhou)
    response = _as(ganzhou_admin).get(reverse("accounts:user_detail", args=[staff.pk]))
    form = response.context["role_form"]
    assert Role.PROVINCE not in dict(form.fields["role"].choices)
    assert Role.WELFARE not in dict(form.fields["role"].choices)  # the province gives it
    assert list(form.fields["city"].queryset.values_list("code", flat=True)) == ["360700"]
    assert list(form.fields["market_manager"].queryset) == [network["manager"]]


def test_an_owner_is_given_by_the_code_of_their_station(network, ganzhou, ganzhou_admin):
    staff = make_user("gz_owner", city=ganzhou)
    admin = _as(ganzhou_admin)
    response = _give(admin, staff, role=Role.OWNER, station_owner="36040001")
    assert response.status_code == 400  # a 九江 station: as if it did not exist
    assert "没有此编号且有业主的站点" in _errors(response)
    assert _give(admin, staff, role=Role.OWNER, station_owner="36110214").status_code == 302
    assert RoleAssignment.objects.get(user=staff).station_owner == network["veteran"]


def test_an_admin_cannot_change_their_own_roles(ganzhou, ganzhou_admin):
    admin = _as(ganzhou_admin)
    page = admin.get(reverse("accounts:user_detail", args=[ganzhou_admin.pk]))
    assert page.status_code == 200 and page.context["role_form"] is None
    response = _give(admin, ganzhou_admin, role=Role.CITY, city=ganzhou.pk)
    assert response.status_code == 400
    assert _errors(response) == "您不能更改自己的角色。"
    party = ganzhou_admin.role_assignments.get(role=Role.PARTY)
    response = admin.post(reverse("accounts:role_remove", args=[ganzhou_admin.pk, party.pk]))
    assert response.status_code == 302
    assert ganzhou_admin.role_assignments.count() == 3
    assert "您不能更改自己的角色。" in _page_text(admin.get(response["Location"]))


def test_an_admin_cannot_deactivate_themselves(ganzhou_admin):
    response = _as(ganzhou_admin).post(
        reverse("accounts:user_set_active", args=[ganzhou_admin.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    ganzhou_admin.refresh_from_db()
    assert ganzhou_admin.is_active


def test_an_account_holding_more_than_the_admin_cannot_be_taken_over(ganzhou, ganzhou_admin):
    """Resetting the password of a 赣州 account that is also the province's administrator would
    hand the province to the 赣州 administrator."""
    strong = make_user("gz_strong", (Role.ADMIN, {"city": None}), city=ganzhou)
    admin = _as(ganzhou_admin)
    page = admin.get(reverse("accounts:user_detail", args=[strong.pk]))
    assert page.status_code == 200 and page.context["form"] is None
    assert "请联系省中心" in page.context["refusal"]
    for name in ("user_reset_password", "user_set_active", "user_edit"):
        assert admin.post(reverse(f"accounts:{name}", args=[strong.pk])).status_code == 403
    strong.refresh_from_db()
    assert strong.is_active and strong.check_password("pw-for-tests-1")


# --- another city's accounts ------------------------------------------------------------------


def test_a_jiujiang_user_is_a_404_for_the_ganzhou_admin_like_a_missing_one(
    ganzhou_admin, jiujiang_user
):
    admin = _as(ganzhou_admin)
    missing = User.objects.order_by("-pk").first().pk + 100
    for pk in (jiujiang_user.pk, missing):
        assert admin.get(reverse("accounts:user_detail", args=[pk])).status_code == 404
        for name in ("user_edit", "user_set_active", "user_reset_password", "role_add"):
            assert admin.post(reverse(f"accounts:{name}", args=[pk])).status_code == 404
    jiujiang_user.refresh_from_db()
    assert jiujiang_user.is_active


def test_the_list_and_its_export_show_the_admins_agency_only(
    ganzhou, ganzhou_admin, ganzhou_user, jiujiang_user, province_admin
):
    admin = _as(ganzhou_admin)
    response = admin.get(reverse("accounts:user_list"))
    names = [row.record.username for row in response.context["table"].paginated_rows]
    assert names == ["ganzhou_admin", "ganzhou_user"]
    response = admin.get(reverse("accounts:user_list"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    assert rows[0][:5] == ("用户名", "姓名", "电子邮箱", "所属机构", "角色")
    assert [r[0] for r in rows[1:]] == ["ganzhou_admin", "ganzhou_user"]
    assert rows[2][4] == "市级福彩机构 · 赣州市" and rows[2][5] == "启用"


def test_the_list_filters_by_text_status_and_role(ganzhou, ganzhou_admin, ganzhou_user):
    make_user("gz_party", Role.PARTY, city=ganzhou)
    User.objects.filter(username="ganzhou_user").update(is_active=False)
    admin = _as(ganzhou_admin)

    def names(**query):
        response = admin.get(reverse("accounts:user_list"), query)
        return [row.record.username for row in response.context["table"].paginated_rows]

    assert names(q="gz_") == ["gz_party"]
    assert names(status="inactive") == ["ganzhou_user"]
    assert names(role=Role.PARTY) == ["ganzhou_admin", "gz_party"]
    assert names(role=Role.ADMIN) == ["ganzhou_admin"]


def test_users_pages_and_menu_entry_are_for_user_administrators_only(
    ganzhou_admin, ganzhou_user, party_user
):
    for user in (ganzhou_user, party_user):
        assert _as(user).get(reverse("accounts:user_list")).status_code == 403
        items = [i["name"] for g in menu_for(user) for i in g["items"]]
        assert "accounts:user_list" not in items
    items = [i["name"] for g in menu_for(ganzhou_admin) for i in g["items"]]
    assert "accounts:user_list" in items


# --- deactivation -----------------------------------------------------------------------------


def test_deactivating_a_user_stops_their_login_session_and_api_token(ganzhou_admin, ganzhou_user):
    _token, key = ApiToken.issue(ganzhou_user, "bi")
    session = _as(ganzhou_user)
    assert session.get(reverse("network:station_list")).status_code == 200
    response = _as(ganzhou_admin).post(
        reverse("accounts:user_set_active", args=[ganzhou_user.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    ganzhou_user.refresh_from_db()
    assert not ganzhou_user.is_active and User.objects.filter(pk=ganzhou_user.pk).exists()
    assert session.get(reverse("network:station_list")).status_code == 302
    assert not Client().login(username="ganzhou_user", password="pw-for-tests-1")
    headers = {"Authorization": f"Bearer {key}"}
    assert Client().get("/api/accounts/me", headers=headers).status_code == 401
    _as(ganzhou_admin).post(
        reverse("accounts:user_set_active", args=[ganzhou_user.pk]), {"active": "1"}
    )
    assert Client().get("/api/accounts/me", headers=headers).status_code == 200


# --- audit ------------------------------------------------------------------------------------


def test_account_changes_are_in_the_audit_trail_for_the_admin_and_not_for_party_affairs(
    ganzhou, ganzhou_admin, party_user
):
    admin = _as(ganzhou_admin)
    user = _create(admin, "gz_audited", ganzhou)
    _give(admin, user, role=Role.CITY, city=ganzhou.pk)
    admin.post(reverse("accounts:user_set_active", args=[user.pk]), {"active": "0"})
    user_type = ContentType.objects.get_for_model(User)
    role_type = ContentType.objects.get_for_model(RoleAssignment)
    recorded = ObjectChange.objects.filter(
        object_type__in=[user_type, role_type], user=ganzhou_admin
    )
    assert sorted(recorded.values_list("object_type__model", "action")) == [
        ("roleassignment", "create"),
        ("user", "create"),
        ("user", "update"),
    ]
    deactivation = recorded.get(action="update")
    assert deactivation.changes == {"is_active": [True, False]}
    assert "password" not in recorded.get(object_type=user_type, action="create").changes

    def audit_objects(client) -> list[str]:
        response = client.get(reverse("core:audit"), {"object_repr": "gz_audited"})
        return sorted(row.record.object_repr for row in response.context["table"].paginated_rows)

    assert audit_objects(admin) == ["gz_audited", "gz_audited"]
    assert audit_objects(_as(party_user)) == []
    by_admin = {"object_type": role_type.pk, "user_name": "ganzhou_admin"}
    roles = admin.get(reverse("core:audit"), by_admin)
    assert [r.record.object_repr for r in roles.context["table"].paginated_rows] == [
        "市级福彩机构 · 赣州市"
    ]
    roles = _as(party_user).get(reverse("core:audit"), by_admin)
    assert list(roles.context["table"].paginated_rows) == []
