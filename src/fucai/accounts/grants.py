"""The grant module: how a person's role assignments become one grant (fucai.core.grant).

This is the only place (with the accounts app's own models and forms) that knows what a role
means. Each role gives a view reach, a change reach and capabilities; a person's grant is the
union over their assignments. Superusers get everything. Fail closed: an assignment without its
anchor, an inactive user or an unknown role gives nothing.

| role | sees | changes | capabilities |
|---|---|---|---|
| provincial centre | everything | everything | edit master data, import sales, see personal data |
| city agency | its city (or its county) | the same | the same, there |
| user administrator | — | — | manage users of its city (or the province) |
| market manager | the stations assigned to them today, their own record | — | — |
| station owner | their own stations, their own record | — | — |
| Party affairs | its city, or the province | — | — |
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from types import MappingProxyType

from django.utils import timezone
from django.utils.translation import gettext as _

from fucai.accounts.choices import Role
from fucai.core.grant import (
    EDIT_MASTER_DATA,
    EVERYTHING,
    IMPORT_SALES,
    MANAGE_USERS,
    NOTHING,
    SEE_PERSONAL_DATA,
    Grant,
    Reach,
)

EDITOR_CAPABILITIES = (EDIT_MASTER_DATA, IMPORT_SALES, SEE_PERSONAL_DATA)
ALL_CAPABILITIES = (*EDITOR_CAPABILITIES, MANAGE_USERS)


@dataclass
class Part:
    """What one role assignment gives."""

    view: Reach = NOTHING
    change: Reach = NOTHING
    capabilities: dict[str, Reach] = field(default_factory=dict)
    label: str = ""


def managed_station_ids(manager_ids, on=None) -> set[int]:
    """Ids of the stations assigned to these market managers on a day (today by default)."""
    from fucai.network.models import StationAssignment

    if not manager_ids:
        return set()
    day = on or timezone.localdate()
    assignments = StationAssignment.objects.active_on(day).filter(manager_id__in=manager_ids)
    return set(assignments.values_list("station_id", flat=True))


def owned_station_ids(owner_ids) -> set[int]:
    from fucai.network.models import Station

    if not owner_ids:
        return set()
    return set(Station.objects.filter(owner_id__in=owner_ids).values_list("pk", flat=True))


def _area(assignment) -> tuple[Reach, str]:
    """The city (or county) of a city-level assignment; no city: the province."""
    if assignment.county_id:
        return Reach.of(counties=[assignment.county_id]), assignment.county.name
    if assignment.city_id:
        return Reach.of(cities=[assignment.city_id]), assignment.city.name
    return EVERYTHING, _("Whole province")


def _part(assignment) -> Part | None:
    role = assignment.role
    if role == Role.PROVINCE:
        caps = dict.fromkeys(EDITOR_CAPABILITIES, EVERYTHING)
        return Part(EVERYTHING, EVERYTHING, caps, _("Whole province"))
    if role == Role.CITY:
        if not assignment.city_id:
            return None
        reach, label = _area(assignment)
        return Part(reach, reach, dict.fromkeys(EDITOR_CAPABILITIES, reach), label)
    if role == Role.ADMIN:
        reach = Reach.of(cities=[assignment.city_id]) if assignment.city_id else EVERYTHING
        return Part(capabilities={MANAGE_USERS: reach})
    if role == Role.PARTY:
        reach, label = _area(assignment)
        return Part(view=reach, label=label)
    return None  # managers and owners are resolved together (one query each)


def _people_parts(assignments) -> list[Part]:
    """Market managers' and owners' parts: their stations today and their own records."""
    managers = {a.market_manager_id: a for a in assignments if a.role == Role.MANAGER}
    owners = {a.station_owner_id: a for a in assignments if a.role == Role.OWNER}
    managers.pop(None, None)
    owners.pop(None, None)
    parts = []
    if managers:
        stations = managed_station_ids(list(managers))
        reach = Reach.of(stations=stations, persons={"manager": list(managers)})
        label = "、".join(str(a.market_manager) for a in managers.values())
        parts.append(Part(view=reach, label=label))
    if owners:
        stations = owned_station_ids(list(owners))
        reach = Reach.of(stations=stations, persons={"owner": list(owners)})
        label = "、".join(str(a.station_owner) for a in owners.values())
        parts.append(Part(view=reach, label=label))
    return parts


def assignments_of(user) -> list:
    from fucai.accounts.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(user=user).select_related(
            "city", "county", "market_manager", "station_owner"
        )
    )


def build_grant(user) -> Grant:
    """The grant of an active, authenticated user (fucai.core.grant calls this)."""
    if user.is_superuser:
        caps = dict.fromkeys(ALL_CAPABILITIES, EVERYTHING)
        return Grant(
            user.pk,
            EVERYTHING,
            EVERYTHING,
            MappingProxyType(caps),
            (_("Superuser"),),
            _("Whole province"),
        )
    assignments = assignments_of(user)
    parts = [p for p in map(_part, assignments) if p is not None] + _people_parts(assignments)
    return combine(user.pk, parts, roles=_role_labels(assignments))


def combine(user_id, parts: list[Part], roles: tuple[str, ...] = ()) -> Grant:
    """The union of some parts."""
    view, change = NOTHING, NOTHING
    capabilities: dict[str, Reach] = defaultdict(lambda: NOTHING)
    for part in parts:
        view, change = view | part.view, change | part.change
        for name, reach in part.capabilities.items():
            capabilities[name] = capabilities[name] | reach
    return Grant(
        user_id, view, change, MappingProxyType(dict(capabilities)), roles, _label(view, parts)
    )


def _label(view: Reach, parts: list[Part]) -> str:
    if view.everything:
        return _("Whole province")
    labels = list(dict.fromkeys(p.label for p in parts if p.label and not p.view.is_empty))
    return "、".join(labels) if labels else _("Nothing")


def _role_labels(assignments) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(a.get_role_display()) for a in assignments))
