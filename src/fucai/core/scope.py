"""Row scope: the one place that decides which rows a user may see or change.

Every list, detail page, API endpoint and export starts from `Model.objects.restrict(user, action)`.
A model says how it hangs off the network with two attributes:

- `scope_city_field`: the lookup path to its city (a geo.Division of level prefecture);
- `scope_station_field`: the lookup path to its station ("" for Station itself), or None.

Rules (fail closed: anything not covered sees nothing):

- provincial centre and superusers: everything;
- city agency: rows of its city;
- Party affairs: read-only, its city if it has one, else the province;
- market manager: read-only, rows of the stations currently assigned to them;
- station owner: read-only, rows of their own stations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone

from fucai.accounts.choices import Role

if TYPE_CHECKING:
    from fucai.accounts.models import User

VIEW = "view"
CHANGE = "change"
_NOTHING = Q(pk__in=[])


def _join(prefix: str | None, field: str) -> str:
    return f"{prefix}__{field}" if prefix else field


def managed_station_ids(manager_id: int, on=None):
    """Ids of the stations assigned to a market manager on a day (today by default)."""
    from fucai.network.models import StationAssignment

    day = on or timezone.localdate()
    return (
        StationAssignment.objects.active_on(day).filter(manager_id=manager_id).values("station_id")
    )


def scope_q(model: type[models.Model], user: User | None, action: str = VIEW) -> Q | None:
    """The filter for `user` on `model`; None means no filter (everything)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_superuser or user.role == Role.PROVINCE:
        return None
    city_field = getattr(model, "scope_city_field", None)
    station_field = getattr(model, "scope_station_field", None)
    if user.role == Role.CITY:
        if city_field is None or user.city_id is None:
            return _NOTHING
        return Q(**{city_field: user.city_id})
    if action != VIEW:
        return _NOTHING
    if user.role == Role.PARTY:
        if city_field is None:
            return _NOTHING
        return None if user.city_id is None else Q(**{city_field: user.city_id})
    if station_field is None:
        return _own_person_q(model, user)
    if user.role == Role.MANAGER and user.market_manager_id:
        return Q(**{_join(station_field, "pk__in"): managed_station_ids(user.market_manager_id)})
    if user.role == Role.OWNER and user.station_owner_id:
        return Q(**{_join(station_field, "owner_id"): user.station_owner_id})
    return _NOTHING


def _own_person_q(model: type[models.Model], user: User) -> Q:
    """Managers see their own MarketManager row; owners their own StationOwner row."""
    label = model._meta.label
    if label == "network.MarketManager" and user.market_manager_id:
        return Q(pk=user.market_manager_id)
    if label == "network.Territory" and user.market_manager_id:
        return Q(manager_id=user.market_manager_id)
    if label == "network.StationOwner" and user.station_owner_id:
        return Q(pk=user.station_owner_id)
    return _NOTHING


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: User | None, action: str = VIEW) -> RestrictedQuerySet:
        q = scope_q(self.model, user, action)
        return self if q is None else self.filter(q)
