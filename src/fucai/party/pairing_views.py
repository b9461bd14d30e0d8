"""Pages for pairing (结对帮扶) and areas (分片挂点): coverage per city with the pairings lasting on
a day (and its Excel), a pairing with its visits, a new pairing, the cadres' areas with their
blank population and leads, an area in full.

Every page needs the Party-affairs capability (403 without it) and reads through
`restrict(user)`: a pairing or area outside the user's branches is the same 404 as a missing
one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fucai.party.forms.pairing import CoverageForm, PairingForm
from fucai.party.models import AreaAssignment, Pairing
from fucai.party.pairing import coverage, visits_by_pairing
from fucai.party.views import _branches

ROWS_SHOWN = 200


@login_required
@require_GET
def pairing_list(request: HttpRequest) -> HttpResponse:
    _branches(request)
    form = CoverageForm(request.GET or None)
    as_of, stale_days = form.values()
    pairings = Pairing.objects.restrict(request.user)
    city = request.GET.get("city") or ""
    if city:
        pairings = pairings.filter(station__city__code=city)
    result = coverage(pairings, as_of, stale_days=stale_days, user=request.user)
    if request.GET.get("format") == "xlsx":
        from fucai.core.excel import xlsx_response
        from fucai.party.exports import pairing_workbook

        return xlsx_response(pairing_workbook(result), f"{_('pairing')}-{as_of}.xlsx")
    rows = result.rows
    if request.GET.get("stale"):
        rows = [r for r in rows if r.stale]
    context = {
        "form": form,
        "result": result,
        "rows": rows[:ROWS_SHOWN],
        "more": max(0, len(rows) - ROWS_SHOWN),
        "stale_only": bool(request.GET.get("stale")),
        "city": city,
        "query": request.GET.urlencode(),
    }
    return render(request, "party/pairing_list.html", context)


@login_required
@require_GET
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _branches(request)
    pairings = Pairing.objects.restrict(request.user).select_related(
        "member", "station__city", "station__county", "scheme__branch"
    )
    pairing = get_object_or_404(pairings, pk=pk)
    visits = visits_by_pairing([pairing])[pairing.pk]
    context = {"pairing": pairing, "visits": list(reversed(visits))}
    return render(request, "party/pairing_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pairing_new(request: HttpRequest) -> HttpResponse:
    branches = _branches(request)
    form = PairingForm(request.POST or None, branches=branches, user=request.user)
    if request.method == "POST" and form.is_valid():
        pairing = form.save()
        return redirect("party:pairing_detail", pk=pairing.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "party/pairing_new.html", {"form": form}, status=status)


@login_required
@require_GET
def area_list(request: HttpRequest) -> HttpResponse:
    from fucai.party.areas import area_contents

    _branches(request)
    form = CoverageForm(request.GET or None)
    as_of, _stale = form.values()
    areas = (
        AreaAssignment.objects.restrict(request.user)
        .active_on(as_of)
        .select_related("member", "county", "branch")
    )
    rows = area_contents(areas, as_of, user=request.user)
    if request.GET.get("format") == "xlsx":
        from fucai.core.excel import xlsx_response
        from fucai.party.exports import area_workbook

        return xlsx_response(area_workbook(rows, as_of), f"{_('areas')}-{as_of}.xlsx")
    return render(request, "party/area_list.html", {"form": form, "rows": rows, "as_of": as_of})


@login_required
@require_GET
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from fucai.party.areas import area_contents

    _branches(request)
    areas = AreaAssignment.objects.restrict(request.user)
    areas = areas.select_related("member", "county__parent", "branch__city")
    area = get_object_or_404(areas, pk=pk)
    form = CoverageForm(request.GET or None)
    as_of, _stale = form.values()
    contents = area_contents([area], as_of, user=request.user)[0]
    config = {
        "boundaries": _boundaries_url(area),
        "data": reverse("party:area_map", args=[area.pk]) + f"?as_of={as_of.isoformat()}",
        "labels": {
            "loading": _("Loading…"),
            "failed": _("The map could not be loaded"),
            "covered": _("Covered"),
            "uncovered": _("Not covered"),
            "uncovered_cells": _("Cells not covered"),
            "stations": _("Open stations"),
            "leads": _("Open leads"),
            "people": _("people"),
        },
    }
    context = {
        "area": area,
        "contents": contents,
        "as_of": as_of,
        "form": form,
        "map_config": config,
    }
    return render(request, "party/area_detail.html", context)


def _boundaries_url(area) -> str:
    """The county boundaries of the area's city (a provincial branch's cell area: the cities)."""
    if area.county_id:
        return reverse("geo:boundaries", args=["county"]) + f"?city={area.county.parent.code}"
    if area.branch.city_id:
        return reverse("geo:boundaries", args=["county"]) + f"?city={area.branch.city.code}"
    return reverse("geo:boundaries", args=["city"])


@login_required
@require_GET
def area_map(request: HttpRequest, pk: int) -> JsonResponse:
    """The area page's map data (fucai.party.areas.area_map), as of `as_of`."""
    from fucai.party.areas import area_map as map_data

    _branches(request)
    areas = AreaAssignment.objects.restrict(request.user).select_related("county", "branch")
    area = get_object_or_404(areas, pk=pk)
    as_of, _stale = CoverageForm(request.GET or None).values()
    return JsonResponse(map_data(area, as_of, user=request.user))
