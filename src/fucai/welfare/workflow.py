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
- Duplicate applications: the same ID number applied for in the same year in another city is
  found by the blind index (never the number) and told without naming that city's record.

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
from fucai.welfare.choices import GrantStatus, GrantStepKind, ObjectionOutcome, RecipientKind

S, K = GrantStatus, GrantStepKind
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
    if project.status != "open":
        raise Refused(_("The project is not open for applications."))
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
        _mark_duplicates(household, applied_on.year)
    grant.save()
    _step(grant, K.APPLICATION, user, applied_on, note)
    return grant


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
    grants = list(grants)
    if not grants:
        raise Refused(_("A notice lists at least one approved grant."))
    if draft.ends_on < draft.starts_on:
        raise Refused(_("The notice period ends before it starts."))
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
                "name": p.name,
                "city": p.city.name,
                "kind": p.kind,
                "source_year": p.source_year,
                "budget_yuan": yuan(p.budget_fen),
                "committed_yuan": yuan(p.committed),
                "paid_yuan": yuan(p.paid),
                "paid_grants": p.count,
            }
            for p in rows
        ],
    }
