"""Market managers, their territories and the dated assignments of stations to them.

About 123 managers spread over the cities in proportion to open stations; each city's stations are
cut, county by county and west to east, into territories of roughly equal numbers of open stations
(~40–60). History: a station is assigned from 2021-01-01 (or its opening) until its closure; a few
stations moved to a neighbouring territory in the mid-2022 rebalancing; a few territories changed
manager in 2022 when theirs left or was eliminated.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from fucai.network.choices import ManagerStatus
from fucai.network.demo import names
from fucai.network.demo import targets as T
from fucai.network.demo.plan import NetworkPlan, PlannedStation, apportion, random_day, rng_for

REBALANCE_DAY = dt.date(2022, 7, 1)
MOVED_PER_BOUNDARY = 2
CHINESE_ORDINALS = "一二三四五六七八九十"


@dataclass
class PlannedManager:
    code: str
    name: str
    phone: str
    city_code: str
    hired_on: dt.date
    status: str = ManagerStatus.ACTIVE


@dataclass
class PlannedTerritory:
    code: str
    name: str
    city_code: str
    manager: PlannedManager
    previous_manager: PlannedManager | None = None
    handover_on: dt.date | None = None

    def manager_on(self, day: dt.date) -> PlannedManager:
        if self.handover_on is not None and day < self.handover_on:
            return self.previous_manager
        return self.manager


@dataclass
class PlannedAssignment:
    station: PlannedStation
    territory: PlannedTerritory
    manager: PlannedManager
    valid_from: dt.date
    valid_to: dt.date | None


def plan_managers(plan: NetworkPlan) -> None:
    rng = rng_for(plan.seed, "managers")
    stations_by_city: dict[str, list[PlannedStation]] = {}
    for station in plan.stations:
        if station.opened_on is not None:
            stations_by_city.setdefault(station.city_code, []).append(station)
    open_by_city = {
        c: float(sum(s.is_open_on(T.DEMO_AS_OF) for s in v)) for c, v in stations_by_city.items()
    }
    managers_by_city = apportion(T.MARKET_MANAGERS, open_by_city)
    for city_code in sorted(stations_by_city):
        territories, members = city_territories(
            stations_by_city[city_code], managers_by_city[city_code], rng
        )
        plan.territories += territories
        plan.managers += [t.manager for t in territories]
        plan.assignments += city_assignments(territories, members)
    replace_managers(plan, rng)
    by_territory: dict[str, list[PlannedAssignment]] = {}
    for assignment in plan.assignments:
        by_territory.setdefault(assignment.territory.code, []).append(assignment)
    plan.assignments = [
        a for t in plan.territories for a in split_by_manager(t, by_territory.get(t.code, []))
    ]
    plan.assignments.sort(key=lambda a: (a.station.key, a.valid_from))


def city_territories(
    stations: Sequence[PlannedStation], count: int, rng: random.Random
) -> tuple[list[PlannedTerritory], list[list[PlannedStation]]]:
    """Cut the city's stations into `count` territories with equal shares of open stations."""
    ordered = sorted(stations, key=lambda s: (s.county.code, float(s.lon), s.key))
    total_open = sum(s.is_open_on(T.DEMO_AS_OF) for s in ordered)
    members: list[list[PlannedStation]] = [[] for _ in range(count)]
    seen_open = 0
    for station in ordered:
        members[min(count - 1, seen_open * count // total_open)].append(station)
        seen_open += station.is_open_on(T.DEMO_AS_OF)
    lottery_code = ordered[0].county.lottery_code
    territories = []
    for index, group in enumerate(members, start=1):
        manager = PlannedManager(
            code=f"M{lottery_code}{index:03d}",
            name=names.person_name(rng),
            phone=names.phone_number(rng),
            city_code=ordered[0].city_code,
            hired_on=random_day(rng, dt.date(2012, 3, 1), dt.date(2020, 12, 31)),
        )
        territories.append(
            PlannedTerritory(
                code=f"T{lottery_code}-{index:02d}",
                name=territory_name(group, members),
                city_code=ordered[0].city_code,
                manager=manager,
            )
        )
    return territories, members


def territory_name(group: list[PlannedStation], all_groups: list[list[PlannedStation]]) -> str:
    """兴国片区, 章贡二片区 (a county split over several territories), 东湖、西湖片区."""
    counties = list(dict.fromkeys(s.county.name for s in group))
    if len(counties) == 1:
        sharing = [g for g in all_groups if any(s.county.name == counties[0] for s in g)]
        short = names.short_county_name(counties[0])
        if len(sharing) == 1:
            return f"{short}片区"
        position = next(i for i, g in enumerate(sharing) if g is group)
        return f"{short}{CHINESE_ORDINALS[position % 10]}片区"
    shorts = [names.short_county_name(c) for c in counties]
    return "、".join(shorts[:3]) + ("等" if len(shorts) > 3 else "") + "片区"


def station_span(station: PlannedStation) -> tuple[dt.date, dt.date | None]:
    return max(T.HISTORY_START, station.opened_on), station.closed_on


def city_assignments(
    territories: list[PlannedTerritory], members: list[list[PlannedStation]]
) -> list[PlannedAssignment]:
    """Territory spans per station (manager filled in later); the first stations of each territory
    belonged to the previous one until the mid-2022 rebalancing."""
    assignments: list[PlannedAssignment] = []
    for index, (territory, group) in enumerate(zip(territories, members, strict=True)):
        moved = 0
        for station in group:
            start, end = station_span(station)
            spans_rebalance = start < REBALANCE_DAY and (end is None or end > REBALANCE_DAY)
            if index > 0 and moved < MOVED_PER_BOUNDARY and spans_rebalance:
                assignments.append(
                    PlannedAssignment(station, territories[index - 1], None, start, REBALANCE_DAY)
                )
                assignments.append(PlannedAssignment(station, territory, None, REBALANCE_DAY, end))
                moved += 1
                continue
            assignments.append(PlannedAssignment(station, territory, None, start, end))
    return assignments


def replace_managers(plan: NetworkPlan, rng: random.Random) -> None:
    """A few territories got a new manager in 2022: the first one eliminated at the annual
    grading, the others left. The new managers are the territories' current ones."""
    for index, territory in enumerate(rng.sample(plan.territories, T.MANAGERS_REPLACED)):
        handover = random_day(rng, dt.date(2022, 3, 1), dt.date(2022, 10, 31))
        previous = territory.manager
        previous.status = ManagerStatus.ELIMINATED if index == 0 else ManagerStatus.LEFT
        same_city = sum(m.city_code == territory.city_code for m in plan.managers)
        successor = PlannedManager(
            code=f"{previous.code[:3]}{same_city + 1:03d}",
            name=names.person_name(rng),
            phone=names.phone_number(rng),
            city_code=territory.city_code,
            hired_on=handover - dt.timedelta(days=rng.randint(20, 40)),
        )
        plan.managers.append(successor)
        territory.previous_manager, territory.manager, territory.handover_on = (
            previous,
            successor,
            handover,
        )


def split_by_manager(
    territory: PlannedTerritory, assignments: list[PlannedAssignment]
) -> list[PlannedAssignment]:
    """The territory's assignments with their manager, split at a handover."""
    result: list[PlannedAssignment] = []
    for a in assignments:
        cut = territory.handover_on
        if cut is not None and a.valid_from < cut and (a.valid_to is None or a.valid_to > cut):
            result.append(
                PlannedAssignment(
                    a.station, territory, territory.previous_manager, a.valid_from, cut
                )
            )
            result.append(
                PlannedAssignment(a.station, territory, territory.manager, cut, a.valid_to)
            )
        else:
            result.append(
                PlannedAssignment(
                    a.station,
                    territory,
                    territory.manager_on(a.valid_from),
                    a.valid_from,
                    a.valid_to,
                )
            )
    return result
