"""The bulletin's downloads: `?as_of=YYYY-MM-DD&scope=province|<city adcode>` as Word or PDF,
written by fucai.reports.bulletin.build_bulletin and laid out by fucai.reports.documents.

A scope is given only to a user who sees it whole (their analytics Scope, fucai.analytics.scope:
everything for the province, the whole city for a city): any other scope — another city, the
province for a city's user, a city for a market manager who sees some of its stations, a code
that is no city — is a 404, as a missing page. A date that is not one is a 400 saying so in the
user's language. The document itself is in its own language (a Chinese bulletin)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fucai.reports.documents.charts import PROVINCE

SCOPE_PARAM, AS_OF_PARAM = "scope", "as_of"


@login_required
@require_GET
def bulletin_docx(request: HttpRequest) -> HttpResponse:
    """The bulletin as a Word document (.docx)."""
    return _download(request, "docx")


@login_required
@require_GET
def bulletin_pdf(request: HttpRequest) -> HttpResponse:
    """The bulletin as PDF."""
    return _download(request, "pdf")


def _download(request: HttpRequest, fmt: str) -> HttpResponse:
    from fucai.core.excel import disposition
    from fucai.reports.bulletin import build_bulletin
    from fucai.reports.documents import CONTENT_TYPES, download_name, render_document
    from fucai.reports.documents.charts import bulletin_charts

    raw = request.GET.get(AS_OF_PARAM, "")
    as_of = parse_day(raw)
    if as_of is None:
        message = _("Not a date: “%(v)s”; write YYYY-MM-DD, e.g. 2023-03-18.") % {"v": raw}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    scope = request.GET.get(SCOPE_PARAM) or PROVINCE
    if not sees_whole(request.user, scope):
        raise Http404(_("This bulletin's scope is not in your scope."))
    doc = build_bulletin(as_of, scope, request.user)
    with translation.override(doc.language):
        charts = bulletin_charts(request.user, doc.as_of, scope)  # the day moved into the data
    response = HttpResponse(render_document(doc, fmt, charts), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = disposition(*download_name(doc, fmt))
    return response


def parse_day(text: str) -> dt.date | None:
    """YYYY-MM-DD as a date, or None."""
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def sees_whole(user, scope: str) -> bool:
    """Does `user` see the whole of `scope` ("province" or a city's adcode)? The bulletin's one
    rule (fucai.reports.facts.resolve_scope)."""
    from fucai.reports.facts import ScopeNotFound, resolve_scope

    try:
        return resolve_scope(scope, user).code == scope
    except ScopeNotFound:
        return False
