"""The blank-area page (/planning/blank-areas/): uncovered population on a map with the
stations, the counties by uncovered population, and their exports (Excel, GeoJSON). A user sees
the demand of their own cities only; another city reads as one that does not exist (404)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from fucai.network.filtersets import scoped_cities
from fucai.network.forms import AsOfForm
from fucai.planning.demand import NoDemandLayer, latest_layer
from fucai.planning.report import blank_area_workbook, scope_cities


def _result(request: HttpRequest):
    """(as-of form, wanted city, the blank areas or None when there is no demand layer)."""
    from fucai.planning.coverage import blank_areas

    as_of = AsOfForm.for_request(request)
    city = request.GET.get("city") or None
    cities = scope_cities(request.user, city)
    try:
        return as_of, city, blank_areas(as_of.as_of_date, cities, user=request.user)
    except NoDemandLayer:
        return as_of, city, None


PAGE_PATCHES = 20  # blank patches listed on the page (the exports have them all)


@login_required
@require_GET
def blank_areas(request: HttpRequest) -> HttpResponse:
    as_of, city, result = _result(request)
    wanted = request.GET.get("format")
    if result is not None and wanted == "xlsx":
        from fucai.core.excel import xlsx_response

        workbook = blank_area_workbook(result, str(request.user.scope_label))
        return xlsx_response(workbook, f"{_('blank areas')}-{as_of.as_of_date}.xlsx")
    if result is not None and wanted == "geojson":
        from fucai.planning.coverage import uncovered_geojson

        response = HttpResponse(
            json.dumps(uncovered_geojson(result), ensure_ascii=False),
            content_type="application/geo+json",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="blank-areas-{as_of.as_of_date}.geojson"'
        )
        return response
    cities = list(scoped_cities(request.user).order_by("code").values("code", "name"))
    query = {"as_of": as_of.as_of_date.isoformat(), **({"city": city} if city else {})}
    config = {
        "level": "county" if city or len(cities) == 1 else "city",
        "city": city or (cities[0]["code"] if len(cities) == 1 else ""),
        "urls": {
            "city": reverse("geo:boundaries", args=["city"]),
            "county": reverse("geo:boundaries", args=["county"]),
            "data": reverse("planning:blank_area_data"),
        },
        "query": query,
        "labels": {
            "loading": _("Loading…"),
            "failed": _("The map could not be loaded"),
            "uncovered": _("Uncovered population"),
            "stations": _("Open stations"),
            "people": _("people"),
        },
    }
    context = {
        "as_of_form": as_of,
        "cities": cities,
        "city": city,
        "result": result,
        "layer": latest_layer(),
        "counties": [a.to_dict() for a in result.counties] if result else [],
        "city_figures": [a.to_dict() for a in result.cities] if result else [],
        "patches": [p.to_dict() for p in result.patches[:PAGE_PATCHES]] if result else [],
        "patch_count": len(result.patches) if result else 0,
        "figures": result.to_dict() if result else None,
        "map_config": config,
        "export_query": urlencode(query),
    }
    return render(request, "planning/blank_areas.html", context)


@login_required
@require_GET
def blank_area_data(request: HttpRequest) -> JsonResponse:
    """The map's data: uncovered population as points, the stations open on the day in the
    user's scope, and the figures (the same as the API's)."""
    from fucai.network.models import Station
    from fucai.planning.coverage import uncovered_points

    as_of, city, result = _result(request)
    if result is None:
        return JsonResponse({"as_of": as_of.as_of_date.isoformat(), "layer": None})
    stations = Station.objects.restrict(request.user).open_on(as_of.as_of_date)
    if city:
        stations = stations.filter(city__code=city)
    rows = stations.order_by("code").values_list("lon", "lat", "code", "name")
    data = result.to_dict()
    data["uncovered_points"] = uncovered_points(result)
    data["stations_shown"] = [[float(lon), float(lat), code, name] for lon, lat, code, name in rows]
    return JsonResponse(data)


# -- the demand layers: build the census model or import a grid (in the worker) -----------------
class DemandImportForm(forms.Form):
    """A CSV of points (lon, lat, weight) and its coordinate system, or a GeoTIFF population
    raster (which carries its own)."""

    file = forms.FileField(
        label=gettext_lazy("CSV file (lon, lat, weight) or GeoTIFF population raster"),
        help_text=gettext_lazy(
            "A GeoTIFF is read in its own coordinate system; the one chosen below applies to "
            "a CSV and to a raster without one."
        ),
    )
    crs = forms.ChoiceField(
        label=gettext_lazy("Coordinate system"),
        choices=(("wgs84", "WGS84"), ("gcj02", "GCJ-02")),
        initial="wgs84",
    )


def _may_manage_demand(request: HttpRequest) -> None:
    from fucai.core.grant import EDIT_SPACING_RULES, grant_for

    if not grant_for(request.user).capability(EDIT_SPACING_RULES).everything:
        raise PermissionDenied(_("Only the provincial centre manages the demand layers."))


@login_required
@require_http_methods(["GET", "POST"])
def demand_layers(request: HttpRequest) -> HttpResponse:
    """The layers (newest first) with their build's progress; a POST builds the census model
    (`action=build`) or imports a CSV, as a background job."""
    from fucai.planning import jobs
    from fucai.planning.choices import LayerStatus
    from fucai.planning.models import DemandLayer

    _may_manage_demand(request)
    form, status = DemandImportForm(), 200
    if request.method == "POST":
        if request.POST.get("action") == "build":
            jobs.start_census_build()
            return redirect("planning:demand_layers")
        form = DemandImportForm(request.POST, request.FILES)
        if form.is_valid():
            jobs.start_import(form.cleaned_data["file"], form.cleaned_data["crs"])
            return redirect("planning:demand_layers")
        status = 400
    layers = DemandLayer.objects.restrict(request.user).order_by("-built_at", "-pk")
    context = {
        "layers": layers,
        "form": form,
        "building": layers.filter(status=LayerStatus.BUILDING).exists(),
        "used": latest_layer(),
    }
    return render(request, "planning/demand_layers.html", context, status=status)
