"""The planning part of the API: /api/planning/… — the blank areas of your scope as of a day
(the figures of /planning/blank-areas/ and its GeoJSON). `city` outside your scope: 404."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Router

from fucai.core.api.auth import auth_user
from fucai.core.bounds import clamp_date

router = Router(tags=["planning"])


def _blank_areas(request, as_of: dt.date | None, city: str | None):
    """The blank areas of the request's scope, or None without a demand layer."""
    from fucai.planning.coverage import blank_areas
    from fucai.planning.demand import NoDemandLayer
    from fucai.planning.report import scope_cities

    day, _notice = clamp_date(as_of or timezone.localdate())
    user = auth_user(request)
    cities = scope_cities(user, city)
    try:
        return blank_areas(day, cities, user=user)
    except NoDemandLayer:
        return None


@router.get("/blank-areas", summary="Blank areas: uncovered population by city and county")
def blank_areas(request, as_of: dt.date | None = None, city: str | None = None) -> dict:
    """The demand of your cities (or `city`, an adcode) and the part no station open on `as_of`
    covers, per city and county, largest uncovered first, and the largest blank patches
    (neighbouring uncovered cells of town or urban density; docs/planning.md). A day outside
    2000-01-01 … today is clamped; `as_of` says the day used. Without a demand layer: no cells,
    no figures."""
    result = _blank_areas(request, as_of, city)
    if result is None:
        return {"cells": 0, "cities": [], "counties": [], "patches": []}
    return result.to_dict()


@router.get("/blank-areas/cells", summary="Blank areas: the uncovered cells as GeoJSON")
def blank_area_cells(request, city: str, as_of: dt.date | None = None) -> dict:
    """The uncovered H3 cells of one city (`city`, an adcode) as GeoJSON hexagons (GCJ-02) with
    their cell id, county, city, area type and population."""
    from fucai.planning.coverage import uncovered_geojson

    result = _blank_areas(request, as_of, city)
    if result is None:
        return {"type": "FeatureCollection", "features": []}
    return uncovered_geojson(result)


def _scenario_out(scenario, sites=None) -> dict:
    out = {
        "id": scenario.pk,
        "name": scenario.name,
        "city": scenario.city.code if scenario.city_id else None,
        "as_of": scenario.as_of.isoformat(),
        "new": scenario.new,
        "operation": scenario.operation,
        "radii": scenario.radii,
        "quotas": scenario.quotas,
        "excluded_counties": scenario.excluded_counties,
        "status": scenario.status,
        "progress": scenario.progress,
        "error": scenario.error,
        "population": scenario.population,
        "covered_before": scenario.covered_before,
        "covered_after": scenario.covered_after,
        "upper_bound": scenario.upper_bound,
        "gap_pct": scenario.gap_pct,
        "solver": scenario.solver,
        "solver_status": scenario.solver_status,
        "seconds": scenario.seconds,
    }
    if sites is not None:
        out["sites"] = [
            {
                "rank": s.rank,
                "lon": float(s.lon),
                "lat": float(s.lat),
                "cell": s.cell,
                "county": s.county.code,
                "new_population": s.new_population,
                "lead": s.lead_id,
            }
            for s in sites
        ]
    return out


@router.get("/scenarios", summary="Siting scenarios in your scope")
def scenarios(request) -> list[dict]:
    """The siting scenarios of your cities (the province's too for the provincial centre),
    newest first, with their status and answer."""
    from fucai.planning.models import SitingScenario

    rows = SitingScenario.objects.restrict(auth_user(request)).select_related("city")[:200]
    return [_scenario_out(s) for s in rows]


@router.get("/scenarios/{scenario_id}", summary="A siting scenario with its chosen sites")
def scenario(request, scenario_id: int) -> dict:
    """A scenario and its sites (rank, GCJ-02 position, H3 cell, county, newly covered
    population, the lead made from it). Outside your scope: 404."""
    from fucai.planning.models import SitingScenario

    found = (
        SitingScenario.objects.restrict(auth_user(request))
        .select_related("city")
        .filter(pk=scenario_id)
        .first()
    )
    if found is None:
        raise Http404("No such scenario")
    sites = found.sites.select_related("county").order_by("rank")
    return _scenario_out(found, list(sites))
