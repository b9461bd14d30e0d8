"""Row scope (fucai.core.scope): who sees and who may change which rows, failing closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from fucai.accounts.choices import Role
from fucai.accounts.models import ApiToken, User
from fucai.conftest import make_user
from fucai.core.grant import EDIT_MASTER_DATA, IMPORT_SALES, MANAGE_USERS, grant_for
from fucai.core.models import ObjectChange
from fucai.core.scope import CHANGE, VIEW, scope_q
from fucai.geo.models import Division
from fucai.network.models import (
    MarketManager,
    PartnerOrganisation,
    Station,
    StationAssignment,
    StationOwner,
    StationStatusChange,
    Territory,
)

GANZHOU_CODES = ["36110001", "36110002", "36110214"]
ALL_CODES = ["36040001", "36040002", *GANZHOU_CODES]


def station_codes(user, action: str = VIEW) -> list[str]:
    return list(Station.objects.restrict(user, action).values_list("code", flat=True))


def test_the_province_sees_and_changes_every_station(network, province_admin):
    assert station_codes(province_admin) == ALL_CODES
    assert station_codes(province_admin, CHANGE) == ALL_CODES


def test_a_city_user_sees_and_changes_only_their_city(network, ganzhou_user, jiujiang_user):
    assert station_codes(ganzhou_user) == GANZHOU_CODES
    assert station_codes(ganzhou_user, CHANGE) == GANZHOU_CODES
    assert station_codes(jiujiang_user) == ["36040001", "36040002"]


def test_a_city_user_sees_the_parts_of_their_stations_only(network, ganzhou_user):
    history = StationStatusChange.objects.restrict(ganzhou_user)
    assert {c.station.code for c in history} == set(GANZHOU_CODES)
    assert history.count() == 6
    assert StationOwner.objects.restrict(ganzhou_user).count() == 1
    assert list(
        MarketManager.objects.restrict(ganzhou_user).values_list("employee_code", flat=True)
    ) == ["GZ001"]


def test_a_jiujiang_user_sees_none_of_ganzhous_people(network, jiujiang_user):
    assert not StationOwner.objects.restrict(jiujiang_user).exists()
    assert not MarketManager.objects.restrict(jiujiang_user).exists()
    assert not Territory.objects.restrict(jiujiang_user).exists()
    assert not StationAssignment.objects.restrict(jiujiang_user).exists()


def test_a_manager_sees_their_territory_read_only(network, market_manager_user):
    assert station_codes(market_manager_user) == ["36110214"]
    assert station_codes(market_manager_user, CHANGE) == []
    assert list(MarketManager.objects.restrict(market_manager_user)) == [network["manager"]]
    assert list(Territory.objects.restrict(market_manager_user)) == [network["territory"]]
    assert StationStatusChange.objects.restrict(market_manager_user).count() == 2


def test_a_manager_no_longer_sees_a_station_once_the_assignment_ended(network, market_manager_user):
    network["manager"].assignments.update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    assert station_codes(market_manager_user) == []
    assert StationStatusChange.objects.restrict(market_manager_user).count() == 0


def test_a_manager_sees_a_station_assigned_from_today_and_not_one_assigned_from_tomorrow(
    network, market_manager_user
):
    today = timezone.localdate()
    for station, start in (
        (network["stations"]["ruijin"], today),
        (network["stations"]["zhanggong"], today + dt.timedelta(days=1)),
    ):
        StationAssignment.objects.create(
            station=station,
            territory=network["territory"],
            manager=network["manager"],
            valid_from=start,
        )
    assert station_codes(market_manager_user) == ["36110002", "36110214"]


def test_an_owner_sees_only_their_own_station_read_only(network, owner_user):
    assert station_codes(owner_user) == ["36110214"]
    assert station_codes(owner_user, CHANGE) == []
    assert list(StationOwner.objects.restrict(owner_user)) == [network["veteran"]]
    assert not MarketManager.objects.restrict(owner_user).exists()


def test_a_party_user_reads_the_province_and_changes_nothing(network, party_user):
    assert station_codes(party_user) == ALL_CODES
    assert station_codes(party_user, CHANGE) == []
    assert not MarketManager.objects.restrict(party_user, CHANGE).exists()


def test_a_city_party_user_reads_only_their_city(network, ganzhou):
    user = make_user("ganzhou_party", Role.PARTY, city=ganzhou)
    assert station_codes(user) == GANZHOU_CODES
    assert station_codes(user, CHANGE) == []


@pytest.mark.parametrize("action", [VIEW, CHANGE])
def test_an_inactive_user_sees_nothing(network, province_admin, ganzhou_user, action):
    for user in (province_admin, ganzhou_user):
        user.is_active = False
        user.save()
        assert station_codes(user, action) == []


def test_an_anonymous_or_missing_user_sees_nothing(network):
    assert station_codes(AnonymousUser()) == []
    assert station_codes(None) == []
    assert not StationOwner.objects.restrict(None).exists()


def test_a_user_without_an_anchor_sees_nothing(network):
    orphans = [
        make_user("no_city", Role.CITY),
        make_user("no_manager", Role.MANAGER),
        make_user("no_owner", Role.OWNER),
        User.objects.create_user("no_role"),
    ]
    for user in orphans:
        assert station_codes(user) == [], user.username
        assert not StationOwner.objects.restrict(user).exists(), user.username


@pytest.mark.parametrize(
    "fixture", ["ganzhou_user", "market_manager_user", "owner_user", "party_user"]
)
@pytest.mark.parametrize("model", [Division, ContentType, ApiToken, User])
def test_scope_q_fails_closed_for_a_model_without_scope_attributes(
    network, request, fixture, model
):
    user = request.getfixturevalue(fixture)
    q = scope_q(model, user)
    assert q is not None
    assert not model.objects.filter(q).exists()


def test_partners_are_scoped_by_city_and_hidden_from_managers(
    network, ganzhou, jiujiang, ganzhou_user, market_manager_user
):
    PartnerOrganisation.objects.create(name="赣州超市", city=ganzhou)
    PartnerOrganisation.objects.create(name="九江商业集团", city=jiujiang)
    assert [p.name for p in PartnerOrganisation.objects.restrict(ganzhou_user)] == ["赣州超市"]
    assert not PartnerOrganisation.objects.restrict(market_manager_user).exists()


def test_a_person_with_two_roles_gets_the_union_of_both(network, ganzhou, jiujiang):
    # 赣州's city-agency staff member who is also Party affairs for 九江 (read-only there)
    user = make_user("two_roles", Role.CITY, (Role.PARTY, {"city": jiujiang}), city=ganzhou)
    assert station_codes(user) == ALL_CODES
    assert station_codes(user, CHANGE) == GANZHOU_CODES
    assert grant_for(user).can(EDIT_MASTER_DATA)


def test_a_market_manager_who_is_a_party_member_sees_the_union(network, ganzhou):
    user = make_user(
        "manager_party",
        Role.MANAGER,
        (Role.PARTY, {"city": ganzhou}),
        market_manager=network["manager"],
    )
    assert station_codes(user) == GANZHOU_CODES
    assert list(MarketManager.objects.restrict(user)) == [network["manager"]]
    assert station_codes(user, CHANGE) == []


def test_a_county_agency_sees_and_changes_only_its_county(network, ganzhou):
    xingguo = Division.objects.get(code="360732")
    user = make_user("xingguo_agency", Role.CITY, city=ganzhou, county=xingguo)
    assert station_codes(user) == ["36110214"]
    assert station_codes(user, CHANGE) == ["36110214"]
    assert station_codes(user, IMPORT_SALES) == ["36110214"]
    changes = StationStatusChange.objects.restrict(user)
    assert set(changes.values_list("station__code", flat=True)) == {"36110214"}
    assert grant_for(user).label == "兴国县"


def test_the_grant_is_computed_once_per_user_object(
    network, ganzhou_user, django_assert_num_queries
):
    grant_for(ganzhou_user)
    with django_assert_num_queries(1):  # the station query only; the grant is not rebuilt
        assert station_codes(ganzhou_user) == GANZHOU_CODES


def test_user_accounts_are_seen_only_by_their_user_administrators(
    network, ganzhou, jiujiang, ganzhou_user, jiujiang_user, party_user, province_admin
):
    admin = make_user("ganzhou_admin", Role.ADMIN, city=ganzhou)
    assert set(User.objects.restrict(admin).values_list("username", flat=True)) == {
        "ganzhou_admin",
        "ganzhou_user",
    }
    assert grant_for(admin).can(MANAGE_USERS)
    for user in (ganzhou_user, party_user, province_admin):
        assert not User.objects.restrict(user).exists(), user.username
        assert not grant_for(user).can(MANAGE_USERS)


def test_the_audit_trail_of_user_accounts_follows_user_administration(
    network, ganzhou, ganzhou_user, party_user
):
    admin = make_user("ganzhou_admin", Role.ADMIN, city=ganzhou)
    ganzhou_user.first_name = "改名"
    ganzhou_user.save()
    about_users = ObjectChange.objects.filter(object_type__model="user")
    assert about_users.filter(object_id=str(ganzhou_user.pk)).exists()
    assert not about_users.restrict(party_user).exists()
    assert not about_users.restrict(ganzhou_user).exists()
    assert about_users.restrict(admin).filter(object_id=str(ganzhou_user.pk)).exists()
    # the Party user still reads the network's own audit trail
    network["stations"]["xingguo"].name = "兴国县新名投注站"
    network["stations"]["xingguo"].save()
    assert ObjectChange.objects.restrict(party_user).filter(object_type__model="station").exists()
