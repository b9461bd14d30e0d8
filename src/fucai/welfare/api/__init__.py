"""The welfare part of the API: /api/welfare/… — the fund raised year to date as of a day in
the caller's sales scope (the shape of `fucai welfare raised --format json`), activities and
welfare posts in the caller's view; projects with budget, committed and paid; the
grants summary (the shape of `fucai welfare grants --format json`); grants (households masked)
and one grant with its steps and objections. Without welfare affairs: 403; a grant outside
your welfare cities: 404. Steps are recorded through fucai.welfare.workflow (POST …/steps),
refused steps 400 with the sentence; objections to a noticed grant are recorded
(POST …/objections) and resolved (POST /objections/{id}/resolve) through the same workflow
functions as the grant's page."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from fucai.core.api.auth import auth_user
from fucai.core.bounds import clamp_date
from fucai.core.grant import WELFARE_AFFAIRS, grant_for

router = Router(tags=["welfare"])


@router.get("/raised", summary="The public-welfare fund raised by sales, year to date")
def get_raised(
    request, as_of: dt.date | None = None, by: Literal["city", "game"] | None = None
) -> dict:
    """Σ sales × the game's fund rate on the sale's day, year to date as of `as_of` (default:
    the last day with sales; a day outside the sales moves to the nearest sales day, and
    `notice` says so) and a year earlier, in your scope: totals in yuan (strings with
    two decimals) and fen, `rows` by `by` (city or game), or both lists without it. City rows
    need the whole city."""
    from fucai.welfare.fund import raised_as_asked

    data = {"as_of": as_of.isoformat()} if as_of else None
    _form, result = raised_as_asked(auth_user(request), data)
    return result.to_dict(by)


@router.get("/activities", summary="福彩公益行 activities and publicity placements of a year")
def get_activities(request, year: int) -> dict:
    """The activities of `year` you see (their city's, or county's): date, kind, title, place
    (city and county adcodes, address, lon/lat or null), people reached, the number of photos;
    with the count and the people reached in total."""
    from ninja.errors import HttpError

    from fucai.welfare.activities import activity_summary
    from fucai.welfare.views_activity import activities_of

    if not 2000 <= year <= 2100:
        raise HttpError(422, _("The year is between 2000 and 2100."))
    return activity_summary(activities_of(auth_user(request), year), year)


@router.get("/posts", summary="福彩公益驿站 and their services")
def get_posts(request, as_of: dt.date | None = None) -> list[dict]:
    """The stations you see that are welfare posts: code, name, city and county adcodes, status,
    the services offered (codes of the choice list) and the opening note; with `as_of`, only
    those open on that day (as the posts' page)."""
    from fucai.welfare.activities import post_rows
    from fucai.welfare.views_activity import posts_of

    day = clamp_date(as_of)[0] if as_of else None
    return post_rows(posts_of(auth_user(request), open_on=day))


def _user(request):
    user = auth_user(request)
    if not grant_for(user).can(WELFARE_AFFAIRS):
        raise HttpError(403, _("Your role does not keep welfare grants."))
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
        "duplicate_in_city": grant.duplicate_in_city,
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
        ],
        "objections": [_objection_dict(o) for o in grant.objections.select_related("resolved_by")],
    }


def _objection_dict(objection) -> dict:
    from fucai.core.personal import NAME, mask

    return {
        "id": objection.pk,
        "grant": objection.grant_id,
        "objector": mask(objection.objector, NAME),  # personal data: masked
        "received_on": objection.received_on.isoformat(),
        "text": objection.text,
        "outcome": objection.outcome,
        "resolution": objection.resolution,
        "resolved_on": objection.resolved_on.isoformat() if objection.resolved_on else None,
        "resolved_by": objection.resolved_by.username if objection.resolved_by_id else None,
    }


def _one(model, user, pk: int):
    """The row of `model` in the user's welfare reach, or the same 404 as a missing one."""
    found = model.objects.restrict(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _checked_day(day: dt.date) -> None:
    from fucai.core.bounds import date_problem

    problem = date_problem(day)
    if problem:
        raise HttpError(422, problem)


class ObjectionIn(Schema):
    received_on: dt.date
    text: str
    objector: str = ""  # personal data: stored encrypted, answered masked


@router.post("/grants/{grant_id}/objections", summary="Record an objection to a noticed grant")
def post_grant_objection(request, grant_id: int, payload: ObjectionIn) -> dict:
    """An objection received during the grant's notice period (fucai.welfare.workflow's rule,
    as on the grant's page); outside it, or without text: 400 with the sentence. While it is
    unresolved the grant is not paid."""
    from fucai.welfare.models import Grant
    from fucai.welfare.workflow import Refused, record_objection

    user = _user(request)
    grant = _one(Grant, user, grant_id)
    _checked_day(payload.received_on)
    try:
        objection = record_objection(user, grant, **payload.dict())
    except Refused as refusal:
        raise HttpError(400, str(refusal)) from None
    return _objection_dict(objection)


class ResolutionIn(Schema):
    outcome: str  # dismissed (the grant stands) or upheld (the grant is rejected)
    resolution: str
    on: dt.date


@router.post("/objections/{objection_id}/resolve", summary="Resolve an objection")
def post_objection_resolve(request, objection_id: int, payload: ResolutionIn) -> dict:
    """Dismiss or uphold an open objection; upheld, the grant is rejected (a rejection step
    with the resolution). Resolved already, or an unknown outcome: 400 with the sentence."""
    from fucai.welfare.models import Objection
    from fucai.welfare.workflow import Refused, resolve_objection

    user = _user(request)
    objection = _one(Objection, user, objection_id)
    _checked_day(payload.on)
    try:
        resolve_objection(user, objection, **payload.dict())
    except Refused as refusal:
        raise HttpError(400, str(refusal)) from None
    return _objection_dict(objection)


class StepIn(Schema):
    step: str  # review, approval, payment, rejection
    on: dt.date
    note: str = ""
    override_reason: str = ""


@router.post("/grants/{grant_id}/steps", summary="Record a grant's next step")
def post_grant_step(request, grant_id: int, payload: StepIn) -> dict:
    """Review, approve, pay or reject the grant (the rules of fucai.welfare.workflow: no step
    skipped, three different people, the budget, the notice period)."""
    from fucai.welfare.models import Grant
    from fucai.welfare.views import STEPS
    from fucai.welfare.workflow import Refused

    user = _user(request)
    grant = _one(Grant, user, grant_id)
    if payload.step not in STEPS:
        raise HttpError(422, _("The step is one of review, approval, payment, rejection."))
    _checked_day(payload.on)
    try:
        STEPS[payload.step](user, grant, payload.dict())
    except Refused as refusal:
        raise HttpError(400, str(refusal)) from None
    return get_grant(request, grant_id)
