"""The demo province (`fucai demo`): built once for the module, then checked against every figure
of the seed report and the rules of the generator."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import math
import re
from collections import Counter, defaultdict

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from fucai.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from fucai.accounts.models import User
from fucai.core.management.commands.demo import wipe_demo
from fucai.core.models import ObjectChange
from fucai.geo.loader import boundary_shapes
from fucai.geo.models import Division
from fucai.network.choices import (
    CORE_URBAN_SCENES,
    STATUS_TRANSITIONS,
    ManagerStatus,
    PartnerKind,
    StationOperation,
    StationScene,
    StationStatus,
    VisitPurpose,
)
from fucai.network.demo import targets
from fucai.network.demo.builder import build_plan
from fucai.network.demo.names import id_check_character
from fucai.network.demo.writer import database_fingerprint, plan_fingerprint
from fucai.network.models import (
    MarketManager,
    PartnerOrganisation,
    Station,
    StationAssignment,
    StationOwner,
    StationStatusChange,
    Territory,
)
from fucai.network.summary import network_summary

AS_OF = dt.date(2023, 9, 3)
YEAR_START = dt.date(2023, 1, 1)
YEAR_END = dt.date(2023, 12, 31)
STATIONS, CHANGES = 6447, 13780  # as the build reports them
MANAGER_VISITS = 60_760  # the market managers' visits of 2023 (as before the cadres' were added)
CADRE_VISITS, CADRE_STATIONS = 858, 433  # 吉安's paired cadres' visits (each visits once at least)


def run_demo(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", "--no-serve", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def table_counts() -> dict[str, int]:
    models = (
        Station,
        StationStatusChange,
        StationOwner,
        MarketManager,
        Territory,
        StationAssignment,
        PartnerOrganisation,
        User,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo built once in the test database; removed again when the module is done."""
    with django_db_blocker.unblock():
        last_change = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        out, err = run_demo()
        yield {"out": out, "err": err}
        wipe_demo()  # every builder's data: network, users, sales, archive, Ministry table
        ObjectChange.objects.filter(pk__gt=last_change).delete()


@pytest.fixture
def demo_db(demo, db):
    return demo


def new_this_year():
    return Station.objects.filter(opened_on__gte=YEAR_START, opened_on__lte=AS_OF)


# --- the seed report's figures ----------------------------------------------------------------


def test_the_network_summary_gives_the_seed_figures(demo_db):
    summary = network_summary(Station.objects.all(), AS_OF)
    assert summary.open_stations == 5706
    assert summary.open_at_year_start == 4830
    assert summary.net_new_this_year == 876
    assert summary.opened_this_year == 1014
    assert summary.closed_this_year == 128
    assert summary.core_urban_new_this_year == 145
    assert summary.jobs_created_this_year > 1000


def test_the_network_on_new_years_day_is_the_network_at_year_start(demo_db):
    assert network_summary(Station.objects.all(), YEAR_START).open_stations == 4830
    assert not StationStatusChange.objects.filter(date__month=1, date__day=1).exists()


def test_the_cli_prints_the_seed_figures_as_json(demo_db):
    out = io.StringIO()
    call_command("network", "summary", "--as-of", "2023-09-03", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["open_stations"], data["open_at_year_start"], data["net_new_this_year"]) == (
        5706,
        4830,
        876,
    )
    assert data["core_urban_new_this_year"] == 145
    assert data["jobs_created_this_year"] > 1000


def test_exactly_145_of_this_years_stations_are_in_core_urban_scenes(demo_db):
    scenes = Counter(new_this_year().values_list("scene", flat=True))
    assert sum(scenes[s] for s in CORE_URBAN_SCENES) == 145
    assert all(scenes[s] > 0 for s in CORE_URBAN_SCENES)


def test_fuzhou_opened_98_stations_with_14_linchuan_kiosks_and_65_welfare_posts(demo_db):
    fuzhou = new_this_year().filter(city__code="361000")
    assert fuzhou.count() == 98
    kiosks = fuzhou.filter(scene=StationScene.INSTANT_KIOSK)
    assert kiosks.count() == 14
    assert set(kiosks.values_list("brand", flat=True)) == {"临川四梦"}
    assert fuzhou.filter(scene=StationScene.WELFARE_POST).count() == 65
    assert (
        network_summary(Station.objects.filter(city__code="361000"), AS_OF).opened_this_year == 98
    )


def test_jiujiangs_partner_group_has_15_dedicated_outlets_in_its_shopping_complexes(demo_db):
    partner = PartnerOrganisation.objects.get()
    assert (partner.city.code, partner.kind) == ("360400", PartnerKind.SHOPPING_COMPLEX_GROUP)
    outlets = partner.stations.all()
    assert outlets.count() == 15
    assert set(outlets.values_list("scene", "operation")) == {
        (StationScene.SHOPPING_COMPLEX, StationOperation.DEDICATED)
    }
    assert all(YEAR_START <= day <= AS_OF for day in outlets.values_list("opened_on", flat=True))
    assert set(outlets.values_list("city__code", flat=True)) == {"360400"}


def test_jian_has_at_least_433_open_supermarket_stations(demo_db):
    count = (
        Station.objects.open_on(AS_OF)
        .filter(city__code="360800", scene=StationScene.SUPERMARKET)
        .count()
    )
    assert count >= 433


def test_station_36110214_in_xingguo_is_run_by_a_consenting_party_member_veteran(demo_db):
    station = Station.objects.select_related("county", "owner").get(code="36110214")
    assert (station.county.code, station.city.code) == ("360732", "360700")
    assert station.status == StationStatus.OPEN
    assert Station.objects.open_on(AS_OF).filter(code="36110214").exists()
    assert station.name == "兴国县潋江镇福彩0214投注站"  # the seed's example keeps its name
    owner = station.owner
    assert owner.is_party_member and owner.is_veteran and owner.party_consent
    assert owner.is_party_vanguard


def test_more_than_100_owners_are_party_members_and_some_did_not_consent(demo_db):
    members = StationOwner.objects.filter(is_party_member=True)
    assert members.count() == 158
    assert members.filter(party_consent=True).count() == 112
    assert Station.objects.open_on(AS_OF).filter(owner__is_party_member=True).count() > 100


# --- lifecycle history --------------------------------------------------------------------------


def histories() -> dict[int, list[tuple[dt.date, str]]]:
    result: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for station_id, date, status in StationStatusChange.objects.order_by(
        "station_id", "date", "pk"
    ).values_list("station_id", "date", "status"):
        result[station_id].append((date, status))
    return result


def test_every_station_status_equals_its_latest_history_and_transitions_are_allowed(demo_db):
    history = histories()
    for pk, status, opened_on in Station.objects.values_list("pk", "status", "opened_on"):
        steps = history[pk]
        assert steps, pk
        assert steps[-1][1] == status
        assert opened_on == next((d for d, s in steps if s == StationStatus.OPEN), None)
        for (day1, before), (day2, after) in itertools.pairwise(steps):
            assert day1 < day2 and after in STATUS_TRANSITIONS[before], (pk, steps)


def test_history_starts_in_2021_except_for_stations_opened_earlier(demo_db):
    history = histories()
    opened = dict(Station.objects.values_list("pk", "opened_on"))
    for pk, steps in history.items():
        if steps[0][0] >= targets.HISTORY_START:
            continue
        # Either an older station (its first record is its opening) or one opened in 2021 whose
        # planning began late in 2020.
        assert steps[0][1] == StationStatus.OPEN or opened[pk].year == 2021, steps
    assert Station.objects.filter(opened_on__lt=targets.HISTORY_START).count() > 3000
    assert max(d for steps in history.values() for d, _ in steps) <= YEAR_END


def statuses_on(day: dt.date) -> Counter:
    """How many stations were in each status on `day` (None: not yet recorded)."""
    result = Counter()
    for steps in histories().values():
        result[next((s for d, s in reversed(steps) if d <= day), None)] += 1
    return result


def test_there_are_closures_suspensions_and_a_pipeline_of_stations_not_yet_open(demo_db):
    statuses = statuses_on(AS_OF)
    assert statuses[StationStatus.OPEN] == 5706
    assert statuses[StationStatus.CLOSED] > 300
    assert statuses[StationStatus.SUSPENDED] == 33
    for status in (StationStatus.PLANNED, StationStatus.SURVEYED, StationStatus.BUILDING):
        assert statuses[status] >= 40
    reopened = (
        StationStatusChange.objects.filter(status=StationStatus.OPEN).values("station").distinct()
    )
    assert StationStatusChange.objects.filter(status=StationStatus.OPEN).count() > reopened.count()


# --- the rest of the year ----------------------------------------------------------------------


def test_the_network_goes_on_changing_after_3_september_and_the_seed_figures_stay(demo_db):
    autumn = StationStatusChange.objects.filter(date__gt=AS_OF, date__lte=YEAR_END)
    kinds = Counter(autumn.values_list("status", flat=True))
    assert kinds[StationStatus.OPEN] > 100  # openings and reopenings
    assert kinds[StationStatus.CLOSED] > 40
    assert kinds[StationStatus.SUSPENDED] > 15
    assert kinds[StationStatus.PLANNED] >= targets.NEW_SITES_AFTER
    assert {d.month for d in autumn.values_list("date", flat=True)} == {9, 10, 11, 12}
    year_end = network_summary(Station.objects.all(), YEAR_END)
    as_of = network_summary(Station.objects.all(), AS_OF)
    assert (as_of.open_stations, as_of.net_new_this_year) == (5706, 876)
    assert (as_of.core_urban_new_this_year, as_of.closed_this_year) == (145, 128)
    assert year_end.open_stations == Station.objects.filter(status=StationStatus.OPEN).count()
    assert year_end.open_stations > as_of.open_stations + 50
    assert year_end.opened_this_year > as_of.opened_this_year + 100
    assert year_end.closed_this_year > as_of.closed_this_year + 40
    assert year_end.jobs_created_this_year > as_of.jobs_created_this_year


def test_the_cli_summary_at_year_end_differs_from_3_september(demo_db):
    def summary(day: str) -> dict:
        out = io.StringIO()
        call_command("network", "summary", "--as-of", day, "--format", "json", stdout=out)
        return json.loads(out.getvalue())

    as_of, year_end = summary("2023-09-03"), summary("2023-12-31")
    assert as_of["open_stations"] == 5706 and as_of["net_new_this_year"] == 876
    assert year_end["open_stations"] > 5706 and year_end["net_new_this_year"] > 876
    assert year_end["closed_this_year"] > as_of["closed_this_year"]


def test_every_station_being_built_on_3_september_opens_within_the_year(demo_db):
    history = histories()
    building = [pk for pk, steps in history.items() if statuses_on_day(steps, AS_OF) == "building"]
    assert len(building) == 45
    opened = {
        pk: next(d for d, s in history[pk] if s == StationStatus.OPEN and d > AS_OF)
        for pk in building
    }
    assert max(opened.values()) <= dt.date(2023, 11, 30)
    assert all((day - AS_OF).days <= 90 for day in opened.values())


def statuses_on_day(steps: list[tuple[dt.date, str]], day: dt.date) -> str | None:
    return next((s for d, s in reversed(steps) if d <= day), None)


def test_what_is_still_in_the_pipeline_at_year_end_is_recent(demo_db):
    """A site building, surveyed or planned on 31 December reached that step in the autumn: no
    station stays 建设中 (or 已勘察) for months."""
    history = histories()
    pending = (StationStatus.PLANNED, StationStatus.SURVEYED, StationStatus.BUILDING)
    stuck = {
        pk: steps[-1]
        for pk, steps in history.items()
        if steps[-1][1] in pending and steps[-1][0] < dt.date(2023, 10, 1)
    }
    assert not stuck
    assert sum(steps[-1][1] in pending for steps in history.values()) > 20  # a live pipeline
    suspended = [steps[-1] for steps in history.values() if steps[-1][1] == "suspended"]
    assert len(suspended) < 33  # most of the stations suspended on 3 September reopened or closed


def test_sites_first_planned_after_3_september_open_or_are_on_their_way(demo_db):
    history = histories()
    late = [steps for steps in history.values() if steps[0][0] > AS_OF]
    assert len(late) == targets.NEW_SITES_AFTER
    assert all(steps[0][1] == StationStatus.PLANNED for steps in late)
    assert any(steps[-1][1] == StationStatus.OPEN for steps in late)


# --- names -------------------------------------------------------------------------------------


def name_shape(name: str) -> str:
    """A name's pattern as its ending shows it (福彩投注站, 第#福彩站, 福彩销售点 …)."""
    return re.sub(r"\d+", "#", name)[-5:]


def test_station_names_vary_like_real_ones_and_are_unique(demo_db):
    names = list(Station.objects.values_list("name", "county__code"))
    assert len({name for name, _ in names}) == len(names)
    shapes = defaultdict(Counter)
    for name, county in names:
        shapes[county][name_shape(name)] += 1
    for county, counts in shapes.items():
        total = sum(counts.values())
        if total >= 30:
            assert counts.most_common(1)[0][1] <= 0.6 * total, (county, counts.most_common(3))
            assert len(counts) >= 5, county
    ledger_style = [n for n, _ in names if re.search(r"福彩\d{4}投注站$", n)]
    assert len(ledger_style) < 0.01 * len(names)
    all_names = " ".join(n for n, _ in names)
    for pattern in ("福彩投注站", "第", "超市福彩销售点", "公益驿站", "即开票销售亭", "福彩专营店"):
        assert pattern in all_names


def test_a_name_matches_its_address(demo_db):
    rows = Station.objects.values_list("name", "address", "scene", "city__name", "county__name")
    for name, address, scene, city, county in rows:
        assert address.startswith(city + county), address
        if scene == StationScene.SUPERMARKET and name.endswith("福彩销售点"):
            shop = name.removesuffix("福彩销售点").removeprefix(county[:-1])
            assert f"{shop}内" in address, (name, address)


# --- codes, people, sizes -----------------------------------------------------------------------


def test_station_codes_are_the_city_prefix_and_a_unique_serial(demo_db):
    prefixes = {c.code: c.station_code_prefix for c in Division.objects.cities()}
    codes = list(Station.objects.values_list("code", "city__code"))
    assert len({code for code, _ in codes}) == len(codes)
    assert all(
        re.fullmatch(r"36\d{6}", code) and code.startswith(prefixes[city]) for code, city in codes
    )


def test_owners_are_fictional_with_masked_style_phone_and_an_id_number_that_belongs_to_nobody(
    demo_db,
):
    for name, phone, id_number, county in Station.objects.filter(owner__isnull=False).values_list(
        "owner__name", "owner__phone", "owner__id_number", "county__code"
    )[:2000]:
        assert 2 <= len(name) <= 4
        assert re.fullmatch(r"1[3-9]\d{9}", phone)
        assert len(id_number) == 18 and id_number.startswith(county)
        assert id_number[17] != id_check_character(id_number[:17])


def test_staff_and_terminals_are_small_and_mostly_one_or_two_staff(demo_db):
    staff = Counter(Station.objects.values_list("staff_count", flat=True))
    assert set(staff) <= {1, 2, 3, 4}
    assert (staff[1] + staff[2]) / sum(staff.values()) > 0.7
    assert set(Station.objects.values_list("terminal_count", flat=True)) <= {1, 2, 3}


# --- geography ---------------------------------------------------------------------------------


def test_every_station_lies_inside_its_county_boundary(demo_db):
    shapes = boundary_shapes("county")
    by_county: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for county, lon, lat in Station.objects.values_list("county__code", "lon", "lat"):
        by_county[county].append((float(lon), float(lat)))
    assert len(by_county) == 100
    for county, points in by_county.items():
        lons, lats = zip(*points, strict=True)
        inside = shapely.contains_xy(shapes[county], lons, lats)
        assert inside.all(), f"{county}: {(~inside).sum()} stations outside"


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[1]), math.radians(b[1])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[0] - a[0]) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def test_no_two_dedicated_stations_are_closer_than_200_metres(demo_db):
    points = sorted(
        (float(lat), float(lon))
        for lon, lat in Station.objects.filter(operation=StationOperation.DEDICATED).values_list(
            "lon", "lat"
        )
    )
    window = 200 / 110_574  # degrees of latitude in 200 m
    closest = math.inf
    for i, (lat, lon) in enumerate(points):
        for lat2, lon2 in points[i + 1 :]:
            if lat2 - lat > window:
                break
            closest = min(closest, haversine_m((lon, lat), (lon2, lat2)))
    assert len(points) > 2000
    assert closest >= 200


def test_stations_follow_population_and_are_denser_in_city_districts(demo_db):
    counties = {d.code: d for d in Division.objects.counties()}
    counts = Counter(Station.objects.open_on(AS_OF).values_list("county__code", flat=True))
    per_100k = {code: counts[code] / counties[code].population * 100_000 for code in counties}
    dense = [per_100k[c] for c in ("360102", "360103", "360104", "360403", "360702", "361102")]
    rural = [per_100k[c] for c, d in counties.items() if d.name.endswith("县")]
    assert min(dense) > sum(rural) / len(rural)
    assert all(counts[code] > 0 for code in counties)
    biggest = max(counties.values(), key=lambda d: d.population)
    smallest = min(counties.values(), key=lambda d: d.population)
    assert counts[biggest.code] > 4 * counts[smallest.code]


def test_coordinates_have_six_decimals(demo_db):
    lon, lat = Station.objects.values_list("lon", "lat").first()
    assert lon.as_tuple().exponent == -6 and lat.as_tuple().exponent == -6


# --- market managers ---------------------------------------------------------------------------


def test_120_odd_active_market_managers_each_look_after_one_territory_of_40_to_60_stations(demo_db):
    active = MarketManager.objects.filter(status=ManagerStatus.ACTIVE)
    assert active.count() == 123
    assert MarketManager.objects.count() <= 130
    today = timezone.localdate()
    open_now = set(Station.objects.filter(status=StationStatus.OPEN).values_list("pk", flat=True))
    for manager in active:
        [territory] = manager.territories.all()
        stations = set(
            StationAssignment.objects.active_on(today)
            .filter(territory=territory, manager=manager)
            .values_list("station_id", flat=True)
        )
        assert 40 <= len(stations & open_now) <= 60, (territory.code, len(stations & open_now))


def test_managers_are_spread_over_the_cities_in_proportion_to_stations(demo_db):
    managers = Counter(
        MarketManager.objects.filter(status=ManagerStatus.ACTIVE).values_list(
            "city__code", flat=True
        )
    )
    stations = Counter(Station.objects.open_on(AS_OF).values_list("city__code", flat=True))
    assert len(managers) == 11
    for city, count in stations.items():
        assert abs(managers[city] - count * 123 / 5706) < 1


def test_every_open_station_has_exactly_one_manager_and_closed_ones_none(demo_db):
    active = Counter(
        StationAssignment.objects.active_on(AS_OF).values_list("station_id", flat=True)
    )
    open_ids = set(Station.objects.open_on(AS_OF).values_list("pk", flat=True))
    assert set(active) >= open_ids
    assert all(active[pk] == 1 for pk in active)
    closed = set(Station.objects.filter(status=StationStatus.CLOSED).values_list("pk", flat=True))
    assert not closed & set(
        StationAssignment.objects.active_on(timezone.localdate()).values_list(
            "station_id", flat=True
        )
    )


def test_assignments_have_history_reassignments_and_handovers(demo_db):
    per_station = Counter(StationAssignment.objects.values_list("station_id", flat=True))
    assert sum(1 for n in per_station.values() if n > 1) > 100
    assert StationAssignment.objects.filter(valid_from=dt.date(2021, 1, 1)).count() > 3000
    gone = MarketManager.objects.exclude(status=ManagerStatus.ACTIVE)
    assert gone.count() == 3
    assert all(StationAssignment.objects.filter(manager=m).exists() for m in gone)
    assert not StationAssignment.objects.filter(manager__in=gone, valid_to__isnull=True).exists()


# --- users, determinism, idempotence -----------------------------------------------------------


def test_the_demo_users_log_in_with_the_demo_password_and_see_their_scope(demo_db, client):
    assert sorted(
        User.objects.filter(email__endswith="@demo.fucai.invalid").values_list(
            "username", flat=True
        )
    ) == sorted(u.username for u in DEMO_USERS)
    assert client.login(username="admin", password=DEMO_PASSWORD)
    users = {u.username: u for u in User.objects.all()}
    assert users["admin"].is_superuser
    assert Station.objects.restrict(users["ganzhou"]).exclude(city__code="360700").count() == 0
    assert Station.objects.restrict(users["ganzhou"]).count() > 1000
    assert list(Station.objects.restrict(users["owner"]).values_list("code", flat=True)) == [
        "36110214"
    ]
    managed = Station.objects.restrict(users["manager"])
    assert (
        managed.filter(code="36110214").exists()
        and 40 <= managed.filter(status="open").count() <= 60
    )
    assert Station.objects.restrict(users["party"]).count() == Station.objects.count()


def test_the_demo_users_managers_and_owners_have_fictional_display_names(demo_db):
    from fucai.network.demo.names import SURNAMES

    users = {u.username: u for u in User.objects.filter(email__endswith="@demo.fucai.invalid")}
    for user in users.values():
        assert user.last_name in SURNAMES and 1 <= len(user.first_name) <= 2, user.username
    assert len({u.get_full_name() for u in users.values()}) == len(users)
    station = Station.objects.select_related("owner").get(code="36110214")
    assert users["owner"].last_name + users["owner"].first_name == station.owner.name
    manager = StationAssignment.objects.active_on(AS_OF).get(station=station).manager
    assert users["manager"].last_name + users["manager"].first_name == manager.name
    people = list(MarketManager.objects.values_list("name", flat=True)) + list(
        StationOwner.objects.values_list("name", flat=True)[:2000]
    )
    assert all(name[:1] in SURNAMES or name[:2] in SURNAMES for name in people)
    assert all(2 <= len(name) <= 4 for name in people)


def test_the_demo_load_appears_in_the_change_history_with_source_demo(demo_db):
    from django.contrib.contenttypes.models import ContentType

    from fucai.core.choices import ChangeAction

    records = ObjectChange.objects.filter(source="demo", action=ChangeAction.REPLACE)
    loaded = {
        ContentType.objects.get_for_id(r.object_type_id).model_class(): r.changes["rows"]
        for r in records
    }
    assert loaded[Station] == [0, STATIONS]
    assert loaded[StationStatusChange] == [0, CHANGES]
    assert loaded[StationOwner] == [0, StationOwner.objects.count()]
    assert loaded[StationAssignment] == [0, StationAssignment.objects.count()]
    assert records.count() == 7 + 3  # one per loaded table (四帮 plans and tasks, visits)
    assert all(r.object_id == f"demo seed {targets.DEMO_SEED}" for r in records)


def test_the_build_prints_its_steps_and_the_logins(demo):
    assert f"{STATIONS:,}" in demo["err"] and f"{CHANGES:,}" in demo["err"]
    assert "5,706" in demo["out"] and "4,830" in demo["out"]
    assert all(f"{u.username} / fucai-demo" in demo["out"] for u in DEMO_USERS)


def test_the_same_seed_gives_the_same_network(demo_db):
    plan = build_plan(targets.DEMO_SEED)
    assert plan_fingerprint(plan) == plan_fingerprint(build_plan(targets.DEMO_SEED))
    assert database_fingerprint() == plan_fingerprint(plan)


def test_another_seed_gives_other_stations_but_the_same_figures(demo_db):
    plan = build_plan(7)
    assert plan_fingerprint(plan) != database_fingerprint()
    assert sum(s.is_open_on(AS_OF) for s in plan.stations) == 5706
    assert sum(s.is_open_on(YEAR_START) for s in plan.stations) == 4830
    new = [s for s in plan.stations if s.opened_on and YEAR_START <= s.opened_on <= AS_OF]
    assert sum(s.scene in CORE_URBAN_SCENES for s in new) == 145
    assert plan.special.code == "36110214"


def station_ids() -> list[int]:
    return list(Station.objects.order_by("pk").values_list("pk", flat=True))


def test_running_the_demo_again_changes_nothing(demo_db):
    before, fingerprint, ids = table_counts(), database_fingerprint(), station_ids()
    run_demo()
    assert station_ids() == ids  # not rebuilt: the same rows
    assert table_counts() == before
    assert database_fingerprint() == fingerprint


def test_rebuilding_gives_identical_data_without_duplicates(demo_db):
    before, fingerprint, ids = table_counts(), database_fingerprint(), station_ids()
    run_demo("--rebuild")
    assert min(station_ids()) > max(ids)  # new rows
    assert table_counts() == before
    assert database_fingerprint() == fingerprint


def test_it_refuses_a_database_with_stations_it_did_not_build(demo_db):
    User.objects.filter(email__endswith="@demo.fucai.invalid").update(email="someone@example.org")
    with pytest.raises(CommandError, match=f"{STATIONS:,}"):
        run_demo("--seed", "8")
    assert Station.objects.count() == STATIONS


# --- 四帮 onboarding (fucai.network.demo.onboarding) ------------------------------------------


def test_yichuns_2023_business_district_stations_have_plans_with_every_phase_done(demo_db):
    from fucai.network.choices import OnboardingPhase, OnboardingTaskState
    from fucai.network.models import OnboardingTask

    yichun = Station.objects.filter(
        city__code="360900", scene=StationScene.BUSINESS_DISTRICT, opened_on__year=2023
    )
    assert yichun.count() > 0
    assert yichun.filter(onboarding_plan__isnull=True).count() == 0
    tasks = OnboardingTask.objects.filter(plan__station__in=yichun)
    assert set(tasks.values_list("phase", flat=True)) == set(OnboardingPhase.values)
    assert tasks.count() == 6 * yichun.count()
    assert not tasks.exclude(state=OnboardingTaskState.DONE).exists()
    assert not tasks.filter(notes="").exists()


def test_elsewhere_some_plans_are_overdue_and_no_opened_station_has_its_survey_undone(demo_db):
    from fucai.network import onboarding
    from fucai.network.models import OnboardingTask

    for day in (AS_OF, YEAR_END):
        report = onboarding.overdue_report(None, day)
        assert report["count"] > 100
        assert {g["city"] for g in report["groups"]} - {"宜春市"}
    undone = OnboardingTask.objects.filter(
        phase="survey", state="todo", plan__station__opened_on__isnull=False
    )
    assert not undone.exists()
    assert not OnboardingTask.objects.filter(manager__isnull=True, assignee__isnull=True).exists()


def test_the_jiujiang_partner_page_shows_15_outlets_in_its_malls_selling_over_15_million_yuan(
    demo_db, client
):
    partner = PartnerOrganisation.objects.get()
    assert partner.sites.count() > 1 and partner.agreements.count() == 1
    assert not partner.stations.filter(partner_site__isnull=True).exists()
    client.force_login(User.objects.get(username="jiujiang"))
    response = client.get(f"/network/partners/{partner.pk}/", {"as_of": "2023-09-03"})
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.outlet_count == 15
    assert figures.year_fen == figures.sales_fen > 15_000_000_00  # all opened in 2023
    assert figures.yoy_pct is None  # none has a prior year


# --- field visits (fucai.network.demo.visits) --------------------------------------------------


def test_managers_visit_their_stations_in_every_month_of_2023_a_few_far_from_the_station(demo_db):
    from django.conf import settings

    from fucai.network.models import FieldVisit

    visits = FieldVisit.objects.all()
    months = {d.month for d in visits.values_list("visited_on", flat=True)}
    assert months == set(range(1, 13))
    # every visit but the Party cadres' paired help is by a market manager
    assert visits.filter(manager__isnull=False).count() == MANAGER_VISITS
    assert not visits.exclude(purpose=VisitPurpose.PAIRED).filter(manager__isnull=True).exists()
    assert visits.filter(visited_on__year=2023).count() == visits.count()
    assert visits.count() > 8 * Station.objects.open_on(AS_OF).count()  # most about monthly
    far = visits.filter(is_far=True)
    assert 0 < far.count() < visits.count() / 20
    assert not far.filter(distance_m__lte=settings.VISIT_FAR_METRES).exists()
    assert not visits.filter(is_far=False, distance_m__gt=settings.VISIT_FAR_METRES).exists()
    assert visits.filter(lon__isnull=True, distance_m__isnull=True).exists()  # location refused
    # the demo `manager` login is the visitor of their own visits
    manager = User.objects.get(username="manager")
    assert visits.filter(visitor=manager).exists()
    assert not visits.filter(visitor=manager).exclude(manager__role_assignments__user=manager)


def test_a_visit_is_by_the_stations_manager_of_the_day_while_the_station_was_open(demo_db):
    from fucai.network.models import FieldVisit

    spans = defaultdict(list)
    for station, manager, start, end in StationAssignment.objects.values_list(
        "station_id", "manager_id", "valid_from", "valid_to"
    ):
        spans[station].append((manager, start, end))
    history = histories()
    for station, manager, day in FieldVisit.objects.filter(manager__isnull=False).values_list(
        "station_id", "manager_id", "visited_on"
    ):
        assert any(
            m == manager and s <= day and (e is None or day < e) for m, s, e in spans[station]
        )
        assert statuses_on_day(history[station], day) in (
            StationStatus.OPEN,
            StationStatus.SUSPENDED,
        ), (station, day)


def test_some_stations_were_not_visited_in_60_days_on_3_september(demo_db):
    from fucai.network.models import FieldVisit

    open_ids = set(Station.objects.open_on(AS_OF).values_list("pk", flat=True))
    recent = set(
        FieldVisit.objects.filter(
            visited_on__gt=AS_OF - dt.timedelta(days=60), visited_on__lte=AS_OF
        ).values_list("station_id", flat=True)
    )
    share = len(open_ids - recent) / len(open_ids)
    assert 0.01 < share < 0.2


def test_the_visit_indicators_of_september_2023_have_a_row_per_demo_manager(demo_db):
    from fucai.network.visits import visit_indicators

    indicators = visit_indicators(None, AS_OF, n_days=60)
    rows = {r.employee_code: r for r in indicators.rows if r.employee_code}  # cadres have none
    active = set(
        MarketManager.objects.filter(status=ManagerStatus.ACTIVE).values_list(
            "employee_code", flat=True
        )
    )
    assert active <= set(rows) and set(rows) <= set(
        MarketManager.objects.values_list("employee_code", flat=True)
    )
    assert sum(rows[c].visits for c in active) > len(active)  # visits in the first 3 days
    assert sum(rows[c].stations_in_care for c in active) == Station.objects.open_on(AS_OF).count()
    assert (
        0 < sum(rows[c].not_visited for c in active) < sum(rows[c].stations_in_care for c in active)
    )
    assert all(len(rows[c].not_visited_codes) == rows[c].not_visited for c in active)


def test_jians_party_cadres_visit_the_supermarket_stations_paired_with_them_one_to_one(demo_db):
    from fucai.network.models import FieldVisit
    from fucai.network.visits import visit_indicators

    paired = FieldVisit.objects.filter(purpose=VisitPurpose.PAIRED)
    assert paired.count() == CADRE_VISITS
    assert set(paired.values_list("station__city__code", "station__scene").distinct()) == {
        (targets.JIAN_CODE, StationScene.SUPERMARKET)
    }
    assert not paired.filter(manager__isnull=False).exists()
    pairs = set(paired.values_list("visitor_name", "station_id"))
    cadres, stations = {name for name, _s in pairs}, {station for _n, station in pairs}
    assert len(pairs) == len(cadres) == len(stations) == CADRE_STATIONS  # one to one
    assert CADRE_STATIONS <= targets.JIAN_PAIRED_CADRES
    history = histories()
    for station, day in paired.values_list("station_id", "visited_on"):
        assert statuses_on_day(history[station], day) in (
            StationStatus.OPEN,
            StationStatus.SUSPENDED,
        )
    # each cadre who visited in September is a person of its indicators, with no stations in care
    end = dt.date(2023, 9, 30)
    september = paired.filter(visited_on__gte=end.replace(day=1), visited_on__lte=end)
    rows = [r for r in visit_indicators(None, end).rows if not r.employee_code]
    assert {r.person for r in rows} == set(september.values_list("visitor_name", flat=True))
    assert len(rows) == september.values("visitor_name").distinct().count() > 0
    assert all(r.stations_in_care is None and r.city == "吉安市" for r in rows)


def test_a_fourth_of_fuzhous_rejected_leads_were_refused_by_the_spacing_check_as_it_says(demo_db):
    from django.utils import translation

    from fucai.network.leads import lead_violations
    from fucai.network.models import Lead

    rejected = Lead.objects.filter(city__code=targets.FUZHOU_CODE, status="rejected")
    assert rejected.count() == 29 == round(98 * 0.3)
    refused = rejected.filter(rejection_reason__contains="规则：")
    assert refused.count() == 7  # the 2nd, 6th, … 26th
    with translation.override("zh-hans"):
        for lead in refused.select_related("county"):
            nearest = lead_violations(lead)[0]
            assert lead.rejection_reason == nearest.message
            assert lead.status_changes.last().note == nearest.message
            assert nearest.offender in lead.rejection_reason and nearest.rule.endswith("间距")


def test_the_visits_of_the_same_seed_have_the_same_idempotency_keys(demo_db):
    from fucai.core.management.commands.demo import DemoContext
    from fucai.network.demo.visits import VisitDemoBuilder
    from fucai.network.models import FieldVisit

    builder = VisitDemoBuilder()
    ctx = DemoContext(seed=targets.DEMO_SEED, progress=lambda step, count=None: None)
    keys = {v.key for v in builder.plan(ctx)}
    assert keys == set(FieldVisit.objects.values_list("idempotency_key", flat=True))
    assert builder.is_current(ctx)
