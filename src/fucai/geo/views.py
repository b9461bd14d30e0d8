"""Boundaries for the maps, cut to the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from fucai.geo.loader import BOUNDARY_FILES, boundaries
from fucai.network.filtersets import scoped_cities

ATTRIBUTION = "DataV.GeoAtlas (via zhChuXiao/ChinaGeoJson)"


def _city_of(feature: dict, level: str) -> str:
    props = feature["properties"]
    if level == "city":
        return str(props["adcode"])
    return str(props.get("parent", {}).get("adcode", ""))


@login_required
@require_GET
def boundaries_geojson(request: HttpRequest, level: str) -> JsonResponse:
    """City (`city`) or county (`county`) boundaries as GeoJSON, only of the cities in the user's
    scope; `?city=<adcode>` narrows to one of them (a province user drilling down)."""
    if level not in BOUNDARY_FILES:
        raise Http404
    allowed = set(scoped_cities(request.user).values_list("code", flat=True))
    wanted = request.GET.get("city")
    if wanted:
        allowed &= {wanted}
    features = [f for f in boundaries(level)["features"] if _city_of(f, level) in allowed]
    response = JsonResponse(
        {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
