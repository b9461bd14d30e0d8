"""Pages of the station network: the overview, list, detail (with edits), map and import.

Every queryset starts from `Model.objects.restrict(user, action)`; a station outside the user's
scope is a 404, whatever the path (page, edit, JSON, export).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from fucai.core.excel import (
    Column,
    add_notes_sheet,
    table_workbook,
    xlsx_bytes_response,
    xlsx_response,
)
from fucai.core.grant import SEE_PERSONAL_DATA, grant_for
from fucai.core.models import ObjectChange
from fucai.core.signals import personal_data_viewed
from fucai.geo.loader import boundaries
from fucai.network.choices import StationScene
from fucai.network.exports import stations_export
from fucai.network.filtersets import StationFilterSet, scoped_cities
from fucai.network.forms import AsOfForm, StationForm, StationImportForm, StationTransitionForm
from fucai.network.imports import check_can_import, import_stations
from fucai.network.models import Station, StationAssignment, StationStatusChange
from fucai.network.summary import network_summary
from fucai.network.tables import StationTable

PER_PAGE = 50
CHANGE = "change"


def _stations(request: HttpRequest):
    return Station.objects.restrict(request.user).select_related(
        "city", "county", "owner", "partner"
    )


@login_required
@require_GET
def station_list(request: HttpRequest) -> HttpResponse:
    filterset = StationFilterSet(request.GET or None, queryset=_stations(request), request=request)
    stations = filterset.qs
    if request.GET.get("format") == "xlsx":
        export = stations_export(stations)
        return xlsx_bytes_response(export.content, _("stations") + ".xlsx")
    table = StationTable(stations)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "network/station_list.html", {"filter": filterset, "table": table})


def _county_feature(code: str) -> dict | None:
    return next(
        (f for f in boundaries("county")["features"] if str(f["properties"]["adcode"]) == code),
        None,
    )


def _station_audit(request: HttpRequest, station: Station):
    station_type = ContentType.objects.get_for_model(Station)
    return (
        ObjectChange.objects.restrict(request.user)
        .filter(Q(object_type=station_type, object_id=str(station.pk)) | Q(station_id=station.pk))
        .select_related("object_type", "user")
    )


def _can_change(request: HttpRequest, station: Station) -> bool:
    user = request.user
    return (
        user.can_edit_master_data
        and Station.objects.restrict(user, CHANGE).filter(pk=station.pk).exists()
    )


def _detail(
    request: HttpRequest,
    station: Station,
    *,
    edit_form=None,
    transition_form=None,
    status: int = 200,
    revealed_phone: str = "",
) -> HttpResponse:
    user = request.user
    can_change = _can_change(request, station)
    if can_change:
        edit_form = edit_form or StationForm(instance=station, user=user)
        transition_form = transition_form or StationTransitionForm(station=station)
    context = {
        "station": station,
        "owner": station.owner,
        "history": StationStatusChange.objects.restrict(user)
        .filter(station=station)
        .select_related("recorded_by")
        .order_by("date", "pk"),
        "assignments": StationAssignment.objects.restrict(user)
        .filter(station=station)
        .select_related("manager", "territory")
        .order_by("valid_from", "pk"),
        "changes": _station_audit(request, station)[:100],
        "county_feature": _county_feature(station.county.code),
        "map_point": {
            "code": station.code,
            "name": station.name,
            "lon": float(station.lon),
            "lat": float(station.lat),
            "county": station.county.name,
        },
        "can_change": can_change,
        "revealed_phone": revealed_phone,
        "edit_form": edit_form,
        "transition_form": transition_form,
    }
    return render(request, "network/station_detail.html", context, status=status)


@login_required
@require_GET
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(_stations(request), code=code)
    return _detail(request, station)


def _station_to_change(request: HttpRequest, code: str) -> Station:
    if not request.user.can_edit_master_data:
        raise PermissionDenied
    queryset = Station.objects.restrict(request.user, CHANGE).select_related(
        "city", "county", "owner", "partner"
    )
    return get_object_or_404(queryset, code=code)


@login_required
@require_POST
def station_edit(request: HttpRequest, code: str) -> HttpResponse:
    station = _station_to_change(request, code)
    form = StationForm(request.POST, instance=station, user=request.user)
    if not form.is_valid():
        return _detail(request, _stations(request).get(pk=station.pk), edit_form=form, status=400)
    form.save()
    messages.success(request, _("Station %(code)s saved.") % {"code": station.code})
    return redirect("network:station_detail", code=station.code)


@login_required
@require_POST
def station_transition(request: HttpRequest, code: str) -> HttpResponse:
    station = _station_to_change(request, code)
    form = StationTransitionForm(request.POST, station=station)
    if not form.is_valid() or form.save(request.user) is None:
        return _detail(request, station, transition_form=form, status=400)
    messages.success(request, _("Status change of %(code)s recorded.") % {"code": station.code})
    return redirect("network:station_detail", code=station.code)


@login_required
@require_POST
def owner_phone(request: HttpRequest, code: str) -> HttpResponse:
    """The owner's phone in full, for this one response, to a user who may change the station;
    the view is recorded in the audit trail (by the signal's receiver)."""
    if not grant_for(request.user).can(SEE_PERSONAL_DATA):
        raise PermissionDenied
    station = _station_to_change(request, code)
    owner = station.owner
    if owner is None or not owner.phone:
        raise Http404
    personal_data_viewed.send(
        sender=type(owner), instance=owner, fields=["phone"], reason="station page"
    )
    if request.htmx:
        return render(request, "network/includes/owner_phone.html", {"phone": owner.phone})
    return _detail(request, station, revealed_phone=owner.phone)


@login_required
@require_GET
def station_map(request: HttpRequest) -> HttpResponse:
    as_of = AsOfForm.for_request(request)
    cities = list(scoped_cities(request.user).order_by("code").values("code", "name"))
    day = as_of.as_of_date.isoformat()
    config = {
        "level": "city" if len(cities) > 1 else "county",
        "cities": cities,
        "asOf": day,
        "scenes": [{"value": s.value, "label": str(s.label)} for s in StationScene],
        "urls": {
            "city": reverse("geo:boundaries", args=["city"]),
            "county": reverse("geo:boundaries", args=["county"]),
            "stations": reverse("network:map_stations"),
            "station": reverse("network:station_detail", args=["__code__"]),
        },
        "labels": {
            "loading": _("Loading…"),
            "failed": _("The map could not be loaded"),
            "shown": _("%(n)s open stations on %(day)s").replace("%(day)s", day),
        },
        "backButtonId": "map-back",
        "statusId": "map-status",
        "scenesTableId": "map-scenes",
    }
    return render(request, "network/map.html", {"as_of_form": as_of, "map_config": config})


@login_required
@require_GET
def map_stations(request: HttpRequest) -> JsonResponse:
    """The stations open on the as-of day, in the user's scope, as compact rows for the map."""
    as_of = AsOfForm.for_request(request).as_of_date
    stations = Station.objects.restrict(request.user).open_on(as_of)
    city = request.GET.get("city")
    if city:
        stations = stations.filter(city__code=city)
    rows = stations.order_by("code").values_list(
        "lon", "lat", "code", "name", "scene", "city__code"
    )
    return JsonResponse(
        {
            "as_of": as_of.isoformat(),
            "fields": ["lon", "lat", "code", "name", "scene", "city"],
            "stations": [[float(lon), float(lat), *rest] for lon, lat, *rest in rows],
        }
    )


@login_required
def station_import(request: HttpRequest) -> HttpResponse:
    """Upload a station file; show the counts, or every error with file, row and column."""
    check_can_import(request.user)
    form = StationImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        result = import_stations(upload, upload.name, request.user, dry_run=dry_run)
    return render(request, "network/import.html", {"form": form, "result": result})


# -- the overview: network figures as of a day ---------------------------------------------
GROUPINGS = {
    "city": gettext_lazy("City"),
    "county": gettext_lazy("County"),
    "scene": gettext_lazy("Scene"),
}
FIGURES = (
    ("open_stations", gettext_lazy("Open stations")),
    ("net_new_this_year", gettext_lazy("Net new since 1 January")),
    ("opened_this_year", gettext_lazy("Opened this year")),
    ("closed_this_year", gettext_lazy("Closed this year")),
    ("core_urban_new_this_year", gettext_lazy("New in core urban scenes")),
    ("jobs_created_this_year", gettext_lazy("Jobs created this year")),
    ("open_at_year_start", gettext_lazy("Open at start of year")),
)


def _grouping(request: HttpRequest) -> str:
    """By city when the user sees several cities, else by county; `?by=` overrides."""
    wanted = request.GET.get("by")
    if wanted in GROUPINGS:
        return wanted
    return "city" if scoped_cities(request.user).count() > 1 else "county"


def _overview_workbook(summary, by: str, user):
    columns = [Column(_("Code"), number_format="@"), str(GROUPINGS[by])] + [
        str(label) for _k, label in FIGURES
    ]
    rows = [[g.code, g.name] + [getattr(g, key) for key, _l in FIGURES] for g in summary.groups]
    rows.append(["", _("Total")] + [getattr(summary, key) for key, _l in FIGURES])
    wb = table_workbook(columns, rows, title=_("Network figures"))
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("As of"), summary.as_of),
            (_("Scope"), user.scope_label),
            (_("Exported by"), user.username),
            (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ],
    )
    return wb


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    as_of_form = AsOfForm.for_request(request)
    as_of = as_of_form.as_of_date
    by = _grouping(request)
    summary = network_summary(Station.objects.restrict(request.user), as_of, by=by)
    if request.GET.get("format") == "xlsx":
        filename = _("network figures %(day)s") % {"day": as_of.isoformat()}
        return xlsx_response(_overview_workbook(summary, by, request.user), filename + ".xlsx")
    chart = {
        "names": [g.name for g in summary.groups],
        "open": [g.open_stations for g in summary.groups],
        "opened": [g.opened_this_year for g in summary.groups],
        "labels": {"open": _("Open stations"), "opened": _("Opened this year")},
    }
    context = {
        "as_of_form": as_of_form,
        "as_of": as_of,
        "summary": summary,
        "by": by,
        "by_label": GROUPINGS[by],
        "groupings": GROUPINGS,
        "chart": chart,
    }
    return render(request, "network/overview.html", context)
