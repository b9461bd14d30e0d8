"""The demo network as the sales generator sees it, read from the database: per station its
size, how much of each game it sells, and per day whether it is open and how mature it is.

A station sells on the days its status history says it is open (the status on a day is the
latest change dated on or before it, as the importer checks): not before opening, not while
suspended, not after closing. A new station ramps up over its first months; a station about to
close fades over its last ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fucai.network.choices import StationOperation, StationScene, StationStatus
from fucai.sales.demo.shape import EPOCH, GameSpec
from fucai.sales.demo.targets import DRAW, INSTANT

S = StationScene
SCENE_SIZE = {
    S.STREET: 1.0,
    S.SUPERMARKET: 0.62,
    S.BUSINESS_DISTRICT: 1.7,
    S.COMMUNITY: 0.85,
    S.SHOPPING_COMPLEX: 2.3,
    S.TOURISM_STREET: 1.35,
    S.INSTANT_KIOSK: 0.7,
    S.WELFARE_POST: 0.95,
}
SCENE_INSTANT = {  # how much more instant tickets a scene sells than a street station
    S.STREET: 0.9,
    S.SUPERMARKET: 1.6,
    S.BUSINESS_DISTRICT: 1.3,
    S.COMMUNITY: 1.1,
    S.SHOPPING_COMPLEX: 1.5,
    S.TOURISM_STREET: 1.8,
    S.INSTANT_KIOSK: 4.0,
    S.WELFARE_POST: 1.2,
}
INSTANT_ONLY_SCENES = {S.INSTANT_KIOSK}
OPERATION_SIZE = {StationOperation.DEDICATED: 1.3, StationOperation.SHARED: 0.8}
PARTNER_SIZE = 1.4  # a partner group's outlets: prime sites and the group's promotions
BRAND_INSTANT = 1.5  # themed kiosks (临川四梦)
TYPICAL_POPULATION = 450_000
SIZE_SIGMA, AFFINITY_SIGMA = 0.45, 0.3
RAMP_START, RAMP_DAYS = 0.3, 35.0  # a new station starts at 30 % and is ~95 % mature at 3 months
FADE_FLOOR, FADE_DAYS = 0.6, 75  # the last months before closing


@dataclass(frozen=True)
class StationFrame:
    """Stations (sorted by code) that are open on at least one day of the history."""

    codes: tuple[str, ...]
    size: np.ndarray  # (stations,)
    affinity: np.ndarray  # (stations, games): 0 for a game the station does not sell
    open_days: np.ndarray  # (stations, days) bool
    maturity: np.ndarray  # (stations, days) float32: ramp-up × fade-out
    partner: np.ndarray  # (stations,) bool: outlet of a partner organisation
    party: np.ndarray  # (stations,) bool: a 党员先锋示范岗 (consenting Party member)
    paired_from: np.ndarray  # (stations,) int32 day number of a cadre pairing; NEVER: none

    def __len__(self) -> int:
        return len(self.codes)


@dataclass
class StationRow:
    code: str
    scene: str
    operation: str
    terminals: int
    staff: int
    population: int
    brand: str
    partner: bool
    party: bool
    spans: list[tuple[int, int]]  # open [start, end) as day numbers since 1970
    first_open: int | None
    closed: bool


def open_spans(history: Sequence[tuple[dt.date, str]]) -> list[tuple[int, int | None]]:
    """[start, end) of each open period, in day numbers; end None while still open."""
    spans, since = [], None
    for date, status in history:
        day = (date - EPOCH).days
        if status == StationStatus.OPEN and since is None:
            since = day
        elif status != StationStatus.OPEN and since is not None:
            if day > since:
                spans.append((since, day))
            since = None
    if since is not None:
        spans.append((since, None))
    return spans


def load_rows(first_day: int, after_last: int) -> list[StationRow]:
    from fucai.network.models import Station, StationStatusChange

    histories: dict[int, list[tuple[dt.date, str]]] = {}
    changes = StationStatusChange.objects.order_by("station_id", "date", "pk").values_list(
        "station_id", "date", "status"
    )
    for station_id, date, status in changes.iterator(chunk_size=5000):
        histories.setdefault(station_id, []).append((date, status))
    from django.db.models import BooleanField, ExpressionWrapper

    from fucai.party.vanguard import vanguard_q

    vanguard = ExpressionWrapper(vanguard_q(prefix="owner"), output_field=BooleanField())
    stations = (
        Station.objects.annotate(vanguard=vanguard)
        .order_by("code")
        .values_list(
            "pk",
            "code",
            "scene",
            "operation",
            "terminal_count",
            "staff_count",
            "county__population",
            "brand",
            "partner_id",
            "vanguard",  # the seed's floor is the vanguard posts' (consenting Party members)
        )
    )
    rows = []
    for pk, code, scene, operation, terminals, staff, population, brand, partner, party in stations:
        history = histories.get(pk, [])
        spans = [(start, after_last if end is None else end) for start, end in open_spans(history)]
        spans = [(max(s, first_day), min(e, after_last)) for s, e in spans]
        spans = [(s, e) for s, e in spans if s < e]
        if not spans:
            continue
        first_open = next(((d - EPOCH).days for d, st in history if st == StationStatus.OPEN), None)
        rows.append(
            StationRow(
                code=code,
                scene=scene,
                operation=operation,
                terminals=terminals or 1,
                staff=staff or 1,
                population=population or TYPICAL_POPULATION,
                brand=brand or "",
                partner=partner is not None,
                party=bool(party),
                spans=spans,
                first_open=first_open,
                closed=bool(history) and history[-1][1] == StationStatus.CLOSED,
            )
        )
    return rows


def sizes(rows: Sequence[StationRow], rng: np.random.Generator) -> np.ndarray:
    base = np.array(
        [
            SCENE_SIZE.get(r.scene, 1.0)
            * OPERATION_SIZE.get(r.operation, 1.0)
            * (1 + 0.3 * (r.terminals - 1))
            * (1 + 0.05 * (r.staff - 1))
            * float(np.clip((r.population / TYPICAL_POPULATION) ** 0.25, 0.75, 1.35))
            * (PARTNER_SIZE if r.partner else 1.0)
            for r in rows
        ]
    )
    return base * rng.lognormal(-(SIZE_SIGMA**2) / 2, SIZE_SIGMA, len(rows))


def affinities(
    rows: Sequence[StationRow], games: Sequence[GameSpec], rng: np.random.Generator
) -> np.ndarray:
    noise = rng.lognormal(-(AFFINITY_SIGMA**2) / 2, AFFINITY_SIGMA, (len(rows), len(games)))
    factors = np.ones((len(rows), len(games)))
    for i, row in enumerate(rows):
        for j, game in enumerate(games):
            if game.category == INSTANT:
                factors[i, j] = SCENE_INSTANT.get(row.scene, 1.0) * (
                    BRAND_INSTANT if row.brand else 1.0
                )
            elif game.category == DRAW and row.scene in INSTANT_ONLY_SCENES:
                factors[i, j] = 0.0
    return factors * noise


def maturity(rows: Sequence[StationRow], days: np.ndarray) -> np.ndarray:
    """Ramp-up after the first opening, fade-out before a closure; 1 otherwise."""
    values = np.ones((len(rows), len(days)), dtype=np.float32)
    for i, row in enumerate(rows):
        if row.first_open is not None and row.first_open > days[0] - 4 * RAMP_DAYS:
            age = np.maximum(days - row.first_open, 0)
            values[i] *= 1 - (1 - RAMP_START) * np.exp(-age / RAMP_DAYS)
        if row.closed:
            last = row.spans[-1][1]
            left = np.clip((last - days) / FADE_DAYS, 0.0, 1.0)
            values[i] *= FADE_FLOOR + (1 - FADE_FLOOR) * left
    return values


def open_mask(rows: Sequence[StationRow], days: np.ndarray) -> np.ndarray:
    mask = np.zeros((len(rows), len(days)), dtype=bool)
    first = int(days[0])
    for i, row in enumerate(rows):
        for start, end in row.spans:
            mask[i, start - first : end - first] = True
    return mask


NEVER = np.iinfo(np.int32).max


def pairing_days(codes: Sequence[str], seed: int) -> np.ndarray:
    """Per station, the day number from which a cadre is paired with it (the demo's pairings,
    fucai.network.demo.pairing), NEVER for a station nobody is paired with."""
    from fucai.network.demo.pairing import jian_pairings

    starts = {p.code: (p.start - EPOCH).days for p in jian_pairings(seed)}
    return np.array([starts.get(code, NEVER) for code in codes], dtype=np.int32)


def load_stations(games: Sequence[GameSpec], days: np.ndarray, seed: int) -> StationFrame:
    rows = load_rows(int(days[0]), int(days[-1]) + 1)
    rng = np.random.default_rng([seed, 17])
    return StationFrame(
        codes=tuple(r.code for r in rows),
        size=sizes(rows, rng),
        affinity=affinities(rows, games, rng),
        open_days=open_mask(rows, days),
        maturity=maturity(rows, days),
        partner=np.array([r.partner for r in rows], dtype=bool),
        party=np.array([r.party for r in rows], dtype=bool),
        paired_from=pairing_days([r.code for r in rows], seed),
    )
