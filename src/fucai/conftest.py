"""Shared test fixtures: a small network in 赣州 and 九江 and the named users of the house style."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fucai.accounts.choices import Role
from fucai.network.choices import StationOperation, StationScene, StationStatus

pytest_plugins = ["fucai.core.testing.browser"]  # browser_page and friends, for browser tests


@pytest.fixture(scope="session", autouse=True)
def isolated_data_dir(tmp_path_factory):
    """Tests never write to the real FUCAI_DATA_DIR (e.g. the sales store `fucai demo` fills)."""
    from django.test import override_settings

    with override_settings(DATA_DIR=tmp_path_factory.mktemp("data")):
        yield


@pytest.fixture(scope="session", autouse=True)
def tasks_run_inline():
    """Background jobs (django-q2) run inline in tests, as with FUCAI_TASKS_SYNC=true."""
    from django.test import override_settings

    with override_settings(TASKS_SYNC=True):
        yield


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request in English (LocaleMiddleware) leaves
    its language active in the thread, and commands without --lang speak the active one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def ganzhou(db):
    from fucai.geo.models import Division

    return Division.objects.get(code="360700")


@pytest.fixture
def jiujiang(db):
    from fucai.geo.models import Division

    return Division.objects.get(code="360400")


def make_station(
    code: str,
    county_code: str,
    *,
    opened: dt.date | None = dt.date(2022, 5, 1),
    scene: str = StationScene.STREET,
    owner=None,
    staff: int = 2,
    **extra,
):
    """A station with its history: planned a month before opening, then open."""
    from fucai.geo.models import Division
    from fucai.network.models import Station

    county = Division.objects.get(code=county_code)
    station = Station.objects.create(
        code=code,
        name=f"{county.name}{code[-4:]}投注站",
        county=county,
        address=f"{county.name}人民路{code[-3:]}号",
        lon=county.lon,
        lat=county.lat,
        scene=scene,
        operation=extra.pop("operation", StationOperation.SHARED),
        staff_count=staff,
        terminal_count=1,
        owner=owner,
        **extra,
    )
    if opened is not None:
        station.transition(StationStatus.PLANNED, opened - dt.timedelta(days=30))
        station.refresh_from_db()
        station.transition(StationStatus.OPEN, opened)
        station.refresh_from_db()
    return station


def build_network(ganzhou, jiujiang) -> dict:
    """Three 赣州 stations (one of them 36110214 in 兴国县, managed by the market manager) and
    two 九江 stations, with a market manager and a Party-member owner (the `network` fixture;
    the permission matrix builds it once per module)."""
    from fucai.network.models import MarketManager, StationAssignment, StationOwner, Territory

    veteran = StationOwner.objects.create(
        name="测试业主甲",
        phone="13800005678",
        id_number="360732199001011234",
        city=ganzhou,
        is_party_member=True,
        is_veteran=True,
        party_consent=True,
    )
    stations = {
        "xingguo": make_station("36110214", "360732", owner=veteran, staff=3),
        "zhanggong": make_station(
            "36110001", "360702", opened=dt.date(2023, 3, 1), scene=StationScene.SHOPPING_COMPLEX
        ),
        "ruijin": make_station("36110002", "360781", opened=dt.date(2023, 4, 1)),
        "xunyang": make_station("36040001", "360403", opened=dt.date(2021, 7, 1)),
        "lushan": make_station(
            "36040002", "360483", opened=dt.date(2023, 6, 1), scene=StationScene.TOURISM_STREET
        ),
    }
    manager = MarketManager.objects.create(employee_code="GZ001", name="测试管理员乙", city=ganzhou)
    territory = Territory.objects.create(
        code="GZ-T01", name="兴国片区", city=ganzhou, manager=manager
    )
    StationAssignment.objects.create(
        station=stations["xingguo"],
        territory=territory,
        manager=manager,
        valid_from=dt.date(2021, 1, 1),
    )
    return {"stations": stations, "manager": manager, "territory": territory, "veteran": veteran}


@pytest.fixture
def network(db, ganzhou, jiujiang):
    """Three 赣州 stations (one of them 36110214 in 兴国县, managed by the market manager) and
    two 九江 stations, with a market manager and a Party-member owner."""
    return build_network(ganzhou, jiujiang)


def make_user(username: str, *roles, city=None, **anchors):
    """A user holding `roles` (each a Role, or a (Role, {anchor: value}) pair), all anchored to
    `city` and `anchors` (market_manager=, station_owner=, county=) where the role takes them."""
    from fucai.accounts.choices import ROLE_ANCHOR
    from fucai.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username=username, password="pw-for-tests-1", city=city)
    for role in roles:
        role, extra = role if isinstance(role, tuple) else (role, {})
        fields = {"city": city} if role in (Role.CITY, Role.PARTY, Role.ADMIN, Role.WELFARE) else {}
        anchor = ROLE_ANCHOR.get(role)
        if anchor and anchor != "city":
            fields[anchor] = anchors.get(anchor)
        if role == Role.CITY and "county" in anchors:
            fields["county"] = anchors["county"]
        RoleAssignment.objects.create(user=user, role=role, **{**fields, **extra})
    return user


def named_user(name: str, network: dict | None = None):
    """The named test users, one definition for their fixtures and the permission matrix
    (fucai.core.tests.test_permission_matrix). `network` is build_network's result (the market
    manager and the station owner hang off it)."""
    from fucai.geo.models import Division

    ganzhou = Division.objects.get(code="360700")
    jiujiang = Division.objects.get(code="360400")
    makers = {
        "province_admin": lambda: make_user("province_admin", Role.PROVINCE),
        "ganzhou_user": lambda: make_user("ganzhou_user", Role.CITY, city=ganzhou),
        "jiujiang_user": lambda: make_user("jiujiang_user", Role.CITY, city=jiujiang),
        "market_manager_user": lambda: make_user(
            "manager_user", Role.MANAGER, market_manager=network["manager"]
        ),
        "owner_user": lambda: make_user("owner_user", Role.OWNER, station_owner=network["veteran"]),
        "party_user": lambda: make_user("party_user", Role.PARTY),
        # a 赣州 city agency's staff member, also the Party-affairs and welfare officer of 九江
        "two_roles": lambda: make_user(
            "two_roles",
            Role.CITY,
            (Role.PARTY, {"city": jiujiang}),
            (Role.WELFARE, {"city": jiujiang}),
            city=ganzhou,
        ),
        # the welfare officers of 赣州 and of 九江 (public welfare: grants and their beneficiaries)
        "ganzhou_welfare": lambda: make_user("ganzhou_welfare", Role.WELFARE, city=ganzhou),
        "jiujiang_welfare": lambda: make_user("jiujiang_welfare", Role.WELFARE, city=jiujiang),
        # the user administrator of 赣州: manages its people, sees no network data
        "ganzhou_admin": lambda: make_user("ganzhou_admin", Role.ADMIN, city=ganzhou),
    }
    return makers[name]()


@pytest.fixture
def province_admin(db):
    return named_user("province_admin")


@pytest.fixture
def ganzhou_user(db):
    return named_user("ganzhou_user")


@pytest.fixture
def jiujiang_user(db):
    return named_user("jiujiang_user")


@pytest.fixture
def market_manager_user(network):
    return named_user("market_manager_user", network)


@pytest.fixture
def owner_user(network):
    return named_user("owner_user", network)


@pytest.fixture
def party_user(db):
    return named_user("party_user")


@pytest.fixture
def two_roles(db):
    return named_user("two_roles")


@pytest.fixture
def ganzhou_welfare(db):
    return named_user("ganzhou_welfare")


@pytest.fixture
def jiujiang_welfare(db):
    return named_user("jiujiang_welfare")


@pytest.fixture
def ganzhou_admin(db):
    return named_user("ganzhou_admin")


__all__ = ["Decimal", "build_network", "make_station", "make_user", "named_user"]
