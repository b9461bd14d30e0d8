"""The demo network as plain Python objects: which stations exist, where (county), since when, in
which scene, with which lifecycle and which owner. Pure and deterministic: the same counties and
seed always give the same plan. Coordinates, names and managers are added by placement.py and
managers.py; writer.py stores the result.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from fucai.network.choices import CORE_URBAN_SCENES, StationOperation, StationScene, StationStatus
from fucai.network.demo import names
from fucai.network.demo import targets as T

S = StationScene
Event = tuple[dt.date, str, str]  # (date, status, note)

LEGACY_FIRST_DAY = dt.date(2006, 3, 1)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class County:
    """What the generator needs to know about a county-level division."""

    code: str
    name: str
    city_code: str
    city_name: str
    lottery_code: str
    population: int
    seat_lon: float
    seat_lat: float
    area_km2: float

    @property
    def density(self) -> float:
        return self.population / max(self.area_km2, 1.0)

    @property
    def is_district(self) -> bool:
        return self.name.endswith("区")

    @property
    def urban(self) -> float:
        """Urban concentration: 0.85 for sparse mountain counties up to 1.6 for city cores."""
        return min(1.6, max(0.85, 0.85 + 0.5 * math.log10(self.density / 150)))


@dataclass
class PlannedOwner:
    name: str
    phone: str
    id_number: str
    city_code: str
    is_party_member: bool = False
    is_veteran: bool = False
    party_consent: bool = False


@dataclass
class PlannedStation:
    key: int
    county: County
    cohort: str  # legacy, 2021, 2022, 2023, pipeline
    events: list[Event] = field(default_factory=list)
    scene: str = S.STREET
    operation: str = StationOperation.SHARED
    brand: str = ""
    partner: bool = False
    staff: int = 1
    terminals: int = 1
    serial: int = 0
    special: bool = False
    storyline: str = ""
    owner: PlannedOwner | None = None
    town: str = ""
    lon: str = ""
    lat: str = ""
    name: str = ""
    address: str = ""

    @property
    def code(self) -> str:
        return f"36{self.county.lottery_code}{self.serial:04d}"

    @property
    def city_code(self) -> str:
        return self.county.city_code

    @property
    def status(self) -> str:
        return self.events[-1][1]

    @property
    def opened_on(self) -> dt.date | None:
        return next((d for d, s, _ in self.events if s == StationStatus.OPEN), None)

    @property
    def closed_on(self) -> dt.date | None:
        return next((d for d, s, _ in self.events if s == StationStatus.CLOSED), None)

    @property
    def dedicated(self) -> bool:
        return self.operation == StationOperation.DEDICATED

    def status_on(self, day: dt.date) -> str | None:
        status = None
        for date, value, _ in self.events:
            if date > day:
                break
            status = value
        return status

    def is_open_on(self, day: dt.date) -> bool:
        return self.status_on(day) == StationStatus.OPEN


@dataclass
class NetworkPlan:
    seed: int
    counties: list[County]
    stations: list[PlannedStation]
    partner_name: str = ""
    managers: list = field(default_factory=list)
    territories: list = field(default_factory=list)
    assignments: list = field(default_factory=list)

    @property
    def special(self) -> PlannedStation:
        return next(s for s in self.stations if s.special)


# --- small deterministic helpers -------------------------------------------------------------


def rng_for(seed: int, phase: str) -> random.Random:
    """An independent random stream per phase, so changing one phase leaves the others alone."""
    return random.Random(f"fucai-demo:{seed}:{phase}")


def apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` over the keys in proportion to their weights (largest remainder)."""
    keys = sorted(weights)
    weight_sum = sum(weights.values())
    quotas = {k: total * weights[k] / weight_sum for k in keys}
    counts = {k: int(quotas[k]) for k in keys}
    left = total - sum(counts.values())
    for key in sorted(keys, key=lambda k: (counts[k] - quotas[k], k))[:left]:
        counts[key] += 1
    return counts


def weighted_sample(
    rng: random.Random, items: Sequence, k: int, weight: Callable[[object], float] = lambda _: 1.0
) -> list:
    """k items without replacement, each drawn with probability proportional to its weight."""
    if k > len(items):
        raise ValueError(f"cannot pick {k} of {len(items)} items")
    keyed = [(rng.random() ** (1.0 / weight(item)), index) for index, item in enumerate(items)]
    keyed.sort(reverse=True)
    return [items[index] for _, index in keyed[:k]]


def off_new_year(day: dt.date) -> dt.date:
    """No status change is dated 1 January: "open at year start" = "open on 1 January"."""
    return day + DAY if (day.month, day.day) == (1, 1) else day


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day in [first, last], never 1 January."""
    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    if (day.month, day.day) != (1, 1):
        return day
    return day + DAY if day < last else day - DAY


def weighted_choice(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


# --- cohorts ---------------------------------------------------------------------------------

JIAN_BOOST = 1.15  # 吉安's 进商超 drive gave it a denser network than its population alone


def county_weight(county: County) -> float:
    boost = JIAN_BOOST if county.city_code == T.JIAN_CODE else 1.0
    return county.population * county.urban * boost


def allocate(
    total: int, counties: Sequence[County], fixed: dict[str, int] | None = None
) -> dict[str, int]:
    """Stations per county: cities by weight (some fixed), then counties within a city by weight."""
    fixed = fixed or {}
    city_weights: dict[str, float] = {}
    for county in counties:
        if county.city_code not in fixed:
            city_weights[county.city_code] = city_weights.get(
                county.city_code, 0.0
            ) + county_weight(county)
    per_city = apportion(total - sum(fixed.values()), city_weights) | fixed
    per_county: dict[str, int] = {}
    for city_code, count in sorted(per_city.items()):
        members = {c.code: county_weight(c) for c in counties if c.city_code == city_code}
        per_county |= apportion(count, members)
    return per_county


def make_cohorts(counties: Sequence[County]) -> list[PlannedStation]:
    sizes = {
        "legacy": (T.LEGACY, None),
        "2021": (T.OPENED_2021, None),
        "2022": (T.OPENED_2022, None),
        "2023": (T.OPENED_2023, {T.FUZHOU_CODE: T.FUZHOU_NEW}),
        "pipeline": (sum(T.PIPELINE.values()), None),
    }
    by_code = {c.code: c for c in counties}
    stations: list[PlannedStation] = []
    for cohort, (total, fixed) in sizes.items():
        for code, count in sorted(allocate(total, counties, fixed).items()):
            stations += [
                PlannedStation(key=0, county=by_code[code], cohort=cohort) for _ in range(count)
            ]
    for key, station in enumerate(stations):
        station.key = key
    return stations


# --- lifecycles ------------------------------------------------------------------------------

OPENING_NOTE = "新站开业"
CLOSE_NOTES = ("业主退出经营", "租约到期撤站", "门店拆迁撤站", "经营不善撤站", "合并至邻近站点")
SUSPEND_NOTES = ("停业整改", "门店装修", "业主病休暂停营业", "道路施工暂停营业")


def preopen_events(rng: random.Random, opened: dt.date) -> list[Event]:
    """planned → (surveyed) → building before opening: the 四帮 onboarding path."""
    building = opened - dt.timedelta(days=rng.randint(12, 45))
    surveyed = building - dt.timedelta(days=rng.randint(10, 40))
    planned = surveyed - dt.timedelta(days=rng.randint(7, 60))
    events: list[Event] = [(off_new_year(planned), StationStatus.PLANNED, "纳入布点规划")]
    if rng.random() < 0.85:
        events.append((off_new_year(surveyed), StationStatus.SURVEYED, "完成选址勘察"))
    events.append((off_new_year(building), StationStatus.BUILDING, "开始装修建设"))
    return events


def legacy_opening(rng: random.Random) -> dt.date:
    """Older stations: opening dates from 2006 to 2020, more of them in later years (the density
    grows linearly with time)."""
    span = (T.HISTORY_START - DAY - LEGACY_FIRST_DAY).days
    return off_new_year(LEGACY_FIRST_DAY + dt.timedelta(days=int(span * math.sqrt(rng.random()))))


COHORT_YEARS = {
    "2021": (dt.date(2021, 1, 2), dt.date(2021, 12, 31)),
    "2022": (dt.date(2022, 1, 2), dt.date(2022, 12, 31)),
    "2023": (dt.date(2023, 1, 2), T.DEMO_AS_OF),
}


def plan_openings(stations: Iterable[PlannedStation], rng: random.Random) -> None:
    for station in stations:
        if station.cohort == "legacy":
            station.events = [(legacy_opening(rng), StationStatus.OPEN, "")]
        elif station.cohort in COHORT_YEARS:
            opened = random_day(rng, *COHORT_YEARS[station.cohort])
            station.events = [
                *preopen_events(rng, opened),
                (opened, StationStatus.OPEN, OPENING_NOTE),
            ]


def plan_pipeline(stations: Sequence[PlannedStation], rng: random.Random) -> None:
    """Stations not open yet on the as-of day: planned, surveyed or building, each reached
    between mid-May and the as-of day."""
    pipeline = [s for s in stations if s.cohort == "pipeline"]
    rng.shuffle(pipeline)
    start = 0
    for status, count in T.PIPELINE.items():
        for station in pipeline[start : start + count]:
            station.events = pipeline_events(
                rng, status, random_day(rng, dt.date(2023, 5, 15), T.DEMO_AS_OF)
            )
        start += count


def pipeline_events(rng: random.Random, status: str, reached: dt.date) -> list[Event]:
    if status == StationStatus.PLANNED:
        return [(reached, StationStatus.PLANNED, "纳入布点规划")]
    if status == StationStatus.SURVEYED:
        planned = reached - dt.timedelta(days=rng.randint(7, 60))
        return [
            (planned, StationStatus.PLANNED, "纳入布点规划"),
            (reached, StationStatus.SURVEYED, "完成选址勘察"),
        ]
    earlier = preopen_events(rng, reached)[:-1]  # planned and (mostly) surveyed, weeks before
    return [*earlier, (reached, StationStatus.BUILDING, "开始装修建设")]


class StorylinePlanner:
    """Gives stations that were open what happened to them afterwards: closures, suspensions,
    reopenings. Each station gets at most one storyline."""

    def __init__(self, stations: Sequence[PlannedStation], rng: random.Random) -> None:
        self.stations = stations
        self.rng = rng

    def pick(
        self, count: int, eligible: Callable[[PlannedStation], bool], storyline: str
    ) -> list[PlannedStation]:
        pool = [s for s in self.stations if not s.storyline and not s.special and eligible(s)]
        chosen = sorted(self.rng.sample(pool, count), key=lambda s: s.key)
        for station in chosen:
            station.storyline = storyline
        return chosen

    def close(
        self, station: PlannedStation, first: dt.date, last: dt.date, suspend_first: float
    ) -> None:
        closed = random_day(self.rng, first, last)
        suspended = off_new_year(closed - dt.timedelta(days=self.rng.randint(20, 90)))
        if self.rng.random() < suspend_first and suspended > max(
            first, station.events[-1][0] + 30 * DAY
        ):
            station.events.append(
                (suspended, StationStatus.SUSPENDED, self.rng.choice(SUSPEND_NOTES))
            )
        station.events.append((closed, StationStatus.CLOSED, self.rng.choice(CLOSE_NOTES)))

    def suspend(self, station: PlannedStation, first: dt.date, last: dt.date) -> dt.date:
        day = random_day(self.rng, first, last)
        station.events.append((day, StationStatus.SUSPENDED, self.rng.choice(SUSPEND_NOTES)))
        return day

    def reopen(self, station: PlannedStation, day: dt.date) -> None:
        station.events.append((off_new_year(day), StationStatus.OPEN, "恢复营业"))

    def run(self) -> None:
        self._before_2023()
        self._in_2023()

    def _opened_by(self, day: dt.date) -> Callable[[PlannedStation], bool]:
        return lambda s: (
            s.cohort in ("legacy", "2021", "2022")
            and s.opened_on is not None
            and s.opened_on <= day
        )

    def _before_2023(self) -> None:
        for station in self.pick(
            T.CLOSED_2021_2022, self._opened_by(dt.date(2022, 9, 1)), "closed-2021-2022"
        ):
            first = max(dt.date(2021, 1, 2), station.opened_on + 90 * DAY)
            self.close(station, first, dt.date(2022, 12, 30), suspend_first=0.3)
        for station in self.pick(
            T.TEMP_SUSPENDED_2021_2022, self._opened_by(dt.date(2022, 8, 1)), "paused"
        ):
            day = self.suspend(
                station,
                max(dt.date(2021, 1, 2), station.opened_on + 30 * DAY),
                dt.date(2022, 10, 31),
            )
            self.reopen(station, day + dt.timedelta(days=self.rng.randint(14, 60)))
        year_end = self.pick(
            T.SUSPENDED_END_2022, self._opened_by(dt.date(2022, 6, 1)), "suspended-2022"
        )
        for station in year_end:
            self.suspend(station, dt.date(2022, 8, 1), dt.date(2022, 12, 30))
        for index, station in enumerate(year_end):
            if index < T.SUSPENDED_END_2022_REOPENED:
                self.reopen(
                    station, random_day(self.rng, dt.date(2023, 1, 2), dt.date(2023, 8, 31))
                )
            elif index < T.SUSPENDED_END_2022_REOPENED + T.SUSPENDED_END_2022_CLOSED:
                self.close(station, dt.date(2023, 1, 2), T.DEMO_AS_OF, suspend_first=0.0)

    def _in_2023(self) -> None:
        open_at_start = self._opened_by(dt.date(2022, 12, 31))
        for station in self.pick(T.CLOSED_2023, open_at_start, "closed-2023"):
            self.close(station, dt.date(2023, 1, 2), T.DEMO_AS_OF, suspend_first=0.25)
        for station in self.pick(T.SUSPENDED_2023, open_at_start, "suspended-2023"):
            self.suspend(station, dt.date(2023, 3, 1), T.DEMO_AS_OF)
        for station in self.pick(T.TEMP_SUSPENDED_2023, open_at_start, "paused-2023"):
            day = self.suspend(station, dt.date(2023, 1, 2), dt.date(2023, 7, 31))
            self.reopen(station, day + dt.timedelta(days=self.rng.randint(14, 30)))


# --- after the as-of day ------------------------------------------------------------------------

LATE = "late"  # the cohort of sites first planned after the as-of day
AFTER_FIRST = T.DEMO_AS_OF + DAY
NEXT_STEP = {  # status -> (next status, days it takes, note)
    StationStatus.PLANNED: (StationStatus.SURVEYED, (20, 75), "完成选址勘察"),
    StationStatus.SURVEYED: (StationStatus.BUILDING, (15, 50), "开始装修建设"),
    StationStatus.BUILDING: (StationStatus.OPEN, (20, 50), OPENING_NOTE),
}
DROPPED_SHARE = {StationStatus.PLANNED: 0.08, StationStatus.SURVEYED: 0.05}
DROPPED_NOTES = ("选址未通过审核，取消布点", "业主放弃申请，取消布点")


def late_sites(counties: Sequence[County], first_key: int) -> list[PlannedStation]:
    """NEW_SITES_AFTER sites over the counties by weight, keyed after every other station (so
    that adding them leaves the other stations' draws alone)."""
    by_code = {c.code: c for c in counties}
    stations = [
        PlannedStation(key=0, county=by_code[code], cohort=LATE)
        for code, count in sorted(allocate(T.NEW_SITES_AFTER, counties).items())
        for _ in range(count)
    ]
    for key, station in enumerate(stations, start=first_key):
        station.key = key
    return stations


class AfterAsOfPlanner(StorylinePlanner):
    """The rest of 2023: the pipeline opens over the following weeks, new sites are planned and
    some open before the year ends, suspended stations reopen or close, a few more close or
    pause. Every change is dated after the as-of day, so its figures stay as they were."""

    def run(self) -> None:
        for station in self.stations:
            if station.cohort == LATE:
                planned = random_day(self.rng, AFTER_FIRST, dt.date(2023, 12, 20))
                station.events = [(planned, StationStatus.PLANNED, "纳入布点规划")]
        for station in self.stations:
            if station.events and station.events[-1][1] in NEXT_STEP:
                self.advance(station)
        self._suspended()
        self._open()

    def advance(self, station: PlannedStation) -> None:
        """Planned → surveyed → building → open, each step some weeks after the last, until
        the year ends; a few sites are given up before building starts."""
        day, status, _ = station.events[-1]
        while status in NEXT_STEP:
            if self.rng.random() < DROPPED_SHARE.get(status, 0.0):
                day = max(day, T.DEMO_AS_OF) + dt.timedelta(days=self.rng.randint(15, 60))
                if day <= T.YEAR_END:
                    station.events.append(
                        (day, StationStatus.CLOSED, self.rng.choice(DROPPED_NOTES))
                    )
                return
            status, (low, high), note = NEXT_STEP[status]
            day = max(
                day + dt.timedelta(days=self.rng.randint(low, high)),
                AFTER_FIRST + dt.timedelta(days=self.rng.randint(0, 14)),
            )
            if day > T.YEAR_END:
                return
            station.events.append((day, status, note))

    def _suspended(self) -> None:
        """Of the stations suspended on the as-of day, some reopen and some close."""
        longer = [s for s in self.stations if s.storyline == "suspended-2023"]
        self.rng.shuffle(longer)
        for station in longer[: T.SUSPENDED_2023_REOPENED]:
            self.reopen(station, self.later(station, 10, 60))
        closing = longer[T.SUSPENDED_2023_REOPENED :][: T.SUSPENDED_2023_CLOSED]
        for station in closing:
            self.close(station, AFTER_FIRST, T.YEAR_END, suspend_first=0.0)
        since_2022 = [
            s
            for s in self.stations
            if s.storyline == "suspended-2022" and s.status == StationStatus.SUSPENDED
        ]
        for station in since_2022[: T.SUSPENDED_END_2022_LATE_CLOSED]:
            self.close(station, AFTER_FIRST, dt.date(2023, 11, 30), suspend_first=0.0)

    def later(self, station: PlannedStation, low: int, high: int) -> dt.date:
        return max(station.events[-1][0], T.DEMO_AS_OF) + dt.timedelta(
            days=self.rng.randint(low, high)
        )

    def _open(self) -> None:
        """Stations open on the as-of day (none of this year's): closures and short pauses."""

        def settled(s: PlannedStation) -> bool:
            return s.cohort != "2023" and s.status == StationStatus.OPEN

        for station in self.pick(T.CLOSED_AFTER, settled, "closed-after"):
            self.close(station, dt.date(2023, 9, 10), T.YEAR_END, suspend_first=0.25)
        for station in self.pick(T.PAUSED_AFTER, settled, "paused-after"):
            day = self.suspend(station, AFTER_FIRST, dt.date(2023, 11, 30))
            back = day + dt.timedelta(days=self.rng.randint(14, 40))
            if back <= T.YEAR_END:
                self.reopen(station, back)


# --- scenes and operation --------------------------------------------------------------------

PROFILE_BEFORE_2023 = {
    S.STREET: 0.46,
    S.COMMUNITY: 0.18,
    S.SUPERMARKET: 0.14,
    S.BUSINESS_DISTRICT: 0.07,
    S.SHOPPING_COMPLEX: 0.03,
    S.TOURISM_STREET: 0.02,
    S.INSTANT_KIOSK: 0.05,
    S.WELFARE_POST: 0.05,
}
PROFILE_JIAN = {
    S.SUPERMARKET: 0.74,
    S.STREET: 0.11,
    S.COMMUNITY: 0.08,
    S.BUSINESS_DISTRICT: 0.03,
    S.SHOPPING_COMPLEX: 0.01,
    S.TOURISM_STREET: 0.01,
    S.INSTANT_KIOSK: 0.01,
    S.WELFARE_POST: 0.01,
}
PROFILE_2023_OTHER = {
    S.STREET: 0.30,
    S.COMMUNITY: 0.27,
    S.SUPERMARKET: 0.25,
    S.INSTANT_KIOSK: 0.09,
    S.WELFARE_POST: 0.09,
}
PROFILE_2023_OTHER_JIAN = {
    S.SUPERMARKET: 0.86,
    S.STREET: 0.05,
    S.COMMUNITY: 0.05,
    S.INSTANT_KIOSK: 0.02,
    S.WELFARE_POST: 0.02,
}
PROFILE_2023_OTHER_FUZHOU = {S.STREET: 0.4, S.COMMUNITY: 0.3, S.SUPERMARKET: 0.3}
PROFILE_CORE = {S.BUSINESS_DISTRICT: 0.5, S.SHOPPING_COMPLEX: 0.3, S.TOURISM_STREET: 0.2}
DEDICATED_SHARE = {
    S.STREET: 0.55,
    S.SUPERMARKET: 0.04,
    S.COMMUNITY: 0.35,
    S.BUSINESS_DISTRICT: 0.45,
    S.SHOPPING_COMPLEX: 0.5,
    S.TOURISM_STREET: 0.3,
    S.INSTANT_KIOSK: 1.0,
    S.WELFARE_POST: 1.0,
}
STAFF = {
    S.STREET: (0.50, 0.38, 0.10, 0.02),
    S.SUPERMARKET: (0.60, 0.35, 0.05, 0.0),
    S.COMMUNITY: (0.55, 0.38, 0.07, 0.0),
    S.BUSINESS_DISTRICT: (0.25, 0.50, 0.20, 0.05),
    S.SHOPPING_COMPLEX: (0.10, 0.45, 0.35, 0.10),
    S.TOURISM_STREET: (0.30, 0.50, 0.20, 0.0),
    S.INSTANT_KIOSK: (0.70, 0.30, 0.0, 0.0),
    S.WELFARE_POST: (0.20, 0.60, 0.20, 0.0),
}


def urban_profile(profile: dict[str, float], county: County) -> dict[str, float]:
    """Core-urban scenes are likelier in dense districts."""
    return {
        scene: w * (county.urban**3 if scene in CORE_URBAN_SCENES else 1.0)
        for scene, w in profile.items()
    }


def plan_scenes(stations: Sequence[PlannedStation], rng: random.Random) -> None:
    for station in stations:
        if station.cohort not in ("2023", LATE):
            profile = PROFILE_JIAN if station.city_code == T.JIAN_CODE else PROFILE_BEFORE_2023
            station.scene = weighted_choice(rng, urban_profile(profile, station.county))
    plan_scenes_2023([s for s in stations if s.cohort == "2023"], rng)


def plan_scenes_late(stations: Sequence[PlannedStation], rng: random.Random) -> None:
    """Sites first planned after the as-of day: like this year's other openings."""
    for station in stations:
        if station.cohort == LATE:
            profile = (
                PROFILE_2023_OTHER_JIAN if station.city_code == T.JIAN_CODE else PROFILE_2023_OTHER
            )
            station.scene = weighted_choice(rng, profile)


def plan_scenes_2023(new: Sequence[PlannedStation], rng: random.Random) -> None:
    """This year's openings: exactly CORE_URBAN_NEW in core-urban scenes (九江's partner outlets
    among them), and 抚州's kiosks and welfare posts."""
    by_city: dict[str, list[PlannedStation]] = {}
    for station in new:
        by_city.setdefault(station.city_code, []).append(station)
    partner_outlets = T.JIUJIANG_PARTNER_OUTLETS
    quotas = apportion(
        T.CORE_URBAN_NEW - partner_outlets, {c: float(len(v)) for c, v in by_city.items()}
    )
    for station in weighted_sample(
        rng, by_city[T.JIUJIANG_CODE], partner_outlets, lambda s: s.county.urban**4
    ):
        station.scene, station.partner, station.operation = (
            S.SHOPPING_COMPLEX,
            True,
            StationOperation.DEDICATED,
        )
    for city_code, members in sorted(by_city.items()):
        free = [s for s in members if not s.partner]
        for station in weighted_sample(rng, free, quotas[city_code], lambda s: s.county.urban**3):
            station.scene = weighted_choice(rng, PROFILE_CORE)
        rest = [s for s in free if s.scene not in CORE_URBAN_SCENES]
        if city_code == T.FUZHOU_CODE:
            rest = plan_fuzhou_specials(rest, rng)
        profile = {
            T.JIAN_CODE: PROFILE_2023_OTHER_JIAN,
            T.FUZHOU_CODE: PROFILE_2023_OTHER_FUZHOU,
        }.get(city_code, PROFILE_2023_OTHER)
        for station in rest:
            station.scene = weighted_choice(rng, profile)


def plan_fuzhou_specials(rest: list[PlannedStation], rng: random.Random) -> list[PlannedStation]:
    """抚州's 临川四梦 instant-ticket kiosks and 福彩公益驿站; returns the stations left over."""
    kiosks = weighted_sample(rng, rest, T.FUZHOU_KIOSKS, lambda s: s.county.urban**2)
    for station in kiosks:
        station.scene, station.brand = S.INSTANT_KIOSK, T.FUZHOU_KIOSK_BRAND
    rest = [s for s in rest if s not in kiosks]
    posts = weighted_sample(rng, rest, T.FUZHOU_WELFARE_POSTS)
    for station in posts:
        station.scene = S.WELFARE_POST
    return [s for s in rest if s not in posts]


def top_up_jian_supermarkets(stations: Sequence[PlannedStation], rng: random.Random) -> None:
    """吉安 pairs its cadres with 商超 stations: make sure enough of its open stations are 商超."""
    jian_open = [s for s in stations if s.city_code == T.JIAN_CODE and s.is_open_on(T.DEMO_AS_OF)]
    missing = T.JIAN_SUPERMARKETS - sum(s.scene == S.SUPERMARKET for s in jian_open)
    if missing <= 0:
        return
    convertible = [s for s in jian_open if s.scene in (S.STREET, S.COMMUNITY) and not s.special]
    for station in rng.sample(convertible, missing):
        station.scene = S.SUPERMARKET


def plan_operation(stations: Sequence[PlannedStation], rng: random.Random) -> None:
    """专营/兼营, staff (jobs) and terminals, by scene."""
    for station in stations:
        if not station.partner and not station.special:
            dedicated = rng.random() < DEDICATED_SHARE[station.scene]
            station.operation = StationOperation.DEDICATED if dedicated else StationOperation.SHARED
        staff = rng.choices((1, 2, 3, 4), weights=STAFF[station.scene])[0]
        if station.dedicated and staff < 4 and rng.random() < 0.3:
            staff += 1
        station.staff = staff
        station.terminals = plan_terminals(station, rng)


def plan_terminals(station: PlannedStation, rng: random.Random) -> int:
    if station.scene == S.INSTANT_KIOSK:
        return 1
    if station.scene in (S.SHOPPING_COMPLEX, S.BUSINESS_DISTRICT):
        return rng.choices((1, 2, 3), weights=(0.3, 0.5, 0.2))[0]
    if station.dedicated:
        return rng.choices((1, 2, 3), weights=(0.55, 0.4, 0.05))[0]
    return rng.choices((1, 2), weights=(0.85, 0.15))[0]


# --- the special station, codes and owners ---------------------------------------------------


def choose_special(stations: Sequence[PlannedStation], rng: random.Random) -> PlannedStation:
    """The seed's station 36110214 in 兴国县: an old street station run by a Party veteran."""
    pool = [
        s
        for s in stations
        if s.county.code == T.SPECIAL_STATION_COUNTY
        and s.cohort == "legacy"
        and s.opened_on < dt.date(2016, 1, 1)
    ]
    special = rng.choice(pool)
    special.special = True
    special.scene, special.operation = S.STREET, StationOperation.DEDICATED
    return special


def plan_serials(stations: Sequence[PlannedStation], rng: random.Random) -> None:
    """4-digit serials, unique per city, in order of first record (a few numbers never used)."""
    by_city: dict[str, list[PlannedStation]] = {}
    for station in sorted(stations, key=lambda s: (s.events[0][0], s.key)):
        if station.cohort != LATE:
            by_city.setdefault(station.city_code, []).append(station)
    next_serial = {city: number_serials(members, 1, rng) for city, members in by_city.items()}
    late_rng = rng_for(rng.random(), "late-serials")
    for station in sorted(stations, key=lambda s: (s.events[0][0], s.key)):
        if station.cohort == LATE:
            city = station.city_code
            next_serial[city] = number_serials([station], next_serial.get(city, 1), late_rng)
    special = next(s for s in stations if s.special)
    holder = next(
        (s for s in by_city[special.city_code] if s.serial == T.SPECIAL_STATION_SERIAL), None
    )
    if holder is not None:
        holder.serial = special.serial
    special.serial = T.SPECIAL_STATION_SERIAL


def number_serials(members: Sequence[PlannedStation], serial: int, rng: random.Random) -> int:
    """Number the stations from `serial` on (a few numbers skipped); returns the next serial."""
    for station in members:
        station.serial = serial
        serial += 2 if rng.random() < 0.12 else 1
    if serial > 9999:
        raise ValueError(f"city {members[0].city_code}: more stations than 4-digit serials")
    return serial


def plan_owners(stations: Sequence[PlannedStation], rng: random.Random) -> None:
    """One fictional owner per station that has one (not yet for planned or surveyed sites)."""
    not_yet = (None, StationStatus.PLANNED, StationStatus.SURVEYED)
    for station in stations:
        if station.status_on(T.DEMO_AS_OF) not in not_yet:
            station.owner = planned_owner(station, rng)
    plan_party_members(stations, rng)
    late = rng_for(rng.random(), "late-owners")
    has_owner = (StationStatus.BUILDING, StationStatus.OPEN)
    for station in stations:
        if station.owner is None and any(s in has_owner for _, s, _ in station.events):
            station.owner = planned_owner(station, late)


def planned_owner(station: PlannedStation, rng: random.Random) -> PlannedOwner:
    return PlannedOwner(
        name=names.person_name(rng),
        phone=names.phone_number(rng),
        id_number=names.id_number(rng, station.county.code),
        city_code=station.city_code,
        is_veteran=rng.random() < 0.03,
    )


def plan_party_members(stations: Sequence[PlannedStation], rng: random.Random) -> None:
    special = next(s for s in stations if s.special)
    special.owner.is_party_member = special.owner.is_veteran = special.owner.party_consent = True
    candidates = [s for s in stations if s.is_open_on(T.DEMO_AS_OF) and not s.special]
    members = weighted_sample(
        rng,
        candidates,
        T.PARTY_MEMBER_OWNERS - 1,
        lambda s: 2.0 if s.dedicated or s.scene == S.WELFARE_POST else 1.0,
    )
    for station in members:
        station.owner.is_party_member = True
        station.owner.is_veteran = station.owner.is_veteran or rng.random() < 0.2
    for station in rng.sample(members, T.PARTY_MEMBERS_CONSENTING - 1):
        station.owner.party_consent = True


def plan_network(counties: Sequence[County], seed: int) -> NetworkPlan:
    """Everything but coordinates, names and managers."""
    stations = make_cohorts(counties)
    stations += late_sites(counties, len(stations))
    plan_openings(stations, rng_for(seed, "openings"))
    special = choose_special(stations, rng_for(seed, "special"))
    special.storyline = "special"
    plan_pipeline(stations, rng_for(seed, "pipeline"))
    StorylinePlanner(stations, rng_for(seed, "storylines")).run()
    AfterAsOfPlanner(stations, rng_for(seed, "after-as-of")).run()
    plan_scenes(stations, rng_for(seed, "scenes"))
    plan_scenes_late(stations, rng_for(seed, "late-scenes"))
    special.scene = S.STREET
    top_up_jian_supermarkets(stations, rng_for(seed, "jian"))
    plan_operation(stations, rng_for(seed, "operation"))
    plan_serials(stations, rng_for(seed, "serials"))
    plan_owners(stations, rng_for(seed, "owners"))
    return NetworkPlan(seed=seed, counties=list(counties), stations=stations)
