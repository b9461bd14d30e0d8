"""Grants: what one person may see and change, computed once per request (or command run).

A `Grant` holds a `Reach` for viewing, one for changing, and one per capability (edit master
data, import sales, manage users, …). A reach is a union of anchors: everything, some cities,
some counties, some stations, some Party branches, some person records (one's own market-manager
or owner record). Every reader of rows takes the grant: `Model.objects.restrict(user)`
(fucai.core.scope), the analytics scope, importers, exports, the menu and the scope label.

How roles become a grant is not core's business: the accounts app registers a provider
(`register_provider`) that turns a user's role assignments into one grant, the union of what each
role gives. Core never tests a role. Everything fails closed: no provider, no user, an inactive
user → the empty grant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

VIEW = "view"
CHANGE = "change"

# Capabilities a grant may carry; apps may use further names of their own.
EDIT_MASTER_DATA = "edit_master_data"
IMPORT_SALES = "import_sales"
MANAGE_USERS = "manage_users"
SEE_PERSONAL_DATA = "see_personal_data"
# leads and spacing rules (issue 9): record a lead despite a spacing rule; edit the rules
OVERRIDE_SPACING = "override_spacing"
EDIT_SPACING_RULES = "edit_spacing_rules"
# Party building (issue 11): see a Party branch's members and record its organisational life
PARTY_AFFAIRS = "party_affairs"
# public welfare (issue 12): see and record the welfare fund's projects and grants; see the
# beneficiaries of grants unmasked (a city's welfare officers only)
WELFARE_AFFAIRS = "welfare_affairs"
SEE_BENEFICIARIES = "see_beneficiaries"
# the fund raised (issue 12): edit the public-welfare fund rates per game (the provincial centre)
EDIT_FUND_RATES = "edit_fund_rates"
# 福彩公益行 activities and publicity placements (issue 12): record them in a city (its welfare
# officers and the editors who change it)
RECORD_WELFARE_ACTIVITIES = "record_welfare_activities"
# evaluation (issue 13): see evaluation runs (the provincial centre all, a city agency its city's,
# a market manager their own published result); run, publish and edit schemes (the province)
SEE_EVALUATIONS = "see_evaluations"
RUN_EVALUATIONS = "run_evaluations"
# sales targets (issue 13): import or enter a year's targets (a new version; the provincial centre)
SET_SALES_TARGETS = "set_sales_targets"
# report packs (issue 14): make a pack now, for any scope (the provincial centre); the schedule
# makes the monthly and quarterly ones
GENERATE_REPORT_PACKS = "generate_report_packs"


def _ids(values: Iterable[int] | None) -> frozenset[int]:
    return frozenset(int(v) for v in values or ())


@dataclass(frozen=True)
class Reach:
    """Where a right applies: everything, or the union of the anchors listed."""

    everything: bool = False
    cities: frozenset[int] = frozenset()
    counties: frozenset[int] = frozenset()
    stations: frozenset[int] = frozenset()
    branches: frozenset[int] = frozenset()
    persons: frozenset[tuple[str, int]] = frozenset()  # (kind, pk), e.g. ("manager", 7)

    @classmethod
    def of(
        cls,
        *,
        cities=None,
        counties=None,
        stations=None,
        branches=None,
        persons: Mapping[str, Iterable[int]] | None = None,
    ) -> Reach:
        pairs = frozenset(
            (kind, int(pk)) for kind, pks in (persons or {}).items() for pk in pks if pk
        )
        return cls(
            cities=_ids(cities),
            counties=_ids(counties),
            stations=_ids(stations),
            branches=_ids(branches),
            persons=pairs,
        )

    def __or__(self, other: Reach) -> Reach:
        if self.everything or other.everything:
            return EVERYTHING
        return Reach(
            cities=self.cities | other.cities,
            counties=self.counties | other.counties,
            stations=self.stations | other.stations,
            branches=self.branches | other.branches,
            persons=self.persons | other.persons,
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything
            or self.cities
            or self.counties
            or self.stations
            or self.branches
            or self.persons
        )

    def includes_place(self, city_id: int | None, county_id: int | None = None) -> bool:
        """Does the reach take in a place (a city, or a county of it) as a whole?"""
        if self.everything:
            return True
        return city_id in self.cities or (county_id is not None and county_id in self.counties)

    def persons_of(self, kind: str) -> frozenset[int]:
        return frozenset(pk for k, pk in self.persons if k == kind)

    def covers(self, other: Reach) -> bool:
        """Does this reach include every anchor of `other`? (Nobody grants more than they
        hold.) Anchors are compared as given: a city covers its counties only when the caller
        says so through `county_cities`-aware checks in the accounts app."""
        if self.everything:
            return True
        if other.everything:
            return False
        return (
            other.cities <= self.cities
            and other.counties <= self.counties
            and other.stations <= self.stations
            and other.branches <= self.branches
            and other.persons <= self.persons
        )


NOTHING = Reach()
EVERYTHING = Reach(everything=True)


@dataclass(frozen=True)
class Grant:
    """What one person may see (`view`) and change (`change`), and where each capability
    applies. Built by the registered provider; immutable for the request."""

    user_id: int | None = None
    view: Reach = NOTHING
    change: Reach = NOTHING
    capabilities: Mapping[str, Reach] = field(default_factory=lambda: MappingProxyType({}))
    roles: tuple[str, ...] = ()  # labels of the roles it was built from, for display
    label: str = ""  # what the person sees, in words ("赣州市", "全省")

    def reach(self, action: str = VIEW) -> Reach:
        if action == VIEW:
            return self.view
        if action == CHANGE:
            return self.change
        return self.capability(action)

    def capability(self, name: str) -> Reach:
        return self.capabilities.get(name, NOTHING)

    def can(self, name: str) -> bool:
        """Does the grant carry this capability anywhere?"""
        return not self.capability(name).is_empty

    @property
    def sees_everything(self) -> bool:
        return self.view.everything

    @property
    def is_empty(self) -> bool:
        return (
            self.view.is_empty
            and self.change.is_empty
            and not any(not reach.is_empty for reach in self.capabilities.values())
        )


EMPTY = Grant()

_provider: Callable[[object], Grant] | None = None


def register_provider(provider: Callable[[object], Grant]) -> None:
    """The accounts app registers the function that builds a user's grant (at ready())."""
    global _provider
    _provider = provider


def grant_for(user) -> Grant:
    """The user's grant, computed once per user object (a request's user, a command's --user).
    Anonymous, inactive or no provider: the empty grant."""
    if isinstance(user, Grant):
        return user
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    cached = getattr(user, "_fucai_grant", None)
    if cached is not None:
        return cached
    grant = _provider(user) if _provider is not None else EMPTY
    user._fucai_grant = grant
    return grant


def forget_grant(user) -> None:
    """Drop a user object's cached grant (after its role assignments changed)."""
    if user is not None and hasattr(user, "_fucai_grant"):
        del user._fucai_grant
