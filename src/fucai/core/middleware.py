from __future__ import annotations

from fucai.core.context import acting_as


class CurrentUserMiddleware:
    """Makes the request's user the actor of every change made while handling it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        user = request.user if request.user.is_authenticated else None
        with acting_as(user, source):
            return self.get_response(request)
