"""吉安's cadre–商超 pairings in the demo, planned once for every demo step that needs them.

The seed: "动员全市433名党员干部与福彩商超站点结对子，党员干部'一对一'为站点分析市场形势". The demo
pairs 433 fictional cadres one to one with 433 of 吉安's 商超 stations, each from its own day in
the first half of 2023 (the drive rolled out over months: staggered starts). Three demo steps
read this one plan: the sales generator (a paired station sells `PAIRING_EFFECT` more from its
pairing day: the known effect the estimator must recover), the field visits (a cadre visits
from the pairing day on) and the Party demo (the cadres as members of 吉安's branch, the
pairings as records). Stations whose owner is a Party member are not paired (their owners need
no cadre; and their 2023 sales carry the Party-owner floor of the sales demo, which would blur
the measured effect). Everything is drawn from the demo seed."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from fucai.network.choices import StationScene, StationStatus
from fucai.network.demo.names import person_name
from fucai.network.demo.targets import DEMO_AS_OF, JIAN_CODE, JIAN_PAIRED_CADRES

PAIRING_FIRST_DAY = dt.date(2023, 1, 3)  # the drive's first pairings
PAIRING_LAST_DAY = dt.date(2023, 6, 30)  # the last ones of stations already running
NEW_STATION_LAST_DAY = DEMO_AS_OF  # a 商超 station opened in 2023 is paired when it opens
SETTLED_DAYS = 150  # a station is paired once it has run this long (past its ramp-up)
PAIRING_EFFECT = 0.08  # a paired station sells 8 % more from its pairing day (sales demo)


@dataclass(frozen=True)
class PlannedPairing:
    """One cadre paired with one station from `start` until `end` (the station's closure, or
    None: still paired)."""

    number: int  # 1…433, the cadre's number in the plan
    station: int  # Station pk
    code: str  # station code
    cadre: str  # the cadre's (fictional) name
    start: dt.date
    end: dt.date | None


def station_spans(station_ids) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    """Each station's spans from opening to closure (end exclusive; None: still running)."""
    from fucai.network.models import StationStatusChange

    spans: dict[int, list] = {pk: [] for pk in station_ids}
    started: dict[int, dt.date] = {}
    changes = (
        StationStatusChange.objects.filter(station_id__in=list(spans))
        .order_by("station_id", "date", "pk")
        .values_list("station_id", "status", "date")
    )
    for pk, status, day in changes:
        if status == StationStatus.OPEN and pk not in started:
            started[pk] = day
        elif status == StationStatus.CLOSED and pk in started:
            spans[pk].append((started.pop(pk), day))
    for pk, day in started.items():
        spans[pk].append((day, None))
    return spans


def _window_span(spans) -> tuple[dt.date, dt.date] | None:
    """The days the station may be paired on: in the drive's window once it has run
    SETTLED_DAYS; a station opening during the drive on its opening day only (it has no sales
    before to compare with; an estimate leaves it out)."""
    for start, end in spans:
        if end is not None and end <= PAIRING_FIRST_DAY:
            continue
        first = max(start + dt.timedelta(days=SETTLED_DAYS), PAIRING_FIRST_DAY)
        last = min(PAIRING_LAST_DAY, end - dt.timedelta(days=1)) if end else PAIRING_LAST_DAY
        if first <= last:
            return first, last
        if PAIRING_FIRST_DAY <= start <= NEW_STATION_LAST_DAY:
            return start, start
    return None


def jian_pairings(seed: int) -> list[PlannedPairing]:
    """The demo's 433 pairings, by station code (deterministic for a seed and a network)."""
    from fucai.network.models import Station

    stations = (
        Station.objects.filter(city__code=JIAN_CODE, scene=StationScene.SUPERMARKET)
        .exclude(owner__is_party_member=True)
        .order_by("code")
    )
    codes = dict(stations.values_list("pk", "code"))
    spans = station_spans(codes)
    windows = {pk: w for pk in codes if (w := _window_span(spans[pk])) is not None}
    rng = random.Random(f"{seed}-pairings")
    chosen = sorted(rng.sample(sorted(windows), min(JIAN_PAIRED_CADRES, len(windows))))
    names: set[str] = set()
    plan = []
    for number, pk in enumerate(chosen, start=1):
        cadre = person_name(rng)
        while cadre in names:  # one name, one cadre: pages and indicators count people by name
            cadre = person_name(rng)
        names.add(cadre)
        first, last = windows[pk]
        start = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        end = next((e for s, e in spans[pk] if s <= start and (e is None or start < e)), None)
        plan.append(PlannedPairing(number, pk, codes[pk], cadre, start, end))
    return sorted(plan, key=lambda p: p.code)
