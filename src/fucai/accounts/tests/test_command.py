"""`fucai accounts token create|list|revoke` (accounts/management/commands/accounts.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from fucai.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("accounts", "token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_token_created_with_an_expiry_works_through_its_whole_last_day(ganzhou_user):
    last_day = timezone.localdate() + dt.timedelta(days=30)
    key, note = _run("create", "ganzhou_user", "bi-export", "--expires", last_day.isoformat())
    token = ApiToken.objects.get(user=ganzhou_user, name="bi-export")
    assert token.expires == dt.datetime.combine(
        last_day + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI
    )
    assert f"valid until {last_day}" in note
    assert ApiToken.objects.user_for_key(key.strip()) == ganzhou_user


def test_no_token_is_created_for_an_inactive_user(ganzhou_user):
    ganzhou_user.is_active = False
    ganzhou_user.save()
    with pytest.raises(CommandError, match="'ganzhou_user' is inactive"):
        _run("create", "ganzhou_user", "ci")
    assert not ApiToken.objects.exists()


def test_an_expiry_that_is_not_a_date_is_refused_naming_it(ganzhou_user):
    with pytest.raises(
        CommandError, match=re.escape("--expires '31.12.2030' is not a date; use YYYY-MM-DD.")
    ):
        _run("create", "ganzhou_user", "ci", "--expires", "31.12.2030")


def test_the_list_shows_every_users_tokens_their_state_and_never_a_key(ganzhou_user, jiujiang_user):
    _token, ganzhou_key = ApiToken.issue(ganzhou_user, "bi-export")
    old, jiujiang_key = ApiToken.issue(jiujiang_user, "old-script")
    ApiToken.objects.filter(pk=old.pk).update(
        expires=dt.datetime(2023, 9, 3, 12, 0, tzinfo=SHANGHAI),
        last_used=dt.datetime(2023, 9, 1, 8, 30, tzinfo=SHANGHAI),
    )
    out, _err = _run("list")
    lines = out.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        ["ganzhou_user", "bi-export"],
        ["jiujiang_user", "old-script"],
    ]
    assert lines[0].split("\t")[3:] == [
        "valid",
        f"created {timezone.localdate():%Y-%m-%d}",
        "last used never",
        "expires never",
    ]
    assert lines[1].split("\t")[3:6:2] == ["expired", "last used 2023-09-01 08:30"]
    assert lines[1].endswith("expires 2023-09-03 12:00")
    assert ganzhou_key not in out and jiujiang_key not in out
    assert _run("list", "jiujiang_user")[0] == lines[1] + "\n"


def test_revoking_a_token_that_does_not_exist_says_so(ganzhou_user):
    ApiToken.issue(ganzhou_user, "ci")
    with pytest.raises(CommandError, match="'ganzhou_user' has no token named 'bi'"):
        _run("revoke", "ganzhou_user", "bi")
    assert ApiToken.objects.count() == 1
