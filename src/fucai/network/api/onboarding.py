"""The 四帮 onboarding part of the API: a station's plan and the overdue tasks, in scope."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema

from fucai.core.api.auth import auth_user
from fucai.core.api.scope import get_visible
from fucai.core.bounds import clamp_date
from fucai.network import onboarding
from fucai.network.models import Station

router = Router(tags=["network"])


class OnboardingTaskOut(Schema):
    number: int
    phase: str
    title: str
    assignee: str
    due_on: dt.date | None
    state: str
    overdue: bool
    completed_on: dt.date | None
    notes: str
    skip_reason: str
    foot_traffic: int | None
    nearby_welfare: int | None
    nearby_sports: int | None
    rent_fen: int | None
    recommendation: str
    checklist_results: dict[str, bool]


class OnboardingPlanOut(Schema):
    station: str
    may_open: bool
    refusal: str | None
    tasks: list[OnboardingTaskOut]


class OverdueGroupOut(Schema):
    city: str
    assignee: str
    count: int
    oldest_due: dt.date


class OverdueTaskOut(Schema):
    station: str
    station_name: str
    city: str
    county: str
    phase: str
    task: str
    assignee: str
    due_on: dt.date
    days_overdue: int


class OverdueOut(Schema):
    as_of: dt.date
    count: int
    groups: list[OverdueGroupOut]
    tasks: list[OverdueTaskOut]


@router.get(
    "/stations/{code}/onboarding", response=OnboardingPlanOut, summary="A station's 四帮 plan"
)
def station_plan(request, code: str):
    user = auth_user(request)
    station = get_visible(Station.objects, user, code=code)
    tasks = list(onboarding.tasks_for(user).filter(plan__station=station).order_by("number"))
    overdue = set(
        onboarding.tasks_for(user)
        .filter(plan__station=station)
        .filter(onboarding.overdue_q())
        .values_list("pk", flat=True)
    )
    refusal = onboarding.opening_refusal(station, "open")
    return {
        "station": station.code,
        "may_open": refusal is None,
        "refusal": refusal,
        "tasks": [
            {
                "number": t.number,
                "phase": t.phase,
                "title": t.title,
                "assignee": t.assignee_name,
                "due_on": t.due_on,
                "state": t.state,
                "overdue": t.pk in overdue,
                "completed_on": t.completed_on,
                "notes": t.notes,
                "skip_reason": t.skip_reason,
                "foot_traffic": t.foot_traffic,
                "nearby_welfare": t.nearby_welfare,
                "nearby_sports": t.nearby_sports,
                "rent_fen": t.rent_fen,
                "recommendation": t.recommendation,
                "checklist_results": t.checklist_results,
            }
            for t in tasks
        ],
    }


@router.get("/onboarding/overdue", response=OverdueOut, summary="Overdue 四帮 tasks in your scope")
def overdue_tasks(request, as_of: dt.date | None = None, city: str | None = None):
    """Exactly `fucai network onboarding --overdue`: tasks due before `as_of` (default today,
    clamped to 2000-01-01 … today) and not done, per city and assignee and one by one."""
    day, _notice = clamp_date(as_of or timezone.localdate())
    return onboarding.overdue_report(auth_user(request), day, city)
