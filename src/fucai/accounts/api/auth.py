"""How the API knows who is calling: a Django session (with CSRF) or an API token
(`Authorization: Bearer <key>`, see `fucai accounts token create`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

if TYPE_CHECKING:
    from fucai.accounts.models import User


class TokenAuth(HttpBearer):
    """`Authorization: Bearer fucai_…`: a key created with `fucai accounts token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        from fucai.accounts.models import ApiToken

        user = ApiToken.objects.user_for_key(token.strip())
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session. Unsafe methods must carry the CSRF token (X-CSRFToken)."""

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Only a logged-in session is checked for CSRF: a caller without one gets 401, not 403.
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(
                403, _("CSRF check failed: send the csrftoken cookie's value as X-CSRFToken.")
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if user.is_authenticated and user.is_active else None
