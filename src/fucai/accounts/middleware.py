from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

# Paths a user with a temporary password may still open: everything else leads to the page
# where they choose their own.
_ALLOWED_PREFIXES = ("/api/", "/static/", "/i18n/", "/logout/", "/login/")


class PasswordChangeRequiredMiddleware:
    """A user whose administrator gave them a temporary password must choose their own before
    using any page (the API, with its tokens, is unaffected)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(_ALLOWED_PREFIXES)
        ):
            target = reverse("accounts:password_change")
            if request.path != target:
                return redirect(target)
        return self.get_response(request)
