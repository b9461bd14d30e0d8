"""From fucai's records to an effect estimate (fucai.party.effect): which stations were treated
when, and the panel of their monthly sales from the analytics.

Treatments:
- "pairing": a station paired with a cadre (fucai.party.models.Pairing) from its first
  pairing's start (the pairings the user sees, of the city asked for);
- "new_channel": a traditional station (street or community) near which a new-channel outlet
  opened (any other scene: 商超, 商圈, 商业综合体, 文旅街区, 即开销售亭, 福彩公益驿站) within
  `radius_m` metres, from the first such opening: does a new channel next door draw sales
  away, or bring players in?

The panel covers every station of the city with sales (Scope.city, or the user's scope), from
`first` to `last`; never-treated stations of the same city and scene are the matched controls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fucai.network.choices import StationScene

TREATMENTS = ("pairing", "new_channel")
TRADITIONAL_SCENES = (StationScene.STREET, StationScene.COMMUNITY)
NEW_CHANNEL_SCENES = tuple(s for s in StationScene.values if s not in TRADITIONAL_SCENES)
NEAR_M = 1000  # a new-channel outlet this close counts as next door
PANEL_FIRST = dt.date(2021, 1, 1)  # the daily facts' first month


@dataclass(frozen=True)
class EffectRequest:
    """What to estimate: the treatment, the city (adcode), the months, the radius."""

    treatment: str
    city: str
    first: dt.date = PANEL_FIRST
    last: dt.date = dt.date(2023, 12, 31)
    radius_m: int = NEAR_M
    settings: object = field(default=None)


def pairing_starts(city: str, user=None) -> dict[str, dt.date]:
    """Station code → first day a cadre was paired with it, in `city`, of the pairings `user`
    sees (None: all)."""
    from django.db.models import Min

    from fucai.party.models import Pairing

    pairings = Pairing.objects.restrict(user) if user is not None else Pairing.objects.all()
    rows = (
        pairings.filter(station__city__code=city)
        .values_list("station__code")
        .annotate(first=Min("started_on"))
    )
    return dict(rows)


def new_channel_starts(city: str, last: dt.date, radius_m: int = NEAR_M) -> dict[str, dt.date]:
    """Traditional station code → the first day a new-channel outlet opened within `radius_m`
    of it (after the station itself opened), up to `last`."""
    import numpy as np
    from scipy.spatial import cKDTree

    from fucai.network.models import Station
    from fucai.planning.geometry import gcj02_metres

    fields = ("code", "scene", "lon", "lat", "opened_on")
    stations = list(Station.objects.filter(city__code=city).values_list(*fields))
    old = [s for s in stations if s[1] in TRADITIONAL_SCENES and s[4] is not None]
    new = [s for s in stations if s[1] in NEW_CHANNEL_SCENES and s[4] and s[4] <= last]
    if not old or not new:
        return {}

    def metres(rows):
        return gcj02_metres(
            np.array([float(r[2]) for r in rows]), np.array([float(r[3]) for r in rows])
        )

    tree = cKDTree(metres(new))
    starts = {}
    for station, near in zip(old, tree.query_ball_point(metres(old), r=radius_m), strict=True):
        openings = [new[i][4] for i in near if new[i][4] > station[4]]
        if openings:
            starts[station[0]] = min(openings)
    return starts


def treatment_starts(request: EffectRequest, user=None) -> dict[str, dt.date]:
    if request.treatment == "pairing":
        return pairing_starts(request.city, user)
    if request.treatment == "new_channel":
        return new_channel_starts(request.city, request.last, request.radius_m)
    raise ValueError(f"treatment must be one of {TREATMENTS}")


def run_effect(request: EffectRequest, user=None, progress=None):
    """The EffectResult for the request, the panel read through `user`'s scope (None: all);
    `progress(step, pct)` hears of the steps."""
    from fucai.analytics.scope import Scope
    from fucai.network.models import Station
    from fucai.party.effect import EffectSettings, estimate_effect, panel_from_sales

    starts = treatment_starts(request, user)
    scope = Scope.city(request.city) if user is None else Scope.for_user(user)
    opened = dict(Station.objects.filter(city__code=request.city).values_list("code", "opened_on"))
    panel, stations = panel_from_sales(starts, request.first, request.last, scope, opened=opened)
    stations = stations[stations.city == request.city]
    panel = panel[panel.station_code.isin(stations.station_code)]
    if progress is not None:
        progress(_("estimating"), 40)
    return estimate_effect(panel, stations, request.settings or EffectSettings())
