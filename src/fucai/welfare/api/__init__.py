"""The welfare part of the API: /api/welfare/… — projects with budget, committed and paid; the
grants summary (the shape of `fucai welfare grants --format json`); grants (households masked)
and one grant with its steps. Without welfare affairs: 403; a grant outside your welfare cities:
404. Steps are recorded through fucai.welfare.workflow (POST …/steps), refused steps 400 with
the sentence."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError

from fucai.core.api.auth import auth_user
from fucai.core.bounds import clamp_date
from fucai.core.grant import WELFARE_AFFAIRS, grant_for

router = Router(tags=["welfare"])


def _user(request):
    user = auth_user(request)
    if not grant_for(user).can(WELFARE_AFFAIRS):
        raise HttpError(403, "Your role does not keep welfare grants.")
    return user


def _grant_dict(grant) -> dict:
    from fucai.welfare.views import recipient
    from fucai.welfare.workflow import yuan

    return {
        "id": grant.pk,
        "project": grant.project.name,
        "city": grant.project.city.code,
        "recipient_kind": grant.recipient_kind,
        "recipient": recipient(grant),  # a household masked (张**)
        "village": grant.village,
        "year": grant.year,
        "amount_yuan": str(yuan(grant.amount_fen)),
        "status": grant.status,
        "applied_on": grant.applied_on.isoformat(),
        "approved_on": grant.approved_on.isoformat() if grant.approved_on else None,
        "paid_on": grant.paid_on.isoformat() if grant.paid_on else None,
        "paid_yuan": str(yuan(grant.paid_fen)) if grant.paid_fen is not None else None,
        "duplicate_elsewhere": grant.duplicate_elsewhere,
        "notice": grant.notice_id,
    }


@router.get("/grants/summary", summary="Households helped, paid and committed, per project")
def get_grants_summary(request, as_of: dt.date | None = None, city: str | None = None) -> dict:
    """As of `as_of` (default today): households with a grant paid by the day, paid and
    committed yuan, and per project budget, committed and paid (`city`: an adcode)."""
    from django.utils import timezone

    from fucai.welfare.models import Grant, Project
    from fucai.welfare.workflow import summary

    user = _user(request)
    as_of, _notice = clamp_date(as_of or timezone.localdate())
    projects, grants = Project.objects.restrict(user), Grant.objects.restrict(user)
    if city:
        from fucai.geo.models import Division

        place = Division.objects.cities().filter(code=city).first()
        if place is None or not grant_for(user).capability(WELFARE_AFFAIRS).includes_place(
            place.pk
        ):
            raise Http404  # another city's welfare: the same as no such city
        projects, grants = projects.filter(city=place), grants.filter(project__city=place)
    data = summary(projects, grants, as_of)
    for key in ("paid_yuan", "committed_yuan"):
        data[key] = str(data[key])
    for row in data["projects"]:
        for key in ("budget_yuan", "committed_yuan", "paid_yuan"):
            row[key] = str(row[key])
    return data


@router.get("/grants", summary="Grants (households masked)")
def list_grants(
    request, status: str | None = None, year: int | None = None, project: int | None = None
) -> list[dict]:
    """The grants you see, newest first (at most 1,000); `status`, `year`, `project` filter."""
    from fucai.welfare.models import Grant

    grants = Grant.objects.restrict(_user(request)).select_related("project__city", "household")
    if status:
        grants = grants.filter(status=status)
    if year:
        grants = grants.filter(year=year)
    if project:
        grants = grants.filter(project_id=project)
    return [_grant_dict(g) for g in grants[:1000]]


@router.get("/grants/{grant_id}", summary="One grant with its steps")
def get_grant(request, grant_id: int) -> dict:
    from fucai.welfare.models import Grant

    grant = (
        Grant.objects.restrict(_user(request))
        .select_related("project__city", "household")
        .filter(pk=grant_id)
        .first()
    )
    if grant is None:
        raise Http404
    steps = grant.steps.select_related("by").order_by("on", "pk")
    return _grant_dict(grant) | {
        "steps": [
            {"kind": s.kind, "on": s.on.isoformat(), "by": s.by.username, "note": s.note}
            for s in steps
        ]
    }


class StepIn(Schema):
    step: str  # review, approval, payment, rejection
    on: dt.date
    note: str = ""
    override_reason: str = ""


@router.post("/grants/{grant_id}/steps", summary="Record a grant's next step")
def post_grant_step(request, grant_id: int, payload: StepIn) -> dict:
    """Review, approve, pay or reject the grant (the rules of fucai.welfare.workflow: no step
    skipped, three different people, the budget, the notice period)."""
    from fucai.core.bounds import date_problem
    from fucai.welfare.models import Grant
    from fucai.welfare.views import STEPS
    from fucai.welfare.workflow import Refused

    user = _user(request)
    grant = Grant.objects.restrict(user).select_related("project__city").filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    if payload.step not in STEPS:
        raise HttpError(422, "step is one of review, approval, payment, rejection")
    problem = date_problem(payload.on)
    if problem:
        raise HttpError(422, problem)
    try:
        STEPS[payload.step](user, grant, payload.dict())
    except Refused as refusal:
        raise HttpError(400, str(refusal)) from None
    return get_grant(request, grant_id)
