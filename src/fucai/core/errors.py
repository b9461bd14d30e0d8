"""The error pages (400, 403, 404, 500, CSRF failure): inside the app's shell, in the user's
language, with the reason and a way back; JSON `{"detail": …}` under /api/. Wired in
`fucai/urls.py` (handler400…500) and `settings.CSRF_FAILURE_VIEW`.

A 404 never says why: a record outside the user's scope gets the same page as one that does not
exist. The 500 page is rendered without the request's context processors and without the database
(either may be what failed), and falls back to a fixed text if even that template fails.
A refused request (4xx) is logged on one line, without a traceback (`ClientErrorsOnOneLine`)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
SHELL_TEMPLATE = "errors/error.html"
MINIMAL_TEMPLATE = "errors/500.html"
# What the browser shows if even the minimal template cannot be rendered.
LAST_RESORT = (
    '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>500</title></head>'
    "<body><h1>服务器错误 · Server error</h1><p>请稍后重试。Please try again later.</p>"
    '<p><a href="/">返回首页 · Home</a></p></body></html>'
)


def error_texts(status: int) -> tuple[str, str]:
    """The page title and the generic reason for a status, in the active language."""
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Check the address or the form and try again."),
        ),
        403: (_("Access denied"), _("You do not have permission to open this page.")),
        413: (
            _("File too large"),
            _(
                "The upload is larger than the server accepts. "
                "Split the file or ask your administrator."
            ),
        ),
        404: (
            _("Page not found"),
            _("The page or record you asked for does not exist, or is not in your scope."),
        ),
        500: (
            _("Server error"),
            _(
                "Something went wrong on our side. The error has been logged; "
                "please try again later or tell your administrator."
            ),
        ),
    }[status]


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


def too_large(request: HttpRequest, limit_mb: int) -> HttpResponse:
    """413: the request's body is larger than any upload fucai accepts (refused unread)."""
    reason = _(
        "The upload is larger than %(limit)s MB, the most the server accepts "
        "(FUCAI_UPLOAD_MAX_MB). Split the file or ask your administrator."
    ) % {"limit": limit_mb}
    return _error(request, 413, reason=reason)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 with the reason the code gave (`PermissionDenied(_("…"))`), or a generic one."""
    reason = str(exception) if exception is not None and exception.args else ""
    return _error(request, 403, reason=reason)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The exception's message is never shown: it could tell an out-of-scope record from none.
    return _error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    title, reason = error_texts(500)
    if _is_api(request):
        return _json(500, reason)
    return _minimal(500, title, reason)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form's page was open too long (or came from elsewhere). Django's
    technical `reason` goes to the log (django.security.csrf), not to the user."""
    return _error(
        request,
        403,
        title=_("Page expired"),
        reason=_("This page has expired. Go back, reload the page and try again."),
    )


def _error(request: HttpRequest, status: int, *, title: str = "", reason: str = "") -> HttpResponse:
    default_title, default_reason = error_texts(status)
    title, reason = title or default_title, reason or default_reason
    if _is_api(request):
        return _json(status, reason)
    if not hasattr(request, "user"):  # refused before AuthenticationMiddleware ran (a bad Host)
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
    from django.shortcuts import render
    from django.urls import reverse

    signed_in = request.user.is_authenticated
    context = {
        "status": status,
        "title": title,
        "reason": reason,
        "back_url": _back_url(request),
        "home_url": reverse("core:home") if signed_in else "",
        "login_url": "" if signed_in else _login_url(request),
    }

    try:
        return render(request, SHELL_TEMPLATE, context, status=status)
    except Exception:
        logger.exception("The %s page could not be rendered in the shell", status)
        return _minimal(status, title, reason)


def _minimal(status: int, title: str, reason: str) -> HttpResponse:
    """The page without the shell: no request context, no navigation, no database."""
    from django.template import loader
    from django.utils import translation

    try:
        context = {"status": status, "title": title, "reason": reason, "home_url": "/"}
        html = loader.get_template(MINIMAL_TEMPLATE).render(context)
    except Exception:
        logger.exception("The minimal %s page could not be rendered", status)
        html = LAST_RESORT
    response = HttpResponse(html, status=status)
    response["Content-Language"] = translation.get_language() or "zh-hans"
    return response


def _json(status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _back_url(request: HttpRequest) -> str:
    """The page the user came from, if it is one of ours (the Referer, checked like `next`)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: nothing of ours to go back to
        return ""
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return ""
    return referer


def _login_url(request: HttpRequest) -> str:
    """The login page, coming back here afterwards when here is a page one can open again."""
    from django.conf import settings
    from django.contrib.auth import REDIRECT_FIELD_NAME
    from django.shortcuts import resolve_url
    from django.utils.http import urlencode

    url = resolve_url(settings.LOGIN_URL)
    if request.method != "GET":
        return url
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"


class ClientErrorsOnOneLine(logging.Filter):
    """A refused request (4xx: permission denied, bad request, a suspicious Host) is logged as one
    line with its reason, not with a traceback: it is a user's mistake or a probe, not a bug.
    Server errors (5xx) keep their traceback. Used on django.request and the console handler
    (settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None or status >= 500 or not record.exc_info:
            return True
        parts = [record.getMessage()]
        reason = str(record.exc_info[1] or "")
        request = getattr(record, "request", None)
        for part in (reason, getattr(request, "path", "")):
            if part and part not in parts[0]:
                parts.append(part)
        record.msg, record.args = ": ".join(parts), ()
        record.exc_info = record.exc_text = None
        return True
