from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user picked another language with the switcher (the language
    cookie set by /i18n/setlang/). The browser's Accept-Language is ignored: an English browser
    in a lottery centre still gets the Chinese UI first."""

    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
