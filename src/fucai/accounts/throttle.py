"""Login throttling: failed logins are counted per user name and per client address, in the
database (fucai.accounts.models.LoginThrottle). A user name that failed LOGIN_MAX_FAILURES times
in a row (an address: LOGIN_MAX_FAILURES_PER_ADDRESS) is locked for LOGIN_LOCKOUT_MINUTES; while
locked, no password is even checked. A name is counted whether or not the account exists, so the
answer never tells which user names exist. A successful login clears its name's count; a user
administrator may unlock a name early. Failures older than the lockout no longer count.

Only the login page goes through here: API tokens are unaffected."""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fucai.accounts.models import LoginThrottle
from fucai.core.signals import state_changed

USERNAME, ADDRESS = LoginThrottle.Kind.USERNAME, LoginThrottle.Kind.ADDRESS


def lockout() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _limit(kind: str) -> int:
    if kind == ADDRESS:
        return settings.LOGIN_MAX_FAILURES_PER_ADDRESS
    return settings.LOGIN_MAX_FAILURES


def _keys(username: str | None, address: str | None) -> list[tuple[str, str]]:
    keys = []
    if username:
        keys.append((USERNAME, normalise(username)))
    if address:
        keys.append((ADDRESS, address))
    return keys


def normalise(username: str | None) -> str:
    """The key a user name is counted under (a form posted without one counts as "")."""
    return (username or "").strip().lower()[:150]


def locked_until(username: str | None, address: str | None, now: dt.datetime | None = None):
    """When the lock on this user name or address ends, or None if neither is locked."""
    now = now or timezone.now()
    ends = [
        row.locked_until
        for kind, key in _keys(username, address)
        for row in LoginThrottle.objects.filter(kind=kind, key=key, locked_until__gt=now)
    ]
    return max(ends) if ends else None


def record_failure(username: str | None, address: str | None, now: dt.datetime | None = None):
    """Count one failed login; return when the lock ends if this failure locked a key."""
    now = now or timezone.now()
    ends = []
    with transaction.atomic():
        for kind, key in _keys(username, address):
            row, _created = LoginThrottle.objects.select_for_update().get_or_create(
                kind=kind, key=key
            )
            if row.last_failure is None or now - row.last_failure >= lockout():
                row.failures = 0  # an old run of failures no longer counts
            row.failures += 1
            row.last_failure = now
            if row.failures >= _limit(kind):
                row.locked_until, row.failures = now + lockout(), 0
                ends.append(row.locked_until)
            row.save()
    return max(ends) if ends else None


def clear(username: str) -> None:
    """A successful login, or an administrator's unlock: the name starts afresh."""
    LoginThrottle.objects.filter(kind=USERNAME, key=normalise(username)).delete()


def unlock(user) -> None:
    """A user administrator lifts the lock on `user`'s name early; the user's trail says so."""
    until = locked_until(user.username, None)
    clear(user.username)
    if until is not None:
        state_changed.send(
            sender=type(user),
            instance=user,
            what="login lock",
            before=until.isoformat(),
            after=None,
        )


def lock_message(until: dt.datetime, now: dt.datetime | None = None) -> str:
    """ "Too many failed logins, try again in N minutes" (N rounded up, at least 1)."""
    now = now or timezone.now()
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return _("Too many failed logins. Please try again in %(minutes)s minutes.") % {
        "minutes": minutes
    }


def client_address(request) -> str | None:
    """The client's address as the web server sees it (no proxy header is trusted)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
