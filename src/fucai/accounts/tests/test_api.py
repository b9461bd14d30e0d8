"""The accounts router of the API: `/api/accounts/me`, the caller and their scope."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from django.test import Client

from fucai.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def _me(user, language: str | None = None) -> dict:
    _token, key = ApiToken.issue(user, f"me-{next(_serial)}")
    client = Client()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.content
    return response.json()


def _scope(me: dict) -> tuple:
    return me["username"], me["scope"], me["city"], me["can_edit"]


def test_a_province_user_sees_the_whole_province_and_may_edit(province_admin):
    assert _scope(_me(province_admin)) == ("province_admin", "全省", None, True)
    assert _me(province_admin, "en")["scope"] == "Whole province"


def test_a_city_agency_sees_its_city_and_may_edit(ganzhou_user, jiujiang_user):
    assert _scope(_me(ganzhou_user)) == ("ganzhou_user", "赣州市", "360700", True)
    assert _scope(_me(jiujiang_user)) == ("jiujiang_user", "九江市", "360400", True)


def test_a_market_manager_and_an_owner_see_their_own_part_and_may_not_edit(
    market_manager_user, owner_user
):
    assert _scope(_me(market_manager_user)) == ("manager_user", "测试管理员乙 (GZ001)", None, False)
    assert _scope(_me(owner_user)) == ("owner_user", "测试业主甲", None, False)


def test_me_is_refused_without_credentials_and_to_an_inactive_session(ganzhou_user):
    assert Client().get("/api/accounts/me").status_code == 401
    client = Client()
    client.force_login(ganzhou_user)
    assert client.get("/api/accounts/me").json()["username"] == "ganzhou_user"
    ganzhou_user.is_active = False
    ganzhou_user.save()
    assert client.get("/api/accounts/me").status_code == 401
