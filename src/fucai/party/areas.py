"""A cadre's area (分片挂点) and what is in it as of a day: its population on the demand grid
(fucai.planning.demand), the part no open station covers (fucai.planning.coverage, the blank
area) and the leads still in the pipeline there (fucai.network's leads).

A county area is the county's demand cells and leads. A cell area is a set of H3 cells of any
resolution: the demand cells (resolution 8) inside them, and the leads whose position falls in
one of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fucai.party.choices import AreaKind

MAX_CELLS = 2000  # cells one area may list


def check_area(area) -> None:
    """A county area names a county; a cell area lists valid H3 cells (and no county)."""
    from h3.api import basic_str as h3

    if area.ended_on and area.started_on and area.ended_on <= area.started_on:
        raise ValidationError({"ended_on": _("An assignment ends after the day it starts.")})
    if area.kind == AreaKind.COUNTY:
        if not area.county_id:
            raise ValidationError({"county": _("Choose the county the cadre is assigned to.")})
        return
    cells = area.cells if isinstance(area.cells, list) else []
    if not cells:
        raise ValidationError({"cells": _("List the H3 cells of the area.")})
    if len(cells) > MAX_CELLS:
        raise ValidationError({"cells": _("At most %(n)d cells per area.") % {"n": MAX_CELLS}})
    bad = [c for c in cells if not (isinstance(c, str) and h3.is_valid_cell(c))]
    if bad:
        raise ValidationError({"cells": _("Not an H3 cell: %(cell)s") % {"cell": str(bad[0])}})


def demand_cells(cells: list[str], resolution: int) -> np.ndarray:
    """The uint64 H3 indexes at `resolution` that the cells cover (children of coarser cells,
    the parent of finer ones)."""
    from h3.api import basic_str as h3

    out: set[str] = set()
    for cell in cells:
        res = h3.get_resolution(cell)
        if res < resolution:
            out.update(h3.cell_to_children(cell, resolution))
        else:
            out.add(h3.cell_to_parent(cell, resolution) if res > resolution else cell)
    return np.array(sorted(int(c, 16) for c in out), dtype=np.uint64)


@dataclass
class AreaContents:
    """An area's population, its blank part and its open leads as of a day."""

    area: object
    population: float | None = None  # None: no demand layer yet
    uncovered: float | None = None
    cells: int = 0
    leads: list = field(default_factory=list)

    @property
    def covered_pct(self) -> float | None:
        if not self.population or self.uncovered is None:
            return None
        return round((1 - self.uncovered / self.population) * 100, 1)


def _grid_mask(area, grid) -> np.ndarray:
    from fucai.planning.demand import RESOLUTION

    if area.kind == AreaKind.COUNTY:
        return grid.county == area.county.code
    return np.isin(grid.cell, demand_cells(area.cells, RESOLUTION))


def _leads_in(area, leads: list) -> list:
    if area.kind == AreaKind.COUNTY:
        return [lead for lead in leads if lead.county_id == area.county_id]
    from h3.api import basic_str as h3

    from fucai.planning.geometry import to_wgs84

    if not leads:
        return []
    lon, lat = to_wgs84(
        np.array([float(lead.lon) for lead in leads]), np.array([float(lead.lat) for lead in leads])
    )
    wanted = set(area.cells)
    resolutions = {h3.get_resolution(c) for c in wanted}
    out = []
    for lead, x, y in zip(leads, lon.tolist(), lat.tolist(), strict=True):
        if any(h3.latlng_to_cell(y, x, res) in wanted for res in resolutions):
            out.append(lead)
    return out


def area_contents(areas, as_of: dt.date, user=None) -> list[AreaContents]:
    """For each area, its figures as of `as_of` (no population without a demand layer); the
    leads are those `user` sees (None: all)."""
    from fucai.network.models import Lead

    areas = list(areas)
    if not areas:
        return []
    leads = Lead.objects.restrict(user) if user is not None else Lead.objects.all()
    leads = list(leads.open_on(as_of).select_related("county").order_by("received_on", "pk"))
    out = [AreaContents(area=area, leads=_leads_in(area, leads)) for area in areas]
    _add_population(out, as_of)
    return out


def _add_population(contents: list[AreaContents], as_of: dt.date) -> None:
    from fucai.planning.coverage import covered_cells
    from fucai.planning.demand import NoDemandLayer, load_demand

    try:
        grid = load_demand()
    except NoDemandLayer:
        return
    masks = [_grid_mask(c.area, grid) for c in contents]
    union = np.logical_or.reduce(masks)
    covered = np.zeros(len(grid), dtype=bool)
    covered[union] = covered_cells(grid.subset(union), as_of)
    for item, mask in zip(contents, masks, strict=True):
        people = grid.population[mask]
        item.population = float(people.sum())
        item.uncovered = float(people[~covered[mask]].sum())
        item.cells = int(mask.sum())


def area_map(area, as_of: dt.date, user=None) -> dict:
    """What the area page's map shows as of `as_of`: the area's demand cells (GCJ-02 centres,
    people, covered or not — every open station covers, as in fucai.planning.coverage), the
    open stations `user` sees around it, its open leads, and the box to frame."""
    from fucai.network.models import Station
    from fucai.planning.coverage import covered_cells
    from fucai.planning.demand import NoDemandLayer, load_demand

    try:
        grid = load_demand()
    except NoDemandLayer:
        empty: dict = {"cells": [], "stations": [], "leads": [], "bounds": None}
        return {"as_of": as_of.isoformat(), **empty}
    cells = grid.subset(_grid_mask(area, grid))
    covered = covered_cells(cells, as_of)
    leads = area_contents([area], as_of, user=user)[0].leads
    lons = [*cells.lon.tolist(), *(float(lead.lon) for lead in leads)]
    lats = [*cells.lat.tolist(), *(float(lead.lat) for lead in leads)]
    bounds = [min(lons), min(lats), max(lons), max(lats)] if lons else None
    stations = Station.objects.restrict(user) if user is not None else Station.objects.all()
    stations = stations.open_on(as_of)
    if bounds:
        margin = 0.02  # degrees (≈ 2 km) around the area
        stations = stations.filter(
            lon__gte=bounds[0] - margin,
            lat__gte=bounds[1] - margin,
            lon__lte=bounds[2] + margin,
            lat__lte=bounds[3] + margin,
        )
    return {
        "as_of": as_of.isoformat(),
        "cells": [
            [round(x, 5), round(y, 5), round(p, 1), int(c)]
            for x, y, p, c in zip(
                cells.lon.tolist(),
                cells.lat.tolist(),
                cells.population.tolist(),
                covered.tolist(),
                strict=True,
            )
        ],
        "stations": [
            [float(s.lon), float(s.lat), s.code, s.name]
            for s in stations.only("lon", "lat", "code", "name").order_by("code")
        ],
        "leads": [[float(lead.lon), float(lead.lat), lead.pk, lead.address] for lead in leads],
        "bounds": bounds,
    }
