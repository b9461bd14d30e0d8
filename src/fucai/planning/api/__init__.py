"""The planning part of the API: /api/planning/… — the blank areas of your scope as of a day
(the figures of /planning/blank-areas/ and its GeoJSON). `city` outside your scope: 404."""

from __future__ import annotations

import datetime as dt

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
    covers, per city and county, largest uncovered first (docs/planning.md). A day outside
    2000-01-01 … today is clamped; `as_of` says the day used. Without a demand layer: no cells,
    no figures."""
    result = _blank_areas(request, as_of, city)
    return result.to_dict() if result is not None else {"cells": 0, "cities": [], "counties": []}


@router.get("/blank-areas/cells", summary="Blank areas: the uncovered cells as GeoJSON")
def blank_area_cells(request, city: str, as_of: dt.date | None = None) -> dict:
    """The uncovered H3 cells of one city (`city`, an adcode) as GeoJSON hexagons (GCJ-02) with
    their cell id, county, city, area type and population."""
    from fucai.planning.coverage import uncovered_geojson

    result = _blank_areas(request, as_of, city)
    if result is None:
        return {"type": "FeatureCollection", "features": []}
    return uncovered_geojson(result)
