"""Siting scenario pages (/planning/scenarios/…): the list with the form that starts one, a
scenario with its progress while it runs and then its sites on a map and in a table (each able
to become a lead), its exports, and two or three scenarios side by side. A city plans in its
city; a scenario outside the user's view is a 404, one seen but not theirs to run a 403."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fucai.network.choices import StationScene
from fucai.planning.forms import SitingScenarioForm
from fucai.planning.models import SitingScenario, SitingSite
from fucai.planning.scenarios import plannable_cities, site_to_lead, start_scenario

MAX_COMPARED = 3


def _scenarios(request: HttpRequest):
    return SitingScenario.objects.restrict(request.user).select_related("city", "created_by")


def _scenario(request: HttpRequest, pk: int) -> SitingScenario:
    return get_object_or_404(_scenarios(request), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def scenario_list(request: HttpRequest) -> HttpResponse:
    """The scenarios in scope, newest first, and (for those who may plan) the form to start one."""
    cities, province = plannable_cities(request.user)
    may_plan = province or cities.exists()
    form = None
    if may_plan:
        form = SitingScenarioForm(
            request.POST or None,
            cities=cities,
            province=province,
            initial={"city": cities.first()} if not province else None,
        )
        if request.method == "POST" and form.is_valid():
            scenario = form.save(commit=False)
            scenario.created_by = request.user
            scenario.save()
            start_scenario(scenario)
            return redirect("planning:scenario_detail", pk=scenario.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Your role may not plan stations."))
    scenarios = list(_scenarios(request)[:200])
    return render(
        request,
        "planning/scenario_list.html",
        {"scenarios": scenarios, "form": form, "compare_max": MAX_COMPARED},
    )


def _site_rows(scenario: SitingScenario) -> list[SitingSite]:
    return list(scenario.sites.select_related("county", "lead", "source_lead").order_by("rank"))


@login_required
@require_GET
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A scenario: its settings, progress or answer, and its sites (map, table, exports)."""
    scenario = _scenario(request, pk)
    wanted = request.GET.get("format")
    if wanted in ("xlsx", "geojson") and scenario.finished_ok:
        return _export(scenario, wanted)
    sites = _site_rows(scenario) if scenario.finished_ok else []
    cities, province = plannable_cities(request.user)
    may_lead = scenario.finished_ok and (
        province or (scenario.city_id is not None and cities.filter(pk=scenario.city_id).exists())
    )
    config = {
        "city": scenario.city.code if scenario.city_id else "",
        "urls": {
            "city": reverse("geo:boundaries", args=["city"]),
            "county": reverse("geo:boundaries", args=["county"]),
            "data": reverse("planning:scenario_data", args=[scenario.pk]),
        },
        "labels": {
            "loading": _("Loading…"),
            "failed": _("The map could not be loaded"),
            "sites": _("Chosen sites"),
            "stations": _("Open stations"),
            "adds": _("newly covers"),
            "people": _("people"),
        },
    }
    return render(
        request,
        "planning/scenario_detail.html",
        {
            "scenario": scenario,
            "sites": sites,
            "may_lead": may_lead,
            "scenes": StationScene.choices,
            "map_config": config,
            "quota_names": _county_names(scenario.quotas),
            "excluded_names": _county_names(scenario.excluded_counties).values(),
        },
    )


def _county_names(codes) -> dict[str, str]:
    from fucai.geo.models import Division

    codes = list(codes or [])
    names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    return {code: names.get(code, code) for code in codes}


@login_required
@require_GET
def scenario_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the running scenario's page polls (htmx); once finished it tells
    the page to reload (HX-Refresh)."""
    scenario = _scenario(request, pk)
    response = render(request, "planning/_scenario_progress.html", {"scenario": scenario})
    if not scenario.running and request.GET.get("was") == "running":
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def scenario_data(request: HttpRequest, pk: int) -> JsonResponse:
    """The map's data: the chosen sites with what each adds, and the stations open on the
    scenario's day in the user's scope and the scenario's city."""
    from fucai.network.models import Station

    scenario = _scenario(request, pk)
    stations = Station.objects.restrict(request.user).open_on(scenario.as_of)
    if scenario.city_id:
        stations = stations.filter(city_id=scenario.city_id)
    rows = stations.order_by("code").values_list("lon", "lat", "code", "name")
    sites = _site_rows(scenario) if scenario.finished_ok else []
    return JsonResponse(
        {
            "scenario": scenario.pk,
            "status": scenario.status,
            "sites": [
                {
                    "rank": s.rank,
                    "lon": float(s.lon),
                    "lat": float(s.lat),
                    "cell": s.cell,
                    "county": s.county.name,
                    "new_population": s.new_population,
                }
                for s in sites
            ],
            "stations": [[float(a), float(b), code, name] for a, b, code, name in rows],
        }
    )


def _export(scenario: SitingScenario, wanted: str) -> HttpResponse:
    from fucai.planning.scenario_report import scenario_geojson, scenario_workbook

    sites = _site_rows(scenario)
    if wanted == "geojson":
        response = HttpResponse(
            json.dumps(scenario_geojson(scenario, sites), ensure_ascii=False),
            content_type="application/geo+json",
        )
        response["Content-Disposition"] = f'attachment; filename="siting-{scenario.pk}.geojson"'
        return response
    from fucai.core.excel import xlsx_response

    return xlsx_response(scenario_workbook(scenario, sites), f"{_('siting')}-{scenario.pk}.xlsx")


@login_required
@require_POST
def site_lead(request: HttpRequest, pk: int, rank: int) -> HttpResponse:
    """Turn a chosen site into a lead (status new, source: siting scenario); the spacing check
    runs again, and a refusal is shown on the scenario's page."""
    from fucai.core.grant import CHANGE, EDIT_MASTER_DATA, grant_for

    if not grant_for(request.user).can(EDIT_MASTER_DATA):
        raise PermissionDenied(_("Your role may not record leads."))
    scenario = get_object_or_404(SitingScenario.objects.restrict(request.user, CHANGE), pk=pk)
    site = get_object_or_404(SitingSite.objects.filter(scenario=scenario), rank=rank)
    lead, refusals = site_to_lead(site, request.user, scene=request.POST.get("scene", ""))
    if lead is None:
        for sentence in refusals:
            messages.error(request, sentence)
        return redirect("planning:scenario_detail", pk=scenario.pk)
    messages.success(
        request, _("Site %(rank)s is now lead %(lead)s.") % {"rank": rank, "lead": lead.pk}
    )
    return redirect("network:lead_detail", pk=lead.pk)


@login_required
@require_GET
def scenario_compare(request: HttpRequest) -> HttpResponse:
    """Two or three finished scenarios side by side: settings, coverage before and after, gap,
    sites per county."""
    ids = [int(v) for v in request.GET.getlist("id") if v.isdigit()][:MAX_COMPARED]
    scenarios = list(_scenarios(request).filter(pk__in=ids))
    if len(scenarios) != len(set(ids)) or not scenarios:
        raise Http404
    scenarios.sort(key=lambda s: ids.index(s.pk))
    from fucai.planning.scenario_report import comparison

    return render(
        request, "planning/scenario_compare.html", {"scenarios": scenarios, **comparison(scenarios)}
    )
