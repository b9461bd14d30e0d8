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
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from fucai.core.excel import (
    DATE_FORMAT,
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
from fucai.network.summary import FIGURE_LABELS as FIGURES
from fucai.network.summary import GROUPING_LABELS as GROUPINGS
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
        export = stations_export(stations, user=request.user)
        return xlsx_bytes_response(export.content, _("stations") + ".xlsx")
    table = StationTable(stations)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "network/station_list.html", {"filter": filterset, "table": table})


def county_feature(code: str) -> dict | None:
    """The county's boundary (GeoJSON feature) for a minimap, None if the file lacks it."""
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


def _station_changes(request: HttpRequest, station: Station) -> list:
    """The station's last 100 change records, described as this user may read them."""
    from fucai.core.templatetags.fucai_ui import describe_all

    changes = list(_station_audit(request, station)[:100])
    describe_all(changes, request.user)
    return changes


def _can_change(request: HttpRequest, station: Station) -> bool:
    user = request.user
    return (
        user.can_edit_master_data
        and Station.objects.restrict(user, CHANGE).filter(pk=station.pk).exists()
    )


def _history(request: HttpRequest, station: Station):
    return (
        StationStatusChange.objects.restrict(request.user)
        .filter(station=station)
        .select_related("recorded_by")
        .order_by("date", "pk")
    )


def _assignments(request: HttpRequest, station: Station):
    return (
        StationAssignment.objects.restrict(request.user)
        .filter(station=station)
        .select_related("manager", "territory")
        .order_by("valid_from", "pk")
    )


def _station_board(request: HttpRequest, station: Station):
    """The station's sales (fucai.sales.station) as of the page's day, and the as-of form
    (clamped into the sales data and fucai.core.bounds); the board is None without sales data."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.sales.cockpit import sales_span
    from fucai.sales.forms import CockpitForm
    from fucai.sales.station import StationCockpit

    context = AnalyticsContext.current()
    form = CockpitForm.for_request(request, sales_span(context))
    board = StationCockpit(
        request.user, station, form.as_of_date, form.compare_rule, context=context
    )
    return (board if form.span is not None else None), form


def _sales_context(request: HttpRequest, station: Station) -> dict:
    from fucai.sales.views import chart_labels, figure_texts, target_texts

    board, form = _station_board(request, station)
    if board is None:
        return {"sales_form": form, "board": None}
    ytd = board.year_to_date
    query = f"?as_of={board.as_of.isoformat()}&compare={board.compare}"
    url = reverse("network:station_sales", args=[station.code])
    return {
        "sales_form": form,
        "board": board,
        "card": {
            key: figure_texts(figures, ytd.total.amount_fen, ytd.as_of.year)
            for key, figures in (
                ("total", ytd.total),
                ("draw", ytd.by_category["draw"]),
                ("instant", ytd.by_category["instant"]),
            )
        },
        "ytd": ytd,
        "target": target_texts(board.target),
        "games": board.games(),
        "monthly": board.monthly(),
        "chart_config": {
            "urls": {chart: f"{url}{query}&chart={chart}" for chart in ("monthly", "games")},
            "labels": chart_labels(board),
        },
    }


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
        **_sales_context(request, station),
        "station": station,
        "owner": station.owner,
        "history": _history(request, station),
        "assignments": _assignments(request, station),
        "changes": _station_changes(request, station),
        "county_feature": county_feature(station.county.code),
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
    from fucai.network.visit_views import station_visits  # field visits: the section of the page

    context["visits"] = station_visits(request, station)
    return render(request, "network/station_detail.html", context, status=status)


@login_required
@require_GET
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The station page; `?export=ytd|position|monthly|games|history|managers` downloads that
    table as Excel."""
    station = get_object_or_404(_stations(request), code=code)
    export = request.GET.get("export")
    if export:
        return _station_export(request, station, export)
    return _detail(request, station)


def _station_export(request: HttpRequest, station: Station, name: str) -> HttpResponse:
    network_tables = {"history": _history_workbook, "managers": _managers_workbook}
    if name in network_tables:
        workbook, title = network_tables[name](request, station)
        return xlsx_response(workbook, f"{station.code} {title}.xlsx")
    board, _form = _station_board(request, station)
    table = board.table(name) if board is not None else None
    if table is None:
        raise Http404(_("No such table to export."))
    filename = f"{station.code} {table.title} {board.as_of.isoformat()}.xlsx"
    return xlsx_response(table.workbook(), filename)


def _export_notes(request: HttpRequest, station: Station) -> list[tuple[str, object]]:
    return [
        (_("Station"), f"{station.code} {station.name}"),
        (_("Exported by"), request.user.username),
        (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


def _history_workbook(request: HttpRequest, station: Station):
    title = _("Lifecycle")
    columns = [Column(_("Date"), number_format=DATE_FORMAT), _("Status"), _("Note")]
    rows = [[c.date, c.get_status_display(), c.note] for c in _history(request, station)]
    wb = table_workbook(columns, rows, title=title)
    add_notes_sheet(wb, _("Notes"), _export_notes(request, station))
    return wb, title


def _managers_workbook(request: HttpRequest, station: Station):
    title = _("Market managers")
    columns = [
        _("Market manager"),
        Column(_("Code"), number_format="@"),
        _("Territory"),
        Column(_("From"), number_format=DATE_FORMAT),
        Column(_("Until"), number_format=DATE_FORMAT),
    ]
    rows = [
        [a.manager.name, a.manager.employee_code, a.territory.name, a.valid_from, a.valid_to]
        for a in _assignments(request, station)
    ]
    wb = table_workbook(columns, rows, title=title)
    add_notes_sheet(wb, _("Notes"), _export_notes(request, station))
    return wb, title


@login_required
@require_GET
def station_sales(request: HttpRequest, code: str) -> JsonResponse:
    """The station page's chart data: `?chart=monthly|games` (the cockpit's JSON, one station)."""
    station = get_object_or_404(_stations(request), code=code)
    board, _form = _station_board(request, station)
    charts = {"monthly": "monthly_json", "games": "games_json"}
    chart = charts.get(request.GET.get("chart", ""))
    if board is None or chart is None:
        raise Http404(_("No such chart."))
    return JsonResponse(getattr(board, chart)())


def lands_on_own_stations(grant) -> bool:
    """Does the home page send this grant to its stations (fucai.core.registry.Landing)? When
    everything it sees is held as a station's owner: no place, no other person."""
    view = grant.view
    if view.everything or view.cities or view.counties or view.branches:
        return False
    return bool(view.persons) and all(kind == "owner" for kind, _pk in view.persons)


@login_required
@require_GET
def own_stations(request: HttpRequest) -> HttpResponse:
    """An owner's landing: their station's page when they see one station, else the list."""
    codes = list(Station.objects.restrict(request.user).values_list("code", flat=True)[:2])
    if len(codes) == 1:
        return redirect("network:station_detail", code=codes[0])
    return redirect("network:station_list")


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
    alerts = _alerts(request, as_of)
    if request.GET.get("export") == "alerts":
        if alerts is None:
            raise Http404(_("No such table to export."))
        filename = _("sales alerts %(day)s") % {"day": alerts.as_of.isoformat()}
        return xlsx_response(alerts.table().workbook(), filename + ".xlsx")
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
        "alerts": alerts,
    }
    return render(request, "network/overview.html", context)


def _alerts(request: HttpRequest, as_of):
    """The sales alerts of the user's scope (fucai.sales.activity) on the overview's day, or on
    the last day of the sales data if that is earlier (later days would all look silent);
    None without sales data."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.sales.activity import SalesAlerts
    from fucai.sales.cockpit import sales_span

    context = AnalyticsContext.current()
    span = sales_span(context)
    if span is None:
        return None
    return SalesAlerts.for_user(request.user, min(as_of, span.last), context)
