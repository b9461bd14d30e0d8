"""API tokens (fucai.accounts.models.token): issued once in clear, stored as a hash, refused when
expired or when their user is inactive, last use noted at most once a minute."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from fucai.accounts.models import ApiToken
from fucai.accounts.models.token import LAST_USED_RESOLUTION

pytestmark = pytest.mark.django_db


def _me(key: str):
    return Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"})


def test_an_issued_key_is_shown_once_and_only_its_sha256_is_stored(ganzhou_user):
    token, key = ApiToken.issue(ganzhou_user, "bi-export")
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert key.startswith("fucai_") and len(key) == 6 + 43  # 32 random bytes, URL-safe base64
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert stored["prefix"] == key[:12]
    assert key not in {str(value) for value in stored.values()}
    assert str(token) == f"bi-export ({key[:12]}…)"


def test_two_tokens_of_one_user_have_different_keys(ganzhou_user):
    _first, key_one = ApiToken.issue(ganzhou_user, "one")
    _second, key_two = ApiToken.issue(ganzhou_user, "two")
    assert key_one != key_two
    assert ApiToken.objects.user_for_key(key_one) == ganzhou_user
    assert ApiToken.objects.user_for_key(key_two) == ganzhou_user


@pytest.mark.parametrize("key", ["", "fucai_", "not-a-fucai-key", "fucai_guessed0000000000"])
def test_a_key_that_was_not_issued_finds_nobody(ganzhou_user, key):
    ApiToken.issue(ganzhou_user, "real")
    assert ApiToken.objects.user_for_key(key) is None


def test_a_token_works_until_it_expires(ganzhou_user):
    now = timezone.now()
    token, key = ApiToken.issue(ganzhou_user, "ci", expires=now + dt.timedelta(hours=1))
    assert not token.is_expired
    assert _me(key).json()["scope"] == "赣州市"
    ApiToken.objects.filter(pk=token.pk).update(expires=now - dt.timedelta(seconds=1))
    token.refresh_from_db()
    assert token.is_expired
    assert ApiToken.objects.valid().count() == 0
    assert _me(key).status_code == 401


def test_an_inactive_users_tokens_are_not_valid(ganzhou_user, jiujiang_user):
    ApiToken.issue(ganzhou_user, "ci")
    ApiToken.issue(jiujiang_user, "ci")
    ganzhou_user.is_active = False
    ganzhou_user.save()
    assert [t.user.username for t in ApiToken.objects.valid()] == ["jiujiang_user"]


def test_last_use_is_written_at_most_once_a_minute(ganzhou_user):
    token, key = ApiToken.issue(ganzhou_user, "script")
    a_moment_ago = timezone.now() - LAST_USED_RESOLUTION / 2
    ApiToken.objects.filter(pk=token.pk).update(last_used=a_moment_ago)
    assert _me(key).status_code == 200
    token.refresh_from_db()
    assert token.last_used == a_moment_ago  # within the resolution: not written again

    a_while_ago = timezone.now() - LAST_USED_RESOLUTION * 2
    ApiToken.objects.filter(pk=token.pk).update(last_used=a_while_ago)
    assert _me(key).status_code == 200
    token.refresh_from_db()
    assert token.last_used > a_while_ago + LAST_USED_RESOLUTION


def test_deleting_a_user_deletes_their_tokens(ganzhou_user):
    _token, key = ApiToken.issue(ganzhou_user, "ci")
    ganzhou_user.delete()
    assert not ApiToken.objects.exists()
    assert ApiToken.objects.user_for_key(key) is None
