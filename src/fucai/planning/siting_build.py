"""From fucai's data to a siting problem and back (docs/planning.md, "Siting").

`run_siting(SitingRequest(...))` takes the newest demand layer, the stations open on the day, the
open leads and the spacing rules, builds the `fucai.planning.siting.SitingProblem`, solves it and
answers the sites with what each adds:

- **Demand**: the cells of the area (its cities; the province when none), each covering radius
  by its area type (the request's radii, else FUCAI_PLANNING_RADIUS_*_M).
- **Existing stations**: those open at the end of `as_of` (`Station.objects.open_on`), of every
  city (coverage does not stop at a border); what they cover counts as covered before.
- **Candidates**: the centre of every cell of the area outside the excluded counties, and every
  open lead of the area (status new … approved) at its own position. A candidate's group for
  quotas is its county (or its city when the quotas name cities).
- **Spacing rules** (`fucai.network.spacing.rules_for`, the rules a site of the request's
  operation meets in its city, city overrides included): a rule that keeps away from a point
  layer or from stations removes the candidates nearer than its minimum to a point or to a
  station that exists on the day (not closed; of the rule's operation where it names one); a
  rule about stations of the new sites' own operation (or of any operation) also keeps the new
  sites that far apart (`conflict_pairs`). "Exists" is both as of the day and today (the spacing
  check's stations: not closed), so that a plan's sites pass the check when they become leads;
  a lead that was let through with an override is not a candidate. Distances here are on the
  planning projection (≤ 0.11 % from the geodesic), with one metre of margin; every chosen site
  is then checked with `check_site`, the network's one definition, and the new ones against
  each other with its `distance_m` — a site that fails is reported as an error, never returned.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from fucai.planning.demand import RESOLUTION, DemandGrid, load_demand, radius_m

MARGIN_M = 1.0  # added to every rule's minimum on the projection (it errs by < 0.6 m at 500 m)


class SitingRefused(ValueError):
    """The request cannot be planned (an unknown area, nothing to plan); the message says why."""


@dataclass
class SitingRequest:
    """What a planner asks: N new sites in an area as of a day, under the rules."""

    new: int
    as_of: dt.date
    cities: list[str] | None = None  # city adcodes; None: the whole province
    operation: str = "dedicated"  # the new sites' operation (专营 / 兼营): which rules apply
    radii: dict[str, float] | None = None  # area type → metres; None: the settings
    quotas: dict[str, int] = field(default_factory=dict)  # county or city adcode → at most
    excluded_counties: list[str] = field(default_factory=list)
    use_grid: bool = True
    use_leads: bool = True
    ignored_rules: list[str] = field(default_factory=list)  # spacing rule names not applied
    time_limit: float = 30.0
    method: str = "auto"
    threads: int = 2


@dataclass
class Candidates:
    """The candidate sites: GCJ-02 position, metres, county, city, and where they come from."""

    lon: np.ndarray
    lat: np.ndarray
    xy: np.ndarray
    county: np.ndarray
    city: np.ndarray
    cell: np.ndarray  # uint64 H3 cell of the position
    lead: np.ndarray  # lead pk, 0 for a grid cell

    def __len__(self) -> int:
        return int(self.lon.size)


def _radii(grid: DemandGrid, radii: dict[str, float] | None) -> np.ndarray:
    radius = radius_m(grid.area_type)
    for area_type, metres in (radii or {}).items():
        radius[grid.area_type == area_type] = float(metres)
    return radius


def area_grid(request: SitingRequest) -> DemandGrid:
    grid = load_demand()
    if request.cities is None:
        return grid
    return grid.subset(np.isin(grid.city, np.asarray(request.cities, dtype="<U6")))


def _lead_rows(request: SitingRequest) -> list[tuple]:
    from fucai.network.choices import OPEN_LEAD_STATUSES
    from fucai.network.models import Lead

    leads = Lead.objects.filter(status__in=OPEN_LEAD_STATUSES)
    if request.cities is not None:
        leads = leads.filter(city__code__in=request.cities)
    leads = leads.exclude(county__code__in=request.excluded_counties)
    return list(leads.values_list("pk", "lon", "lat", "county__code", "city__code").order_by("pk"))


def candidates(request: SitingRequest, grid: DemandGrid) -> Candidates:
    from h3.api import basic_int as h3

    from fucai.planning.geometry import gcj02_metres, to_wgs84

    parts = []
    if request.use_grid:
        keep = ~np.isin(grid.county, np.asarray(request.excluded_counties, dtype="<U6"))
        g = grid.subset(keep)
        parts.append((g.lon, g.lat, g.xy, g.county, g.city, g.cell, np.zeros(len(g), np.int64)))
    rows = _lead_rows(request) if request.use_leads else []
    if rows:
        pk, lon, lat = (np.array([r[i] for r in rows], float) for i in range(3))
        wlon, wlat = to_wgs84(lon, lat)
        cells = np.array(
            [
                h3.latlng_to_cell(b, a, RESOLUTION)
                for a, b in zip(wlon.tolist(), wlat.tolist(), strict=True)
            ],
            np.uint64,
        )
        county = np.array([r[3] for r in rows], "<U6")
        city = np.array([r[4] for r in rows], "<U6")
        parts.append((lon, lat, gcj02_metres(lon, lat), county, city, cells, pk.astype(np.int64)))
    if not parts:
        raise SitingRefused(_("No candidates: neither grid cells nor open leads."))
    lon, lat, xy, county, city, cell, lead = (np.concatenate(c) for c in zip(*parts, strict=True))
    return Candidates(lon, lat, xy.reshape(-1, 2), county, city, cell, lead)


# -- spacing ------------------------------------------------------------------------------------


@dataclass
class SpacingConstraints:
    """The rules turned into arrays: which candidates may be chosen, which pairs not together."""

    allowed: np.ndarray
    conflicts: np.ndarray
    rules: list[dict]


def _existing_stations(as_of: dt.date, operation: str | None) -> np.ndarray:
    """Metres of the stations a new site must keep away from: those that existed at the end of
    `as_of` (any status but closed) and those the spacing check counts today (not closed), so
    that a plan as of a past day still passes the check when its sites become leads."""
    from django.db.models import Q

    from fucai.network.choices import StationStatus
    from fucai.network.models import Station
    from fucai.planning.geometry import gcj02_metres

    closed = StationStatus.CLOSED
    stations = Station.objects.with_status_on(as_of).filter(
        (Q(status_on__isnull=False) & ~Q(status_on=closed)) | ~Q(status=closed)
    )
    if operation:
        stations = stations.filter(operation=operation)
    rows = np.array(stations.values_list("lon", "lat"), float).reshape(-1, 2)
    return gcj02_metres(rows[:, 0], rows[:, 1])


def _layer_points(layer_id: int) -> np.ndarray:
    from fucai.network.models import LayerPoint
    from fucai.planning.geometry import gcj02_metres

    rows = np.array(LayerPoint.objects.filter(layer_id=layer_id).values_list("lon", "lat"), float)
    rows = rows.reshape(-1, 2)
    return gcj02_metres(rows[:, 0], rows[:, 1])


def spacing_constraints(request: SitingRequest, cand: Candidates) -> SpacingConstraints:
    """Per city of the candidates, the rules a new site of the request's operation meets there."""
    from fucai.geo.models import Division
    from fucai.network.choices import SpacingTarget
    from fucai.planning.siting import clear_of, conflict_pairs

    allowed = np.ones(len(cand), bool)
    apart = np.zeros(len(cand))  # how far apart two new sites must be, per candidate's city
    cache: dict[tuple, np.ndarray] = {}
    described: dict[int, dict] = {}
    cities = {d.code: d for d in Division.objects.filter(code__in=np.unique(cand.city).tolist())}
    for code in np.unique(cand.city).tolist():
        members = np.flatnonzero(cand.city == code)
        for rule in _rules(request, cities.get(code)):
            described[rule.pk] = {"rule": rule.name, "min_m": rule.min_m, "id": rule.pk}
            if rule.target == SpacingTarget.LAYER:
                key = ("layer", rule.layer_id)
                fixed = cache.get(key)
                if fixed is None:
                    fixed = cache[key] = _layer_points(rule.layer_id)
            else:
                key = ("stations", rule.target_operation or "")
                fixed = cache.get(key)
                if fixed is None:
                    fixed = cache[key] = _existing_stations(request.as_of, rule.target_operation)
                if rule.target_operation in ("", None, request.operation):
                    apart[members] = np.maximum(apart[members], rule.min_m + MARGIN_M)
            allowed[members] &= clear_of(cand.xy[members], fixed, rule.min_m + MARGIN_M)
    conflicts = np.empty((0, 2), np.int64)
    if apart.max(initial=0) > 0:
        pairs = conflict_pairs(cand.xy, float(apart.max()))
        if pairs.size:
            distance = np.hypot(*(cand.xy[pairs[:, 0]] - cand.xy[pairs[:, 1]]).T)
            needed = np.maximum(apart[pairs[:, 0]], apart[pairs[:, 1]])
            conflicts = pairs[distance < needed]
    return SpacingConstraints(allowed, conflicts, sorted(described.values(), key=lambda r: r["id"]))


# -- the run ------------------------------------------------------------------------------------


def _groups(request: SitingRequest, cand: Candidates) -> tuple[np.ndarray | None, dict | None]:
    if not request.quotas:
        return None, None
    codes = sorted(request.quotas)
    index = {code: i for i, code in enumerate(codes)}
    by_city = all(len(code) == 6 and code.endswith("00") for code in codes)
    keys = cand.city if by_city else cand.county
    groups = np.array([index.get(k, -1) for k in keys.tolist()], np.int64)
    return groups, {index[c]: int(request.quotas[c]) for c in codes}


def run_siting(request: SitingRequest, progress=lambda step, pct: None) -> dict:
    """Plan the request; the answer is what `fucai planning siting --format json` prints."""
    from fucai.planning.coverage import open_station_positions
    from fucai.planning.geometry import cover_matrix, covered_by
    from fucai.planning.siting import SitingProblem, solve

    t0 = time.perf_counter()
    if request.new <= 0:
        raise SitingRefused(_("The number of new sites must be at least 1."))
    progress("demand", 5)
    grid = area_grid(request)
    if not len(grid):
        raise SitingRefused(_("The area has no demand cells."))
    radius = _radii(grid, request.radii)
    progress("coverage", 15)
    covered = covered_by(grid.xy, radius, open_station_positions(request.as_of))
    cand = candidates(request, grid)
    progress("spacing", 30)
    rules = spacing_constraints(request, cand)
    cover = cover_matrix(grid.xy, radius, cand.xy)
    groups, quotas = _groups(request, cand)
    problem = SitingProblem(
        weights=grid.population,
        cover=cover,
        covered=covered,
        p=request.new,
        conflicts=rules.conflicts,
        allowed=rules.allowed,
        groups=groups,
        quotas=quotas,
    )
    progress("solving", 45)
    result = solve(
        problem, method=request.method, time_limit=request.time_limit, threads=request.threads
    )
    progress("checking", 90)
    sites = _sites(request, grid, cand, result)
    verify_sites(request, sites)
    progress("done", 100)
    return {
        "as_of": request.as_of.isoformat(),
        "cities": request.cities,
        "operation": request.operation,
        "new": request.new,
        "sites": sites,
        "population": round(float(grid.population.sum())),
        "covered_before": round(result.covered_before),
        "covered_after": round(result.covered_after),
        "upper_bound": round(result.upper_bound),
        "gap_pct": round(result.gap_pct, 4),
        "solver": result.solver,
        "status": result.status,
        "bound": result.bound,
        "seconds": round(time.perf_counter() - t0, 2),
        "solve_seconds": round(result.seconds, 2),
        "candidates": len(cand),
        "candidates_allowed": int(rules.allowed.sum()),
        "demand_cells": len(grid),
        "rules": rules.rules,
    }


def _sites(request, grid: DemandGrid, cand: Candidates, result) -> list[dict]:
    from h3.api import basic_int as h3

    from fucai.geo.models import Division

    names = dict(Division.objects.filter(level="county").values_list("code", "name"))
    sites = []
    pairs = zip(result.chosen.tolist(), result.gains.tolist(), strict=True)
    for rank, (j, gain) in enumerate(pairs, 1):
        county = str(cand.county[j])
        sites.append(
            {
                "rank": rank,
                "lon": round(float(cand.lon[j]), 6),
                "lat": round(float(cand.lat[j]), 6),
                "cell": h3.int_to_str(int(cand.cell[j])),
                "county": county,
                "county_name": names.get(county, county),
                "city": str(cand.city[j]),
                "new_population": round(float(gain)),
                "lead": int(cand.lead[j]) or None,
            }
        )
    return sites


class SpacingBroken(AssertionError):
    """A chosen site breaks a spacing rule by the network's own check: a defect, never shown as a
    plan."""


def verify_sites(request: SitingRequest, sites: list[dict]) -> None:
    """Every chosen site passes `check_site` (the one definition of the spacing rules), and the new
    sites keep the rules' distances from each other."""
    from fucai.geo.models import Division
    from fucai.network.spacing import check_site, distance_m

    cities = {d.code: d for d in Division.objects.filter(code__in={s["city"] for s in sites})}
    apart = {}
    for code, city in cities.items():
        own = [r.min_m for r in _rules(request, city) if _about_new_sites(r, request)]
        apart[code] = max(own, default=0)
    for site in sites:
        broken = check_site(site["lon"], site["lat"], request.operation, city=cities[site["city"]])
        broken = [v for v in broken if v.rule not in request.ignored_rules]
        if broken:
            raise SpacingBroken(f"site {site['rank']} {site['cell']}: {broken[0].message}")
    for i, a in enumerate(sites):
        for b in sites[i + 1 :]:
            need = max(apart.get(a["city"], 0), apart.get(b["city"], 0))
            if need and distance_m(a["lon"], a["lat"], b["lon"], b["lat"]) < need:
                raise SpacingBroken(f"sites {a['rank']} and {b['rank']} closer than {need} m")


def _rules(request: SitingRequest, city) -> list:
    """The spacing rules a new site of the request's operation meets in `city`
    (`network.spacing.rules_for`), less those the request sets aside by name."""
    from fucai.network.spacing import rules_for

    return [r for r in rules_for(request.operation, city) if r.name not in request.ignored_rules]


def _about_new_sites(rule, request: SitingRequest) -> bool:
    from fucai.network.choices import SpacingTarget

    return rule.target == SpacingTarget.STATIONS and rule.target_operation in (
        "",
        None,
        request.operation,
    )
