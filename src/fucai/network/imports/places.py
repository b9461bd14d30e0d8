"""Places named in the station file: counties and cities by name or adcode, and whether a point lies
in Jiangxi and inside its county."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from django.utils.translation import gettext as _

from fucai.geo.choices import DivisionLevel
from fucai.network.imports.cells import CellError
from fucai.network.imports.reading import cell_text

# The boundaries are simplified: a point this close to its county (about 500 m) is accepted.
BOUNDARY_TOLERANCE_DEG = 0.005
KM_PER_DEG = 111.0


@cache
def jiangxi_bbox() -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of the province's city boundaries (GCJ-02)."""
    from fucai.geo.loader import boundary_shapes

    bounds = [shape.bounds for shape in boundary_shapes("city").values()]
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )


@cache
def _prepared_counties() -> dict:
    from shapely.prepared import prep

    from fucai.geo.loader import boundary_shapes

    return {code: (shape, prep(shape)) for code, shape in boundary_shapes("county").items()}


def km_outside_county(county_code: str, lon: Decimal, lat: Decimal) -> float | None:
    """How far (km) the point lies outside the county's boundary; None when inside (or unknown)."""
    from shapely.geometry import Point

    shapes = _prepared_counties().get(county_code)
    if shapes is None:
        return None
    shape, prepared = shapes
    point = Point(float(lon), float(lat))
    if prepared.contains(point):
        return None
    distance = shape.distance(point)
    return None if distance <= BOUNDARY_TOLERANCE_DEG else distance * KM_PER_DEG


class DivisionIndex:
    """Jiangxi's divisions by adcode and by name, to resolve the 所属县区 and 所属城市 cells."""

    def __init__(self) -> None:
        from fucai.geo.models import Division

        divisions = list(Division.objects.select_related("parent"))
        self.by_code = {d.code: d for d in divisions}
        self.by_name = {d.name: d for d in divisions}
        self.cities = [d for d in divisions if d.level == DivisionLevel.PREFECTURE]
        self.counties = [d for d in divisions if d.level == DivisionLevel.COUNTY]

    def county(self, value):
        text = "".join(cell_text(value).split())
        if not text:
            raise CellError(_("This column must be filled in."))
        found = self._find(text) or self._unique_county_prefix(text)
        if found is None:
            raise CellError(
                _(
                    "Unknown county “%(v)s”: not a county, district or county-level city of "
                    "Jiangxi (name or 6-digit adcode, e.g. 兴国县 or 360732)."
                )
                % {"v": text}
            )
        if found.level != DivisionLevel.COUNTY:
            raise CellError(
                _("%(v)s is a %(level)s, not a county; name the county or district of the station.")
                % {"v": found.name, "level": found.get_level_display()}
            )
        return found

    def city(self, value):
        text = "".join(cell_text(value).split())
        found = self._find(text) or self.by_name.get(f"{text}市")
        if found is None or found.level != DivisionLevel.PREFECTURE:
            raise CellError(
                _("Unknown city “%(v)s”: write a city of Jiangxi, e.g. 赣州市.") % {"v": text}
            )
        return found

    def _find(self, text: str):
        if text.isdigit():
            return self.by_code.get(text)
        text = text.removeprefix("江西省")
        if text in self.by_name:
            return self.by_name[text]
        for city in self.cities:
            for prefix in (city.name, city.name.removesuffix("市")):
                rest = text.removeprefix(prefix)
                found = self.by_name.get(rest) if rest != text else None
                if found is not None and found.parent_id == city.pk:
                    return found
        return None

    def _unique_county_prefix(self, text: str):
        """'兴国' for 兴国县, when exactly one county's name starts with it."""
        if len(text) < 2 or text.isdigit():
            return None
        matches = [c for c in self.counties if c.name.startswith(text)]
        return matches[0] if len(matches) == 1 else None
