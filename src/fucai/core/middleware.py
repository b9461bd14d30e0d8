from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

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


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY with every response that has none of its own: the
    browser runs only fucai's script files, so text from data can never become script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class NoStoreMiddleware:
    """Rows from the database stay out of browser and proxy caches: API responses, exports (any
    attachment) and JSON that its view did not mark cacheable get `Cache-Control: no-store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _holds_rows(request, response):
            patch_cache_control(response, no_store=True)
        return response


def _holds_rows(request, response) -> bool:
    if request.path.startswith("/api/"):
        return True
    if response.get("Content-Disposition", "").lower().startswith("attachment"):
        return True
    is_json = response.get("Content-Type", "").startswith("application/json")
    return is_json and not response.has_header("Cache-Control")


class NulRefusedMiddleware:
    """A NUL character in the path or the query string is refused with the 400 page before any
    view sees it: PostgreSQL cannot hold NUL in text, so a lookup with one would be a server error
    (form fields refuse control characters themselves, `fucai.core.bounds.clean_text`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            from fucai.core.errors import bad_request

            return bad_request(request)
        return self.get_response(request)


def _holds_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    return any("\x00" in key or "\x00" in value for key, value in request.GET.items())


class BodyTooLargeMiddleware:
    """A request whose declared body (Content-Length) is larger than the largest upload fucai
    accepts (settings.UPLOAD_MAX_MB, plus 1 MiB for the form around the file) is refused with the
    413 page before its body is read: a 5 GB file is not spooled to disk only to be refused by the
    import form's size check (`fucai.core.bounds`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit_mb = settings.UPLOAD_MAX_MB
        if _declared_length(request) > (limit_mb + 1) * 1024 * 1024:
            from fucai.core.errors import too_large

            return too_large(request, limit_mb)
        return self.get_response(request)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
