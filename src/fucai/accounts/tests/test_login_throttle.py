"""Login throttling (fucai.accounts.throttle): five failed logins in a row lock a user name for
15 minutes, shown on the login page with the time left; an unknown user name behaves exactly like
a real one; a successful login or an administrator's unlock starts afresh; API tokens are
unaffected. Time is moved by patching django.utils.timezone.now."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from fucai.accounts.choices import Role
from fucai.accounts.models import ApiToken, LoginThrottle
from fucai.conftest import make_user
from fucai.core.choices import ChangeAction
from fucai.core.models import ObjectChange

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WRONG = "not-the-password"
RIGHT = "pw-for-tests-1"
INVALID = "用户名或密码不正确，请重试。"


class Clock:
    """django.utils.timezone.now, frozen at a moment the test moves."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock():
    clock = Clock(START)
    with mock.patch.object(timezone, "now", clock):
        yield clock


def _login(username: str, password: str, address: str = "10.0.0.7"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response, client


def _error(response) -> str:
    assert response.status_code == 200, "the login page again, with an error"
    return " ".join(response.context["form"].non_field_errors())


def test_five_failures_lock_the_account_for_fifteen_minutes_even_with_the_right_password(
    clock, ganzhou_user
):
    for _attempt in range(4):
        assert _error(_login("ganzhou_user", WRONG)[0]) == INVALID
    locked = _error(_login("ganzhou_user", WRONG)[0])
    assert locked == "登录失败次数过多，请 15 分钟后再试。"
    response, _client = _login("ganzhou_user", RIGHT)
    assert _error(response) == locked
    clock.advance(minutes=6, seconds=30)
    response, _client = _login("ganzhou_user", RIGHT)
    assert _error(response) == "登录失败次数过多，请 9 分钟后再试。"
    assert "登录失败次数过多，请 9 分钟后再试。" in response.content.decode()
    clock.advance(minutes=8, seconds=31)
    response, client = _login("ganzhou_user", RIGHT)
    assert response.status_code == 302
    assert client.get(reverse("network:station_list")).status_code == 200


def test_an_unknown_user_name_gets_the_same_answers_and_the_same_lockout(clock, ganzhou_user):
    def answers(username: str) -> list[str]:
        return [_error(_login(username, WRONG, "10.0.0.9")[0]) for _attempt in range(6)]

    real, unknown = answers("ganzhou_user"), answers("nobody_here")
    assert real == unknown
    assert real[:4] == [INVALID] * 4
    assert real[4:] == ["登录失败次数过多，请 15 分钟后再试。"] * 2
    keys = LoginThrottle.objects.filter(kind="username", locked_until__gt=clock.now)
    assert sorted(keys.values_list("key", flat=True)) == ["ganzhou_user", "nobody_here"]


def test_the_user_name_is_counted_whatever_its_case(clock, ganzhou_user):
    for username in ("ganzhou_user", "GANZHOU_USER", "Ganzhou_User ", "ganzhou_USER"):
        _login(username, WRONG)
    assert _error(_login("GanZhou_user", WRONG)[0]).startswith("登录失败次数过多")


def test_a_successful_login_starts_the_count_afresh(clock, ganzhou_user):
    for _attempt in range(4):
        _login("ganzhou_user", WRONG)
    assert _login("ganzhou_user", RIGHT)[0].status_code == 302
    for _attempt in range(4):
        assert _error(_login("ganzhou_user", WRONG)[0]) == INVALID


def test_failures_older_than_the_lockout_no_longer_count(clock, ganzhou_user):
    for _attempt in range(4):
        _login("ganzhou_user", WRONG)
    clock.advance(minutes=15)
    for _attempt in range(4):
        assert _error(_login("ganzhou_user", WRONG)[0]) == INVALID


@override_settings(LOGIN_MAX_FAILURES_PER_ADDRESS=8)
def test_one_address_trying_many_user_names_is_locked_too(clock, ganzhou_user):
    for number in range(7):
        assert _error(_login(f"guess{number}", WRONG, "10.9.9.9")[0]) == INVALID
    assert _error(_login("guess7", WRONG, "10.9.9.9")[0]).startswith("登录失败次数过多")
    assert _error(_login("ganzhou_user", RIGHT, "10.9.9.9")[0]).startswith("登录失败次数过多")
    assert _login("ganzhou_user", RIGHT, "10.0.0.1")[0].status_code == 302


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=60)
def test_the_limits_come_from_the_settings(clock, ganzhou_user):
    for _attempt in range(2):
        _login("ganzhou_user", WRONG)
    assert _error(_login("ganzhou_user", WRONG)[0]) == "登录失败次数过多，请 60 分钟后再试。"


def test_an_administrator_unlocks_a_locked_account_from_its_page(clock, ganzhou, ganzhou_user):
    admin = make_user("ganzhou_admin", Role.ADMIN, city=ganzhou)
    for _attempt in range(5):
        _login("ganzhou_user", WRONG)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("accounts:user_detail", args=[ganzhou_user.pk]))
    assert page.context["locked_until"] == START + dt.timedelta(minutes=15)
    assert 'id="unlock"' in page.content.decode()
    response = client.post(reverse("accounts:user_unlock", args=[ganzhou_user.pk]))
    assert response.status_code == 302
    assert _login("ganzhou_user", RIGHT)[0].status_code == 302
    change = ObjectChange.objects.filter(object_id=str(ganzhou_user.pk)).latest("pk")
    assert (change.user, change.action) == (admin, ChangeAction.UPDATE)
    assert change.changes["login lock"][1] is None


def test_api_tokens_are_unaffected_by_a_locked_login(clock, ganzhou_user):
    _token, key = ApiToken.issue(ganzhou_user, "bi")
    for _attempt in range(5):
        _login("ganzhou_user", WRONG)
    response = Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_a_login_posted_without_a_user_name_is_refused_not_a_server_error(client, db):
    response = client.post("/login/", {"password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
