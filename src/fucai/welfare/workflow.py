"""The rules of a grant, defined once and called by the pages, the API, the CLI and the demo:
application → review → approval → payment, or rejection; every step a GrantStep row.

- No step is skipped: each step needs the status the one before leaves (`STEP_FROM`).
- Three people: the reviewer is not the person who entered the application, the approver is
  neither the entrant nor the reviewer (四眼原则 twice: nobody approves what they entered or
  checked). Payment and rejection may be recorded by any welfare officer of the city but the
  entrant may not reject their own entry (a rejection is a decision, like an approval).
- Budget: approving a grant may not take its project's approved-and-paid total over the budget
  unless an override reason is given (a BudgetOverride row: who, why, by how much).
- Payment is refused while the grant has no public notice, while its notice period is open
  (paid on or before its end) or while an objection to it is unresolved.
- Objections are received during the notice period only; one upheld rejects the grant.
- Projects: created and edited by the welfare officers of their city (the province's welfare
  office: any city); they move planned → in progress → completed → closed (`PROJECT_MOVES`;
  planned or in progress may close early), each move a ProjectStep row (who, when, a note).
  Only a project in progress takes applications; a project closes only with nothing pending.
  Its budget cannot be lowered below what its grants committed and paid (`over_budget`, the
  same rule as an approval's) unless an override reason is given (a ProjectBudgetOverride).
- Duplicate applications: the same ID number applied for in the same year in another city is
  found by the blind index (never the number) and told without naming that city's record; in
  the same city the household is found by the blind index and reused (`household_of`), and its
  second application of the year is flagged too (`duplicate_in_city`).

Money is integer fen; yuan are Decimal fen / 100 (exact, no rounding).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fucai.core.grant import WELFARE_AFFAIRS, grant_for
from fucai.welfare.choices import (
    GrantStatus,
    GrantStepKind,
    ObjectionOutcome,
    ProjectStatus,
    RecipientKind,
)

S, K, P = GrantStatus, GrantStepKind, ProjectStatus
# the status each step needs, and the one it leaves
STEP_FROM = {
    K.REVIEW: (S.APPLIED,),
    K.APPROVAL: (S.REVIEWED,),
    K.PAYMENT: (S.APPROVED,),
    K.REJECTION: (S.APPLIED, S.REVIEWED, S.APPROVED),
}
STEP_TO = {K.REVIEW: S.REVIEWED, K.APPROVAL: S.APPROVED, K.PAYMENT: S.PAID, K.REJECTION: S.REJECTED}
COMMITTED = (S.APPROVED,)  # approved, not paid yet


class Refused(Exception):
    """A step the rules refuse; the message is the sentence shown to the user."""


def yuan(fen: int | None) -> Decimal:
    return (Decimal(int(fen or 0)) / 100).quantize(Decimal("0.01"))


def fen_of(yuan_value) -> int:
    """Yuan (text or Decimal, at most 2 decimals) as integer fen; more decimals are refused."""
    amount = Decimal(str(yuan_value)) * 100
    if amount != amount.to_integral_value():
        raise Refused(_("An amount has at most two decimals (fen)."))
    return int(amount)


def _check_officer(user, city_id: int) -> None:
    if not grant_for(user).capability(WELFARE_AFFAIRS).includes_place(city_id):
        raise Refused(_("You do not keep this city's welfare grants."))


def _step(grant, kind: str, user, on: dt.date, note: str = ""):
    from fucai.welfare.models import GrantStep

    return GrantStep.objects.create(grant=grant, kind=kind, by=user, on=on, note=note or "")


def _people(grant) -> dict[str, int]:
    """Who did each step already recorded: step kind -> user id (the latest of each kind)."""
    return {kind: by for kind, by in grant.steps.order_by("pk").values_list("kind", "by_id")}


def duplicate_elsewhere(household, year: int) -> bool:
    """Whether a grant of `year` exists for the household's ID number in another city (keyed
    hash only: the other city's record is neither read nor named)."""
    from fucai.welfare.models import Grant

    if not household.id_index:
        return False
    return (
        Grant.objects.filter(year=year, household__id_index=household.id_index)
        .exclude(project__city_id=household.city_id)
        .exclude(status=S.REJECTED)
        .exists()
    )


DUPLICATE_MESSAGE = gettext_lazy(
    "An application with this ID number exists this year in another city."
)
DUPLICATE_IN_CITY_MESSAGE = gettext_lazy(
    "This household has another application this year in this city: check it is not a duplicate."
)


def duplicate_in_city(household, year: int, exclude_pk: int | None = None) -> bool:
    """Whether the household (the same record: one per ID number and city) has another grant of
    `year` in its city, not rejected."""
    from fucai.welfare.models import Grant

    grants = Grant.objects.filter(year=year, household=household).exclude(status=S.REJECTED)
    return grants.exclude(pk=exclude_pk).exists()


def household_of(city, *, id_number: str, village: str, **fields):
    """The city's household with this ID number (found by the blind index, never by reading
    the numbers), or a new one with the given fields. An existing household keeps its record:
    a second application does not overwrite the first one's details."""
    from fucai.core.personal import equal_to
    from fucai.welfare.models import Household

    found = Household.objects.filter(equal_to(Household, "id_number", id_number), city=city)
    existing = found.order_by("pk").first()
    if existing is not None:
        return existing
    return Household.objects.create(city=city, village=village, id_number=id_number, **fields)


def application_warnings(grant) -> list[str]:
    """What the officer is told after recording an application (it is recorded all the same):
    a possible duplicate, an amount over what is left of the project's budget (the approval's
    rule, `over_budget`, which refuses it later without an override)."""
    warnings = []
    if grant.duplicate_elsewhere:
        warnings.append(str(DUPLICATE_MESSAGE))
    if grant.duplicate_in_city:
        warnings.append(str(DUPLICATE_IN_CITY_MESSAGE))
    totals = project_totals(grant.project)
    over = over_budget(totals["budget"], totals["paid"], totals["committed"], grant.amount_fen)
    if over:
        warnings.append(
            _(
                "This amount is %(over)s yuan more than what is left of the project's budget "
                "(%(left)s yuan): its approval will need a reason to override the budget."
            )
            % {
                "over": f"{yuan(over):,.2f}",
                "left": f"{yuan(totals['budget'] - totals['paid'] - totals['committed']):,.2f}",
            }
        )
    return warnings


@transaction.atomic
def apply(
    user,
    project,
    *,
    amount_fen: int,
    applied_on: dt.date,
    household=None,
    organisation: str = "",
    village: str = "",
    note: str = "",
):
    """Record an application (the first step); the entrant is `user`."""
    from fucai.welfare.models import Grant

    _check_officer(user, project.city_id)
    if amount_fen <= 0:
        raise Refused(_("The amount must be more than zero."))
    if (household is None) == (not organisation):
        raise Refused(_("A grant goes either to a household or to an organisation."))
    if household is not None and household.city_id != project.city_id:
        raise Refused(_("The household is not of the project's city."))
    # the status as stored (a page may hold a project read before it was completed or closed)
    project.status = type(project).objects.values_list("status", flat=True).get(pk=project.pk)
    refusal = application_refusal(project.status)
    if refusal:
        raise Refused(refusal)
    grant = Grant(
        project=project,
        recipient_kind=RecipientKind.HOUSEHOLD if household else RecipientKind.ORGANISATION,
        household=household,
        organisation=organisation,
        village=village or (household.village if household else ""),
        year=applied_on.year,
        amount_fen=amount_fen,
        applied_on=applied_on,
        entered_by=user,
    )
    if household is not None:
        grant.duplicate_elsewhere = duplicate_elsewhere(household, applied_on.year)
        grant.duplicate_in_city = duplicate_in_city(household, applied_on.year)
        _mark_duplicates(household, applied_on.year)
    grant.save()
    _step(grant, K.APPLICATION, user, applied_on, note)
    return grant


def application_refusal(project_status: str) -> str | None:
    """Why a project in `project_status` takes no new grant (None: it does, it is in progress)."""
    if project_status == P.OPEN:
        return None
    if project_status == P.PLANNED:
        return _("The project has not started: it takes no applications yet.")
    return _("A completed or closed project takes no new grants.")


def _mark_duplicates(household, year: int) -> None:
    """The other cities' grants of the same ID number and year are flagged too (each city's
    officer then sees "exists in another city" on their own record)."""
    from fucai.welfare.models import Grant

    Grant.objects.filter(year=year, household__id_index=household.id_index).exclude(
        project__city_id=household.city_id
    ).update(duplicate_elsewhere=True)


def step_refusal(
    status: str, kind: str, user_id: int, entrant_id: int, reviewer_id: int | None = None
) -> str | None:
    """Why `user_id` may not give a grant in `status` the step `kind` (None: they may). Pure: the
    workflow's functions and the demo builder (which plans its grants in memory) both ask it."""
    if status not in STEP_FROM[kind]:
        return _("A grant that is “%(status)s” cannot get the step “%(step)s”.") % {
            "status": S(status).label,
            "step": K(kind).label,
        }
    if kind == K.REVIEW and user_id == entrant_id:
        return _("The reviewer cannot be the person who entered the application.")
    if kind == K.APPROVAL and user_id in (entrant_id, reviewer_id):
        return _("The approver cannot be the person who entered or reviewed the application.")
    if kind == K.REJECTION and user_id == entrant_id:
        return _("The person who entered the application cannot decide on it.")
    return None


def over_budget(budget_fen: int, paid_fen: int, committed_fen: int, amount_fen: int) -> int:
    """By how many fen approving `amount_fen` takes a project over its budget (0: within it)."""
    return max(0, paid_fen + committed_fen + amount_fen - budget_fen)


def notice_refusal(
    status: str, notice_ends_on: dt.date | None, on: dt.date, open_objections: int
) -> str | None:
    """Why a grant cannot be paid on the day (None: it can); pure, as step_refusal."""
    if status != S.APPROVED:
        return _("Only an approved grant can be paid.")
    if notice_ends_on is None:
        return _("The grant has not been publicly noticed yet.")
    if on <= notice_ends_on:
        return _("The notice period runs until %(day)s: the grant cannot be paid before.") % {
            "day": notice_ends_on.isoformat()
        }
    if open_objections:
        return _("An objection to the grant is not resolved.")
    return None


def _advance(grant, kind: str, user, on: dt.date):
    _check_officer(user, grant.project.city_id)
    reviewer = _people(grant).get(K.REVIEW)
    refusal = step_refusal(grant.status, kind, user.pk, grant.entered_by_id, reviewer)
    if refusal:
        raise Refused(refusal)
    if on < grant.applied_on:
        raise Refused(_("A step cannot be dated before the application."))


@transaction.atomic
def review(user, grant, on: dt.date, note: str = ""):
    _advance(grant, K.REVIEW, user, on)
    return _move(grant, K.REVIEW, user, on, note)


def project_totals(project, as_of: dt.date | None = None) -> dict[str, int]:
    """Budget, committed (approved, not paid by the day) and paid (by the day), in fen."""
    from fucai.welfare.models import Grant

    return totals_of(Grant.objects.filter(project=project), as_of) | {"budget": project.budget_fen}


def totals_of(grants, as_of: dt.date | None = None) -> dict[str, int]:
    """Committed and paid fen of some grants as of a day (None: now), the one definition."""
    paid_q, committed_q = paid_filter(as_of), committed_filter(as_of)
    result = grants.aggregate(
        paid=Sum("paid_fen", filter=paid_q), committed=Sum("amount_fen", filter=committed_q)
    )
    return {"paid": result["paid"] or 0, "committed": result["committed"] or 0}


def paid_filter(as_of: dt.date | None = None, prefix: str = "") -> Q:
    """Grants paid by the day."""
    q = Q(**{f"{prefix}status": S.PAID})
    return q & Q(**{f"{prefix}paid_on__lte": as_of}) if as_of else q


def committed_filter(as_of: dt.date | None = None, prefix: str = "") -> Q:
    """Grants approved by the day and not paid by it (a grant rejected later no longer counts)."""
    if as_of is None:
        return Q(**{f"{prefix}status__in": COMMITTED})
    approved = Q(**{f"{prefix}approved_on__lte": as_of}) & ~Q(**{f"{prefix}status": S.REJECTED})
    unpaid = Q(**{f"{prefix}paid_on__isnull": True}) | Q(**{f"{prefix}paid_on__gt": as_of})
    return approved & unpaid


@transaction.atomic
def approve(user, grant, on: dt.date, note: str = "", override_reason: str = ""):
    """Approve a reviewed grant; over the project's budget only with an override reason."""
    from fucai.welfare.models import BudgetOverride, Project

    _advance(grant, K.APPROVAL, user, on)
    project = Project.objects.select_for_update().get(pk=grant.project_id)
    totals = project_totals(project)
    over = over_budget(project.budget_fen, totals["paid"], totals["committed"], grant.amount_fen)
    if over:
        if not (override_reason or "").strip():
            raise Refused(
                _(
                    "Approving this grant takes the project %(over)s yuan over its budget; "
                    "give a reason to override the budget."
                )
                % {"over": f"{yuan(over):,.2f}"}
            )
        BudgetOverride.objects.create(grant=grant, by=user, reason=override_reason, over_fen=over)
    grant.approved_on = on
    return _move(grant, K.APPROVAL, user, on, note)


def payment_refusal(grant, on: dt.date) -> str | None:
    """Why the grant cannot be paid on the day (None: it can)."""
    notice = grant.notice
    open_objections = grant.objections.filter(outcome="").count() if grant.pk else 0
    return notice_refusal(grant.status, notice.ends_on if notice else None, on, open_objections)


@transaction.atomic
def pay(user, grant, on: dt.date, note: str = ""):
    """Record the payment of the approved amount on the day."""
    _check_officer(user, grant.project.city_id)
    refusal = payment_refusal(grant, on)
    if refusal:
        raise Refused(refusal)
    if on < (grant.approved_on or grant.applied_on):
        raise Refused(_("A payment cannot be dated before the approval."))
    grant.paid_on, grant.paid_fen = on, grant.amount_fen
    return _move(grant, K.PAYMENT, user, on, note)


@transaction.atomic
def reject(user, grant, on: dt.date, note: str):
    """A step back: the application is refused (recorded like every step, with its reason)."""
    _advance(grant, K.REJECTION, user, on)
    if not (note or "").strip():
        raise Refused(_("Give the reason for the rejection."))
    return _move(grant, K.REJECTION, user, on, note)


def _move(grant, kind: str, user, on: dt.date, note: str):
    grant.status = STEP_TO[kind]
    grant.save()
    _step(grant, kind, user, on, note)
    return grant


# -- projects: creation, edits, the lifecycle --------------------------------------------------

# the statuses a project may move to from each status (forward only)
PROJECT_MOVES = {
    P.PLANNED: (P.OPEN, P.CLOSED),
    P.OPEN: (P.COMPLETED, P.CLOSED),
    P.COMPLETED: (P.CLOSED,),
    P.CLOSED: (),
}
PENDING = (S.APPLIED, S.REVIEWED, S.APPROVED)  # not decided, or approved and not paid yet


@dataclass
class ProjectDraft:
    """What a project page's form gives: everything but the status and its history."""

    city: object
    name: str
    kind: str
    budget_fen: int
    source_year: int
    village: str = ""
    description: str = ""


def _check_draft(draft: ProjectDraft) -> None:
    if not (draft.name or "").strip():
        raise Refused(_("Give the project's name."))
    if draft.budget_fen <= 0:
        raise Refused(_("The budget must be more than zero."))
    if not 2000 <= int(draft.source_year) <= 2100:
        raise Refused(_("The source year is a year between 2000 and 2100."))


@transaction.atomic
def create_project(
    user, draft: ProjectDraft, *, status: str = P.PLANNED, on: dt.date, note: str = ""
):
    """A new project of a city, planned or already in progress; its first ProjectStep says
    who created it and when."""
    from fucai.welfare.models import Project, ProjectStep

    _check_officer(user, draft.city.pk)
    _check_draft(draft)
    if status not in (P.PLANNED, P.OPEN):
        raise Refused(_("A new project is planned or in progress."))
    project = Project.objects.create(status=status, **vars(draft))
    ProjectStep.objects.create(project=project, to_status=status, on=on, by=user, note=note)
    return project


def budget_shortfall(project, budget_fen: int) -> int:
    """By how many fen the project's committed and paid grants would exceed `budget_fen` (0:
    they fit): the approval's rule (`over_budget`) with nothing more to approve."""
    totals = project_totals(project)
    return over_budget(budget_fen, totals["paid"], totals["committed"], 0)


@transaction.atomic
def edit_project(user, project, draft: ProjectDraft, *, override_reason: str = ""):
    """Change a project's facts. The city only while it has no grant; the budget of a closed
    project not at all; a budget lowered below committed + paid only with an override reason."""
    from fucai.welfare.models import Project, ProjectBudgetOverride

    _check_officer(user, project.city_id)
    _check_officer(user, draft.city.pk)
    _check_draft(draft)
    given, project = project, Project.objects.select_for_update().get(pk=project.pk)
    if draft.city.pk != project.city_id and project.grants.exists():
        raise Refused(_("The city of a project with grants cannot change."))
    before = project.budget_fen
    if draft.budget_fen != before and project.status == P.CLOSED:
        raise Refused(_("The budget of a closed project cannot change."))
    over = budget_shortfall(project, draft.budget_fen) if draft.budget_fen < before else 0
    if over:
        if not (override_reason or "").strip():
            totals = project_totals(project)
            raise Refused(
                _(
                    "Its grants have committed and paid %(used)s yuan: a budget of %(budget)s "
                    "yuan is %(over)s yuan short; give a reason to override the budget."
                )
                % {
                    "used": f"{yuan(totals['committed'] + totals['paid']):,.2f}",
                    "budget": f"{yuan(draft.budget_fen):,.2f}",
                    "over": f"{yuan(over):,.2f}",
                }
            )
        ProjectBudgetOverride.objects.create(
            project=project,
            budget_before_fen=before,
            budget_after_fen=draft.budget_fen,
            over_fen=over,
            reason=override_reason,
            by=user,
        )
    for name, value in vars(draft).items():
        setattr(project, name, value)
        setattr(given, name, value)
    project.save()
    return project


def move_refusal(status: str, to_status: str, pending: int) -> str | None:
    """Why a project in `status` with `pending` grants cannot move to `to_status` (None: it
    can); pure, as step_refusal."""
    if to_status not in PROJECT_MOVES[status]:
        return _("A project that is “%(status)s” cannot become “%(to)s”.") % {
            "status": P(status).label,
            "to": P(to_status).label,
        }
    if to_status == P.CLOSED and pending:
        return _(
            "%(n)s grants of the project are not settled (applied, reviewed, or approved and "
            "not paid): decide or pay them before closing it."
        ) % {"n": pending}
    return None


@transaction.atomic
def move_project(user, project, to_status: str, on: dt.date, note: str = ""):
    """Move a project on in its lifecycle (a ProjectStep row: from, to, who, when, a note)."""
    from fucai.welfare.models import Project, ProjectStep

    _check_officer(user, project.city_id)
    given, project = project, Project.objects.select_for_update().get(pk=project.pk)
    if to_status not in P.values:
        raise Refused(_("Choose the project's new status."))
    pending = project.grants.filter(status__in=PENDING).count()
    refusal = move_refusal(project.status, to_status, pending)
    if refusal:
        raise Refused(refusal)
    last = project.steps.order_by("-on", "-pk").values_list("on", flat=True).first()
    if last and on < last:
        raise Refused(
            _("A move cannot be dated before the project's last one (%(day)s).")
            % {"day": last.isoformat()}
        )
    step = ProjectStep.objects.create(
        project=project, from_status=project.status, to_status=to_status, on=on, by=user, note=note
    )
    project.status = given.status = to_status
    project.save(update_fields=["status"])
    return step


# -- public notices and objections -----------------------------------------------------------


@dataclass(frozen=True)
class NoticeDraft:
    title: str
    starts_on: dt.date
    ends_on: dt.date
    contact: str


NOTICE_DAYS = 7  # the usual 公示期: seven days


@transaction.atomic
def publish_notice(user, city, grants, draft: NoticeDraft):
    """A public notice of approved, not yet noticed grants of one city."""
    from fucai.welfare.models import Notice

    _check_officer(user, city.pk)
    if draft.ends_on < draft.starts_on:  # said first: whatever the grants, the dates are wrong
        raise Refused(_("The notice period ends before it starts."))
    grants = list(grants)
    if not grants:
        raise Refused(_("A notice lists at least one approved grant."))
    for grant in grants:
        if grant.project.city_id != city.pk or grant.status != S.APPROVED or grant.notice_id:
            raise Refused(_("A notice lists approved grants of its city not noticed yet."))
    notice = Notice.objects.create(
        city=city,
        title=draft.title,
        starts_on=draft.starts_on,
        ends_on=draft.ends_on,
        contact=draft.contact,
        created_by=user,
    )
    for grant in grants:
        grant.notice = notice
        grant.save(update_fields=["notice"])
    return notice


@transaction.atomic
def record_objection(user, grant, *, received_on: dt.date, text: str, objector: str = ""):
    from fucai.welfare.models import Objection

    _check_officer(user, grant.project.city_id)
    notice = grant.notice
    if notice is None or not notice.starts_on <= received_on <= notice.ends_on:
        raise Refused(_("Objections are received during the grant's notice period."))
    if not (text or "").strip():
        raise Refused(_("Write what the objection says."))
    return Objection.objects.create(
        grant=grant, objector=objector, received_on=received_on, text=text, recorded_by=user
    )


@transaction.atomic
def resolve_objection(user, objection, *, outcome: str, resolution: str, on: dt.date):
    """Resolve an objection; an upheld one rejects the grant (a step with the resolution)."""
    grant = objection.grant
    _check_officer(user, grant.project.city_id)
    if objection.outcome:
        raise Refused(_("The objection is resolved already."))
    if outcome not in ObjectionOutcome.values or not (resolution or "").strip():
        raise Refused(_("Give the outcome and the resolution."))
    objection.outcome, objection.resolution = outcome, resolution
    objection.resolved_on, objection.resolved_by = on, user
    objection.save()
    if outcome == ObjectionOutcome.UPHELD and grant.status in STEP_FROM[K.REJECTION]:
        _move(grant, K.REJECTION, user, on, resolution)
    return objection


# -- the figures: per project and city -----------------------------------------------------------


def summary(projects, grants, as_of: dt.date) -> dict:
    """Households with a grant paid by the day (distinct), paid and committed yuan, and per
    project its budget and paid yuan: `fucai welfare grants`, the API and the project page."""
    from django.db.models import Count

    totals = totals_of(grants, as_of)
    households = (
        grants.filter(paid_filter(as_of), household__isnull=False)
        .values("household_id")
        .distinct()
        .count()
    )
    rows = (
        projects.select_related("city")
        .annotate(
            paid=Sum("grants__paid_fen", filter=paid_filter(as_of, "grants__")),
            committed=Sum("grants__amount_fen", filter=committed_filter(as_of, "grants__")),
            count=Count("grants", filter=paid_filter(as_of, "grants__")),
        )
        .order_by("city__code", "-source_year", "name")
    )
    return {
        "as_of": as_of.isoformat(),
        "households": households,
        "paid_yuan": yuan(totals["paid"]),
        "committed_yuan": yuan(totals["committed"]),
        "projects": [
            {
                "id": p.pk,
                "name": p.name,
                "city": p.city.name,
                "kind": p.kind,
                "status": p.status,
                "village": p.village,
                "source_year": p.source_year,
                "budget_yuan": yuan(p.budget_fen),
                "committed_yuan": yuan(p.committed),
                "paid_yuan": yuan(p.paid),
                "paid_grants": p.count,
            }
            for p in rows
        ],
    }
