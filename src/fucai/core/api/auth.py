"""Who is calling the API: every endpoint gets its user from `auth_user(request)`. How callers
authenticate (a session, an API token) is the accounts app's (fucai.accounts.api.auth)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from fucai.core.context import acting_as

if TYPE_CHECKING:
    from fucai.accounts.models import User

API_SOURCE = "api"


def auth_user(request: HttpRequest) -> User:
    """The authenticated user of an API request: the one helper endpoints take their user from."""
    return request.auth


def act_as_api_user(func):
    """Makes the API user the actor of every change an endpoint writes (audit source "api")."""

    @functools.wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
        with acting_as(auth_user(request), API_SOURCE):
            return func(request, *args, **kwargs)

    return wrapper
