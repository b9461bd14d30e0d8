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
| Party affairs | its city, or the province | — | Party affairs: its city's branch, or all |
| welfare affairs | its city, or the province | — | welfare; a city's: beneficiaries unmasked |

Recording field visits (`record_visits`, at the end of this file): the provincial centre and city
agencies where they see, market managers at the stations assigned to them today, Party affairs
where they see.
Both editors also override a station's 四帮 survey (override onboarding); the provincial
centre edits the 四帮 template (edit onboarding template).
Leads and spacing (issue 9): the provincial centre also edits the spacing rules and point layers
(edit spacing rules, province-wide); the provincial centre and a city agency may record a lead
despite a spacing rule, with a reason (override spacing), where they edit.
Evaluation (issue 13, `with_evaluations` at the end of this file): see evaluations — the
provincial centre everywhere, a city agency its city, a market manager their own record; run
evaluations (run, publish, edit schemes) — the provincial centre.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fucai.accounts.choices import Role
from fucai.core.grant import (
    EDIT_FUND_RATES,
    EDIT_MASTER_DATA,
    EDIT_SPACING_RULES,
    EVERYTHING,
    GENERATE_REPORT_PACKS,
    IMPORT_SALES,
    MANAGE_USERS,
    NOTHING,
    OVERRIDE_SPACING,
    PARTY_AFFAIRS,
    RECORD_WELFARE_ACTIVITIES,
    RUN_EVALUATIONS,
    SEE_BENEFICIARIES,
    SEE_EVALUATIONS,
    SEE_PERSONAL_DATA,
    SET_SALES_TARGETS,
    WELFARE_AFFAIRS,
    Grant,
    Reach,
    grant_for,
)

# 四帮 onboarding (fucai.network.onboarding): the province edits the plan template; the
# province and city agencies may let a station open without its survey, recording why.
EDIT_ONBOARDING_TEMPLATE = "edit_onboarding_template"
OVERRIDE_ONBOARDING = "override_onboarding"
EDITOR_CAPABILITIES = (
    EDIT_MASTER_DATA,
    IMPORT_SALES,
    SEE_PERSONAL_DATA,
    OVERRIDE_SPACING,
    OVERRIDE_ONBOARDING,
    RECORD_WELFARE_ACTIVITIES,  # 福彩公益行 activities where they change the network
)
# spacing rules and the 四帮 template: province-wide
# the public-welfare fund rates (fucai.welfare.fund): the provincial centre edits them
PROVINCE_CAPABILITIES = (
    *EDITOR_CAPABILITIES,
    EDIT_SPACING_RULES,
    EDIT_ONBOARDING_TEMPLATE,
    EDIT_FUND_RATES,
    SET_SALES_TARGETS,  # a year's targets are one document for the province (issue 13)
    GENERATE_REPORT_PACKS,  # a report pack made now, of any scope (issue 14)
)
ALL_CAPABILITIES = (*PROVINCE_CAPABILITIES, MANAGE_USERS)


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
        caps = dict.fromkeys(PROVINCE_CAPABILITIES, EVERYTHING)
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
        branches = {PARTY_AFFAIRS: party_branches(assignment)}
        return Part(view=reach, capabilities=branches, label=label)
    if role == Role.WELFARE:
        return welfare_part(assignment)
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
        every = (*ALL_CAPABILITIES, RECORD_VISITS, PARTY_AFFAIRS, WELFARE_AFFAIRS)
        every = (*every, SEE_EVALUATIONS, RUN_EVALUATIONS)
        caps = dict.fromkeys(every, EVERYTHING)
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
    parts = with_visit_recording(parts)
    parts = with_evaluations(parts, assignments)
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


# --- Who may manage whom -------------------------------------------------------------------
# A user administrator's MANAGE_USERS reach is a set of cities, or everything (the province,
# superusers). Nobody grants more than they hold: every assignment they make (or take away) is
# anchored inside that reach, and the accounts they manage belong to an agency inside it and hold
# nothing outside it. Nobody changes their own roles or deactivates themselves.


def manage_reach(granter) -> Reach:
    return grant_for(granter).capability(MANAGE_USERS)


def manages_city(granter, city_id: int | None) -> bool:
    """Is this agency (a city; None: the provincial centre) inside what `granter` manages?"""
    reach = manage_reach(granter)
    return reach.everything or (city_id is not None and city_id in reach.cities)


def anchor_city_id(assignment) -> int | None:
    """The city an assignment lies in; None: the whole province (or no anchor at all)."""
    if assignment.role == Role.MANAGER:
        return assignment.market_manager.city_id if assignment.market_manager_id else None
    if assignment.role == Role.OWNER:
        return assignment.station_owner.city_id if assignment.station_owner_id else None
    if assignment.role == Role.PROVINCE:
        return None
    return assignment.city_id


def _refuse(message) -> None:
    raise ValidationError(message, code="beyond_grant")


def _anchor(assignment):
    return (
        assignment.county
        or assignment.city
        or assignment.market_manager
        or assignment.station_owner
    )


def check_manages_user(granter, user) -> None:
    """Raise ValidationError unless `granter` may change `user`'s account (edit, deactivate,
    reset the password, change roles): the account's agency is inside the granter's reach, and
    the account holds nothing beyond it (else resetting its password would hand it over)."""
    if not manages_city(granter, user.city_id):
        _refuse(_("This account belongs to an agency you do not manage."))
    if user.is_superuser and not getattr(granter, "is_superuser", False):
        _refuse(_("Only a superuser may change a superuser's account."))
    if user.pk is None or manage_reach(granter).everything:
        return
    for held in assignments_of(user):
        if not manages_city(granter, anchor_city_id(held)):
            message = _(
                "This account holds roles beyond what you manage (%(role)s); "
                "ask the provincial centre."
            )
            _refuse(message % {"role": held})


def check_not_self(granter, user, message) -> None:
    if granter.pk is not None and granter.pk == user.pk:
        _refuse(message)


# Roles only the province's user administrators give (or take away), whatever their city: a
# city's welfare officer sees its beneficiaries unmasked, and whoever manages a city's accounts
# could otherwise hand that to an account of their own making.
PROVINCE_ASSIGNED = (Role.WELFARE,)


def check_assignment(granter, assignment) -> None:
    """The one rule for giving (or taking away) a role: raise ValidationError, with a message
    saying why, unless `granter` may. The assignment's anchor must lie inside the granter's
    MANAGE_USERS reach: a city administrator cannot assign the provincial role, a role of another
    city, another city's market manager or station owner, or the province's Party or
    administrator role; and nobody changes their own roles."""
    check_not_self(granter, assignment.user, _("You cannot change your own roles."))
    if assignment.role in PROVINCE_ASSIGNED and not manages_city(granter, None):
        message = _(
            "Only a provincial user administrator may assign %(role)s: it shows the "
            "beneficiaries of welfare grants unmasked."
        )
        _refuse(message % {"role": assignment.get_role_display()})
    city_id = anchor_city_id(assignment)
    if city_id is None and not manages_city(granter, None):
        message = _(
            "Only a provincial user administrator may assign %(role)s for the whole province."
        )
        _refuse(message % {"role": assignment.get_role_display()})
    if not manages_city(granter, city_id):
        message = _("%(anchor)s is outside the cities whose users you manage.")
        _refuse(message % {"anchor": _anchor(assignment)})
    check_manages_user(granter, assignment.user)


def may_assign(granter, assignment) -> bool:
    """check_assignment as a yes/no."""
    try:
        check_assignment(granter, assignment)
    except ValidationError:
        return False
    return True


# --- Field visits (fucai.network.visits) ---------------------------------------------------
RECORD_VISITS = "record_visits"


def with_visit_recording(parts: list[Part]) -> list[Part]:
    """The parts and `record_visits` where the role's people visit stations: the provincial
    centre and city agencies, market managers (their stations today) and Party affairs, each
    over what the role sees. User administrators and station owners record none."""
    reach = NOTHING
    for part in parts:
        if not part.view.persons_of("owner"):  # an owner's part: their own stations
            reach = reach | part.view
    if reach.is_empty:
        return parts
    return [*parts, Part(capabilities={RECORD_VISITS: reach})]


# --- 四帮 onboarding (fucai.network.onboarding) -------------------------------------------------
def party_cadres(city_id: int | None):
    """The active users holding Party affairs for the city: besides its market managers, those a
    city's 四帮 task may be given to (they see the city, so they see the task and may complete it
    as its assignee). A province-wide Party affairs office is not a city's cadre."""
    from fucai.accounts.models import User

    if city_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True, role_assignments__role=Role.PARTY, role_assignments__city_id=city_id
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- Party building (fucai.party) ----------------------------------------------------------------
# Party affairs of a city see, and record the organisational life of, their city's branch; the
# province's Party affairs every branch. Nobody else sees a branch's members (not even the
# provincial centre's editors). The capability: PARTY_AFFAIRS (fucai.core.grant).


def party_branches(assignment) -> Reach:
    """The branches a Party-affairs assignment reaches: the city's branch, or every branch."""
    if not assignment.city_id:
        return EVERYTHING
    from fucai.party.models import Branch

    branches = Branch.objects.filter(city_id=assignment.city_id).values_list("pk", flat=True)
    return Reach.of(branches=branches)


def agency_accounts(city_ids):
    """The active accounts of the staff of these agencies (city ids; None: the provincial
    centre), as a Party member of an agency's branch may be linked to one: not station owners'
    accounts."""
    from django.db.models import Q

    from fucai.accounts.models import User

    ids = set(city_ids)
    agencies = Q(city_id__in=sorted(i for i in ids if i is not None))
    if None in ids:
        agencies |= Q(city__isnull=True)
    owners = User.objects.filter(role_assignments__role=Role.OWNER)
    return (
        User.objects.filter(agencies, is_active=True)
        .exclude(pk__in=owners)
        .order_by("last_name", "first_name", "username")
    )


# --- Public welfare (fucai.welfare) ---------------------------------------------------------
# Welfare officers of a city see their city and keep its welfare fund's projects and grants; the
# province's welfare office every city's. Households' names, ID numbers, phones, addresses and
# circumstances are shown unmasked only to the welfare officers of the household's city (not to
# the province's welfare office, not to any editor, not to a superuser), each view audited.


def welfare_part(assignment) -> Part:
    """What a welfare-affairs assignment gives: its city (or the province) to see, welfare
    affairs there, and a city's beneficiaries unmasked."""
    reach, label = _area(assignment)
    capabilities = {WELFARE_AFFAIRS: reach, RECORD_WELFARE_ACTIVITIES: reach}
    if assignment.city_id:
        capabilities[SEE_BENEFICIARIES] = reach
    else:  # the province's welfare office keeps the fund rates (fucai.welfare.fund)
        capabilities[EDIT_FUND_RATES] = EVERYTHING
    return Part(view=reach, capabilities=capabilities, label=label)


# --- Evaluation (fucai.evaluation) ------------------------------------------------------------
# The provincial centre sees every evaluation run and runs, publishes and edits schemes (run
# evaluations); a city agency sees evaluations over its city (see evaluations: its city's row of
# a city evaluation, its managers in a manager evaluation); a market manager their own published
# result (see evaluations over their own manager record). What each sees is decided by ONE
# function, fucai.evaluation.visibility.


def with_evaluations(parts: list[Part], assignments) -> list[Part]:
    """The parts and the evaluation capabilities of the provincial centre, city agencies (their
    city; a county's agency none) and market managers (their own record)."""
    see = NOTHING
    run = NOTHING
    for assignment in assignments:
        if assignment.role == Role.PROVINCE:
            see, run = EVERYTHING, EVERYTHING
        elif assignment.role == Role.CITY and assignment.city_id and not assignment.county_id:
            see = see | Reach.of(cities=[assignment.city_id])
        elif assignment.role == Role.MANAGER and assignment.market_manager_id:
            see = see | Reach.of(persons={"manager": [assignment.market_manager_id]})
    if see.is_empty:
        return parts
    return [*parts, Part(capabilities={SEE_EVALUATIONS: see, RUN_EVALUATIONS: run})]
