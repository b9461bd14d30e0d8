"""The spacing check: the one definition of whether a site may take a new station.

`check_site(lon, lat, operation, scene, city)` reads the active spacing rules (SpacingRule) that
apply to the operation (专营/兼营), keeps for each rule name the city's override if there is one,
and for each rule finds the nearest offender (a station of the rule's operation that is not
closed, or a point of the rule's layer) closer than the rule's minimum. Coordinates are GCJ-02
(as the stations are kept); distances are geodesic metres on WGS84 after converting both points
from GCJ-02 (coordTransform), with a bounding-box query first so that 6,000 stations cost one
indexed query per rule. The lead form, the station's clean(), `fucai network check-site` and the
API all call this function."""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from fucai.network.choices import SpacingTarget, StationOperation, StationStatus

METRES_PER_DEGREE_LAT = 110_574.0  # the shortest degree of latitude (at the equator)
BOX_MARGIN = 1.2  # the box is a little larger than the circle: it only prefilters


@dataclass(frozen=True)
class Violation:
    """A rule a site breaks: its nearest offender and how near it is."""

    rule: str
    offender: str
    distance_m: int
    min_m: int
    target: str  # what the rule keeps away from, in words: 专营站, 学校
    rule_id: int

    @property
    def message(self) -> str:
        return _("Only %(distance)s m from %(target)s %(offender)s; rule: %(rule)s ≥ %(min)s m") % {
            "distance": self.distance_m,
            "target": self.target,
            "offender": self.offender,
            "rule": self.rule,
            "min": self.min_m,
        }

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["rule_id"], data["target"]
        return data


def _wgs84(lon: float, lat: float) -> tuple[float, float]:
    from coordTransform import gcj02_to_wgs84

    wlon, wlat = gcj02_to_wgs84(float(lon), float(lat))
    return wlon, wlat


@functools.cache
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def distance_m(lon1, lat1, lon2, lat2) -> float:
    """Geodesic distance in metres between two GCJ-02 points."""
    a, b = _wgs84(lon1, lat1), _wgs84(lon2, lat2)
    _az, _back, dist = _geod().inv(a[0], a[1], b[0], b[1])
    return dist


def _city_id(city) -> int | None:
    if city is None or isinstance(city, int):
        return city
    return city.pk


def rules_for(operation: str, city) -> list:
    """The active rules for a new site of `operation` in `city`: per rule name, the city's
    override if there is one, else the province-wide rule."""
    from fucai.network.models import SpacingRule

    city_id = _city_id(city)
    rules = SpacingRule.objects.filter(active=True, applies_to=operation).select_related("layer")
    rules = (
        rules.filter(Q(city__isnull=True) | Q(city_id=city_id))
        if city_id
        else rules.filter(city__isnull=True)
    )
    chosen: dict[str, object] = {}
    for rule in rules.order_by("name", "pk"):
        if rule.name not in chosen or rule.city_id is not None:
            chosen[rule.name] = rule
    return list(chosen.values())


def bounding_box(lon: float, lat: float, metres: float) -> dict:
    """Filters (lon__gte, …) of a box a little larger than the circle of `metres` around the
    point: a prefilter, distances are then measured."""
    dlat = metres * BOX_MARGIN / METRES_PER_DEGREE_LAT
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return {
        "lon__gte": Decimal(f"{lon - dlon:.6f}"),
        "lon__lte": Decimal(f"{lon + dlon:.6f}"),
        "lat__gte": Decimal(f"{lat - dlat:.6f}"),
        "lat__lte": Decimal(f"{lat + dlat:.6f}"),
    }


def _candidates(rule, lon: float, lat: float, exclude) -> list[tuple[str, object, object]]:
    """(name, lon, lat) of what the rule keeps away from, inside the box around the site."""
    from fucai.network.models import LayerPoint, Station

    box = bounding_box(lon, lat, rule.min_m)
    if rule.target == SpacingTarget.LAYER:
        points = LayerPoint.objects.filter(layer_id=rule.layer_id, **box)
        return list(points.values_list("name", "lon", "lat"))
    stations = Station.objects.filter(**box).exclude(status=StationStatus.CLOSED)
    if rule.target_operation:
        stations = stations.filter(operation=rule.target_operation)
    if exclude:
        stations = stations.exclude(pk__in=exclude)
    return list(stations.values_list("code", "lon", "lat"))


def _target_label(rule) -> str:
    if rule.target == SpacingTarget.LAYER:
        return rule.layer.name
    if rule.target_operation:
        return _("%(operation)s station") % {
            "operation": StationOperation(rule.target_operation).label
        }
    return _("station")


def check_site(lon, lat, operation: str, scene: str = "", city=None, exclude=()) -> list:
    """Every rule a new (or moved) site of `operation` at GCJ-02 (`lon`, `lat`) in `city` breaks,
    each with its nearest offender, nearest first. `exclude`: pks of stations not to count (the
    station being moved). `scene` is the site's intended scene (rules do not depend on it yet;
    it is taken so that every caller passes the whole site)."""
    lon, lat = float(lon), float(lat)
    if isinstance(exclude, int):
        exclude = (exclude,)
    exclude = tuple(pk for pk in exclude if pk)
    violations = []
    for rule in rules_for(operation, city):
        nearest = None
        for name, plon, plat in _candidates(rule, lon, lat, exclude):
            dist = distance_m(lon, lat, plon, plat)
            if dist < rule.min_m and (nearest is None or dist < nearest[1]):
                nearest = (name, dist)
        if nearest is not None:
            violations.append(
                Violation(
                    rule=rule.name,
                    offender=nearest[0],
                    distance_m=round(nearest[1]),
                    min_m=rule.min_m,
                    target=_target_label(rule),
                    rule_id=rule.pk,
                )
            )
    return sorted(violations, key=lambda v: (v.distance_m, v.rule))


def station_violations(station) -> list:
    """The rules a station breaks where it is now, if it is new or has moved or changed its
    operation since it was saved (a station that stays put keeps its historical place)."""
    from fucai.network.models import Station

    if not station.county_id or station.lon is None or station.lat is None:
        return []
    if station.pk:
        saved = Station.objects.filter(pk=station.pk).values("lon", "lat", "operation").first()
        if saved and (
            Decimal(saved["lon"]) == Decimal(str(station.lon))
            and Decimal(saved["lat"]) == Decimal(str(station.lat))
            and saved["operation"] == station.operation
        ):
            return []
    return check_site(
        station.lon,
        station.lat,
        station.operation,
        station.scene,
        station.county.parent_id,
        exclude=(station.pk,) if station.pk else (),
    )
