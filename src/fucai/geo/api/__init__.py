"""The geography part of the API: divisions (public to every user) and boundaries (in scope)."""

from __future__ import annotations

from typing import Literal

from ninja import Router, Schema

from fucai.core.api.auth import auth_user
from fucai.geo.api.scope import visible_city_codes
from fucai.geo.choices import DivisionLevel
from fucai.geo.loader import boundaries

router = Router(tags=["geo"])


class DivisionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    lon: float
    lat: float
    population: int
    lottery_code: str

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


@router.get("/divisions", response=list[DivisionOut], summary="Jiangxi's divisions")
def list_divisions(request, level: DivisionLevel | None = None):
    """The province's 112 divisions with adcodes, centroids (GCJ-02) and 2020 census population.
    Public geography: the same for every logged-in user."""
    from fucai.geo.models import Division

    divisions = Division.objects.select_related("parent").order_by("code")
    return divisions.filter(level=level.value) if level else divisions


@router.get("/boundaries/{level}", response=dict, summary="City or county boundaries (GeoJSON)")
def get_boundaries(request, level: Literal["city", "county"]):
    """A GeoJSON FeatureCollection (GCJ-02) of the boundaries in your scope: the whole province,
    or your city (level=city) or its counties (level=county)."""
    collection = boundaries(level)
    codes = visible_city_codes(auth_user(request))
    if codes is None:
        return collection
    return {
        **collection,
        "features": [f for f in collection["features"] if _city_of(f, level) in codes],
    }


def _city_of(feature: dict, level: str) -> str:
    props = feature["properties"]
    return str(props["adcode"] if level == "city" else props.get("parent", {}).get("adcode"))
