"""Field visits' pages: the phone page that records a visit (online or from its offline queue),
its service worker, the visit lists (per station, person, territory) and the indicators.

Recording needs `record_visits` (fucai.accounts.grants) at the station; reading a visit needs
the station, or the visitor's own manager record, in the user's view (FieldVisit.scope_paths):
anything else is the same 404 as a missing visit.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fucai.accounts.grants import RECORD_VISITS
from fucai.core.excel import xlsx_response
from fucai.core.grant import grant_for
from fucai.network.choices import StationStatus, VisitPurpose
from fucai.network.filtersets import scoped_cities
from fucai.network.forms import AsOfForm
from fucai.network.models import FieldVisit, MarketManager, Station, Territory
from fucai.network.visit_forms import VisitFilterForm, VisitForm
from fucai.network.visits import (
    DEFAULT_N_DAYS,
    far_metres,
    indicators_workbook,
    record_visit,
    recordable_stations,
    visit_indicators,
    visits_workbook,
)

PER_PAGE = 50
MAX_N_DAYS = 366


def _may_record(request: HttpRequest) -> None:
    if not grant_for(request.user).can(RECORD_VISITS):
        raise PermissionDenied(_("Your role does not record field visits."))


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _station_rows(request: HttpRequest) -> list[list]:
    """The stations the user may record visits at (not closed), compact, for the page's search
    and the distance shown live: code, name, county, lon, lat (GCJ-02)."""
    stations = (
        recordable_stations(request.user)
        .exclude(status=StationStatus.CLOSED)
        .order_by("code")
        .values_list("code", "name", "county__name", "lon", "lat")
    )
    return [
        [code, name, county, float(lon), float(lat)] for code, name, county, lon, lat in stations
    ]


def _new_page(request: HttpRequest, form: VisitForm | None = None, status: int = 200):
    config = {
        "stations": _station_rows(request),
        "farMetres": far_metres(),
        "postUrl": reverse("network:visit_new"),
        "swUrl": reverse("network:visit_sw"),
        "scope": reverse("network:visit_list"),
        "labels": {
            "queued": _("Saved on this phone; it is uploaded when the connection returns."),
            "queuedCount": _("Waiting to upload: %(n)s"),
            "sent": _("Visit saved."),
            "sentAgain": _("Visit already saved (sent again)."),
            "sending": _("Sending…"),
            "far": _("Far from the station (more than %(m)s m)"),
            "distance": _("%(m)s m from the station"),
            "noPosition": _("Position not available"),
            "locating": _("Locating…"),
            "noStation": _("Choose a station first."),
            "loginAgain": _("Log in again to upload the visits kept on this phone."),
            "refused": _("The visit was refused:"),
            "noMatch": _("No station matches."),
        },
    }
    initial = {
        "visited_on": timezone.localdate(),
        "purpose": VisitPurpose.ROUTINE,
        "idempotency_key": uuid.uuid4(),  # a plain form post (no script) is stored once too
    }
    context = {
        "form": form or VisitForm(initial=initial),
        "visit_config": config,
        "today": timezone.localdate(),
        "purposes": VisitPurpose.choices,
    }
    return render(request, "network/visit_new.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    """GET: the phone page. POST (the page's fetch, its offline queue, or a plain form): record
    the visit; the same idempotency key again returns the visit already stored (200), a new one
    201. JSON when asked for (`Accept: application/json`), else a redirect to the visit."""
    _may_record(request)
    if request.method == "GET":
        return _new_page(request)
    form = VisitForm(request.POST, request.FILES)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return _new_page(request, form, status=400)
    station = get_object_or_404(
        recordable_stations(request.user), code=form.cleaned_data["station"]
    )
    with transaction.atomic():
        recorded = record_visit(
            request.user, station, form.visit_data(), form.cleaned_data["idempotency_key"]
        )
        if recorded.created:
            _store_photos(request, recorded.visit, form.cleaned_data["photos"])
    visit = recorded.visit
    if visit.station_id != station.pk:  # a key reused for another station: not this visit
        return JsonResponse({"errors": {"idempotency_key": [_("Key already used.")]}}, status=409)
    if not _wants_json(request):
        return redirect("network:visit_detail", pk=visit.pk)
    return JsonResponse(
        {
            "id": visit.pk,
            "url": reverse("network:visit_detail", args=[visit.pk]),
            "created": recorded.created,
            "station": station.code,
            "distance_m": visit.distance_m,
            "is_far": visit.is_far,
            "far_metres": far_metres(),
        },
        status=201 if recorded.created else 200,
    )


def _store_photos(request: HttpRequest, visit: FieldVisit, photos) -> None:
    """THE place a visit's photos are stored (fucai.core.attachments: checked by the form's
    AttachmentsField, downscaled, served only to those who see the visit)."""
    from fucai.core.attachments import store_attachment

    for photo in photos:
        store_attachment(photo, owner=visit, user=request.user)


@require_GET
def visit_sw(request: HttpRequest) -> HttpResponse:
    """The visit pages' service worker (scope: /network/visits/): keeps the page shell and its
    assets for a poor connection. No data in it, so it is served to anyone."""
    from django.templatetags.static import static

    assets = [
        static(path)
        for path in (
            "vendor/bootstrap/bootstrap.min.css",
            "fucai/fucai.css",
            "vendor/htmx/htmx.min.js",
            "fucai/language.js",
            "fucai/favicon.svg",
            "network/visit_new.js",
            "network/visit_new.css",
        )
    ]
    config = {"shell": reverse("network:visit_new"), "assets": assets}
    config["version"] = _sw_version(assets)
    script = render_to_string("network/visit_sw.js", {"config_json": json.dumps(config)})
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _sw_version(assets: list[str]) -> str:
    import hashlib

    return hashlib.sha256("|".join(assets).encode()).hexdigest()[:12]


# -- lists -------------------------------------------------------------------------------------
def _visits(request: HttpRequest):
    return FieldVisit.objects.restrict(request.user).select_related(
        "station", "station__city", "station__county", "manager"
    )


def _filter_form(request: HttpRequest) -> VisitFilterForm:
    user = request.user
    return VisitFilterForm(
        request.GET or None,
        managers=MarketManager.objects.restrict(user).order_by("employee_code"),
        territories=Territory.objects.restrict(user).order_by("code"),
        cities=list(scoped_cities(user).order_by("code")),
    )


def filtered_visits(queryset, form: VisitFilterForm):
    station = form.value("station")
    if station:
        queryset = queryset.filter(station__code=station)
    if form.value("manager"):
        queryset = queryset.filter(manager_id=form.value("manager"))
    if form.value("territory"):
        stations = Station.objects.filter(assignments__territory_id=form.value("territory"))
        queryset = queryset.filter(station__in=stations)
    if "city" in form.fields and form.value("city"):
        queryset = queryset.filter(station__city__code=form.value("city"))
    if form.value("since"):
        queryset = queryset.filter(visited_on__gte=form.value("since"))
    if form.value("until"):
        queryset = queryset.filter(visited_on__lte=form.value("until"))
    if form.value("far"):
        queryset = queryset.filter(is_far=True)
    return queryset


def _notes(request: HttpRequest) -> list[tuple[str, object]]:
    return [
        (_("Scope"), request.user.scope_label),
        (_("Exported by"), request.user.username),
        (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    """Visits in scope, per station (`?station=`), person (`?manager=`) or territory
    (`?territory=`), with dates and far-only; `?format=xlsx` exports the filtered list."""
    form = _filter_form(request)
    visits = filtered_visits(_visits(request), form)
    if request.GET.get("format") == "xlsx":
        day = timezone.localdate().isoformat()
        return xlsx_response(visits_workbook(visits, _notes(request)), f"{_('visits')} {day}.xlsx")
    page = Paginator(visits, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_record": grant_for(request.user).can(RECORD_VISITS),
    }
    return render(request, "network/visit_list.html", context)


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from fucai.core.attachments import attachments_of

    visit = get_object_or_404(_visits(request).select_related("visitor"), pk=pk)
    context = {"visit": visit, "photos": attachments_of(visit), "far_metres": far_metres()}
    return render(request, "network/visit_detail.html", context)


def station_visits(request: HttpRequest, station: Station, limit: int = 5) -> dict:
    """The station page's section: its latest visits in the user's scope, and their count."""
    visits = _visits(request).filter(station=station)
    return {
        "latest": list(visits[:limit]),
        "count": visits.count(),
        "list_url": reverse("network:visit_list") + f"?station={station.code}",
        "can_record": grant_for(request.user).can(RECORD_VISITS),
    }


# -- indicators --------------------------------------------------------------------------------
def _n_days(request: HttpRequest) -> int:
    raw = request.GET.get("n_days", "")
    if raw.isdigit() and 1 <= int(raw) <= MAX_N_DAYS:
        return int(raw)
    return DEFAULT_N_DAYS


@login_required
@require_GET
def visit_indicators_page(request: HttpRequest) -> HttpResponse:
    """Per person, the month up to the as-of day: visits, stations visited, stations in their
    care not visited in N days (`?n_days=`, default 30); `?format=xlsx` exports them."""
    as_of_form = AsOfForm.for_request(request)
    as_of: dt.date = as_of_form.as_of_date
    n_days = _n_days(request)
    indicators = visit_indicators(request.user, as_of, n_days)
    if request.GET.get("format") == "xlsx":
        name = _("visit indicators %(day)s") % {"day": as_of.isoformat()}
        return xlsx_response(indicators_workbook(indicators, _notes(request)), name + ".xlsx")
    context = {
        "as_of_form": as_of_form,
        "indicators": indicators,
        "n_days": n_days,
        "managers_url": reverse("network:visit_list"),
    }
    return render(request, "network/visit_indicators.html", context)
