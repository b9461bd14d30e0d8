"""Field visits: list in scope, record one (exactly once per idempotency key), the indicators.

Exactly the phone page's rules (fucai.network.visits): recording needs `record_visits` at the
station (another's station is a 404, a role without it 403); the same key again returns the
visit already stored, 200, never a second one."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fucai.accounts.grants import RECORD_VISITS
from fucai.core.api.auth import auth_user
from fucai.core.api.paging import Paged
from fucai.core.api.signatures import resolved
from fucai.core.bounds import BoundedDate, OptionalText, clamp_date
from fucai.core.grant import grant_for
from fucai.network.choices import VisitPurpose
from fucai.network.models import FieldVisit
from fucai.network.visits import (
    DEFAULT_N_DAYS,
    record_visit,
    recordable_stations,
    visit_indicators,
)

router = Router(tags=["visits"])


class VisitOut(Schema):
    id: int
    station: str
    station_name: str
    visited_on: dt.date
    visitor: str
    employee_code: str | None
    purpose: str
    findings: str
    advice: str
    next_step: str
    follow_up_on: dt.date | None
    lon: float | None
    lat: float | None
    accuracy_m: int | None
    distance_m: int | None
    is_far: bool
    idempotency_key: uuid.UUID

    @staticmethod
    def resolve_station(obj) -> str:
        return obj.station.code

    @staticmethod
    def resolve_station_name(obj) -> str:
        return obj.station.name

    @staticmethod
    def resolve_visitor(obj) -> str:
        return obj.visitor_name

    @staticmethod
    def resolve_employee_code(obj) -> str | None:
        return obj.manager.employee_code if obj.manager_id else None


class VisitIn(Schema):
    idempotency_key: uuid.UUID = Field(
        description="made up by the phone; the same key again returns the visit already stored"
    )
    station: str = Field(max_length=8)
    visited_on: BoundedDate
    purpose: VisitPurpose = VisitPurpose.ROUTINE
    findings: OptionalText = ""
    advice: OptionalText = ""
    next_step: OptionalText = ""
    follow_up_on: dt.date | None = None
    lon: float | None = Field(None, ge=-180, le=180, description="the phone's, WGS-84")
    lat: float | None = Field(None, ge=-90, le=90)
    accuracy_m: int | None = Field(None, ge=0, le=1_000_000)


class VisitFilterIn(Schema):
    station: str | None = None
    manager: str | None = Field(None, description="a market manager's employee code")
    territory: str | None = Field(None, description="a territory's code")
    since: dt.date | None = None
    until: dt.date | None = None
    far: bool | None = None


class PersonMonthOut(Schema):
    person: str
    employee_code: str
    city: str
    month: str
    visits: int
    stations_visited: int
    far_visits: int
    stations_in_care: int | None
    not_visited: int | None
    not_visited_codes: list[str]


class IndicatorsOut(Schema):
    as_of: dt.date
    month: str
    month_start: dt.date
    n_days: int
    people: list[PersonMonthOut]


def _visits(user):
    return FieldVisit.objects.restrict(user).select_related("station", "manager")


@router.get("/visits", response=list[VisitOut], summary="Field visits in your scope")
@paginate(Paged, page_size=100)
@resolved
def list_visits(request, filters: Query[VisitFilterIn]):
    visits = _visits(auth_user(request))
    if filters.station:
        visits = visits.filter(station__code=filters.station)
    if filters.manager:
        visits = visits.filter(manager__employee_code=filters.manager)
    if filters.territory:
        visits = visits.filter(station__assignments__territory__code=filters.territory).distinct()
    if filters.since:
        visits = visits.filter(visited_on__gte=filters.since)
    if filters.until:
        visits = visits.filter(visited_on__lte=filters.until)
    if filters.far is not None:
        visits = visits.filter(is_far=filters.far)
    return visits


@router.post(
    "/visits", response={200: VisitOut, 201: VisitOut}, summary="Record a field visit (once)"
)
def create_visit(request, payload: VisitIn):
    user = auth_user(request)
    if not grant_for(user).can(RECORD_VISITS):
        raise HttpError(403, _("Your role does not record field visits."))
    station = recordable_stations(user).filter(code=payload.station).first()
    if station is None:
        raise Http404
    if payload.follow_up_on and payload.follow_up_on < payload.visited_on:
        raise HttpError(422, _("The follow-up cannot be before the visit."))
    if (payload.lon is None) != (payload.lat is None):
        raise HttpError(422, _("A position needs both longitude and latitude."))
    data = payload.dict(exclude={"idempotency_key", "station"})
    data["purpose"] = payload.purpose.value
    recorded = record_visit(user, station, data, payload.idempotency_key)
    if recorded.visit.station_id != station.pk:
        raise HttpError(409, _("Key already used."))
    visit = _visits(user).filter(pk=recorded.visit.pk).first() or recorded.visit
    return Status(201 if recorded.created else 200, visit)


@router.get("/visits/indicators", response=IndicatorsOut, summary="Visit indicators per person")
def indicators(request, as_of: dt.date | None = None, n_days: int = DEFAULT_N_DAYS):
    """Per person, the month of `as_of` up to it: visits, stations visited, far visits
    (farther than the far distance), stations in their care not visited in `n_days` days —
    exactly `fucai network visits --by person`."""
    if not 1 <= n_days <= 366:
        raise HttpError(422, _("n_days must be between 1 and 366."))
    day, _notice = clamp_date(as_of or timezone.localdate())
    return visit_indicators(auth_user(request), day, n_days).to_dict()
