"""Stations: list, detail, create, change, lifecycle transitions and history."""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fucai.core.api.auth import auth_user
from fucai.core.api.paging import Paged
from fucai.core.api.scope import get_changeable, get_visible, require_changeable
from fucai.core.api.signatures import resolved
from fucai.core.scope import CHANGE
from fucai.geo.models import Division
from fucai.network.api.schemas import (
    StationCreateIn,
    StationDetailOut,
    StationFilterIn,
    StationHistoryOut,
    StationOut,
    StationPatchIn,
    TransitionIn,
    TransitionOut,
)
from fucai.network.models import (
    PartnerOrganisation,
    Station,
    StationAssignment,
    StationOwner,
    StationStatusChange,
)
from fucai.network.onboarding import check_may_open

router = Router(tags=["stations"])

STATION_RELATED = ("city", "county", "owner", "partner")
# How far (in degrees, ~200 m) a station may lie outside its county's drawn boundary.
BOUNDARY_TOLERANCE = 0.002


def _stations() -> QuerySet[Station]:
    return Station.objects.select_related(*STATION_RELATED)


def filter_stations(stations: QuerySet[Station], filters: StationFilterIn) -> QuerySet[Station]:
    if filters.city:
        stations = stations.filter(city__code=filters.city)
    if filters.county:
        stations = stations.filter(county__code=filters.county)
    for field in ("scene", "operation", "status"):
        value = getattr(filters, field)
        if value is not None:
            stations = stations.filter(**{field: value.value})
    if filters.q:
        q = filters.q.strip()
        stations = stations.filter(
            Q(code__contains=q) | Q(name__icontains=q) | Q(address__icontains=q)
        )
    if filters.party_member is not None:
        from fucai.party.vanguard import vanguard_q

        vanguard = vanguard_q(prefix="owner")
        stations = stations.filter(vanguard) if filters.party_member else stations.exclude(vanguard)
    return stations


def station_detail(station: Station, user) -> Station:
    """The station with today's manager and territory attached, as the detail schema shows them."""
    assignment = (
        StationAssignment.objects.restrict(user)
        .active_on(timezone.localdate())
        .filter(station=station)
        .select_related("manager", "territory")
        .first()
    )
    station.manager = assignment.manager if assignment else None
    station.territory = assignment.territory if assignment else None
    return station


@router.get("/stations", response=list[StationOut], summary="List stations in your scope")
@paginate(Paged, page_size=50)
@resolved
def list_stations(request, filters: Query[StationFilterIn]):
    stations = Station.objects.restrict(auth_user(request)).select_related(*STATION_RELATED)
    return filter_stations(stations, filters)


@router.get("/stations/{code}", response=StationDetailOut, summary="One station")
def get_station(request, code: str):
    user = auth_user(request)
    return station_detail(get_visible(_stations(), user, code=code), user)


@router.post("/stations", response={201: StationDetailOut}, summary="Register a station")
def create_station(request, payload: StationCreateIn):
    user = auth_user(request)
    if not user.can_edit_master_data:
        raise HttpError(403, _("Your role may not register stations."))
    station = Station(code=payload.code)
    apply_fields(station, payload.dict(exclude={"code", "status", "status_date"}), user)
    station.full_clean(validate_unique=False)
    _refuse_existing_code(payload.code, user)
    try:
        with transaction.atomic():
            station.save()
            if not Station.objects.restrict(user, CHANGE).filter(pk=station.pk).exists():
                raise HttpError(403, not_your_code_message())
            station.transition(
                payload.status.value, payload.status_date or timezone.localdate(), user=user
            )
    except IntegrityError:
        raise ValidationError({"code": [_("A station with this code already exists.")]}) from None
    return Status(201, station_detail(get_visible(_stations(), user, pk=station.pk), user))


@router.patch("/stations/{code}", response=StationDetailOut, summary="Change a station")
def update_station(request, code: str, payload: StationPatchIn):
    user = auth_user(request)
    station = get_changeable(_stations(), user, code=code)
    apply_fields(station, payload.dict(exclude_unset=True), user)
    station.full_clean()
    with transaction.atomic():
        station.save()
        require_changeable(station, user)
    return station_detail(get_visible(_stations(), user, pk=station.pk), user)


@router.post(
    "/stations/{code}/transitions",
    response={201: TransitionOut},
    summary="Move a station to a new status",
)
def transition_station(request, code: str, payload: TransitionIn):
    user = auth_user(request)
    station = get_changeable(Station.objects, user, code=code)
    with transaction.atomic():
        check_may_open(station, payload.status.value, user, payload.override_reason)
        change = station.transition(
            payload.status.value, payload.date, user=user, note=payload.note
        )
    station.refresh_from_db()
    body = {"code": station.code, "status": station.status, "opened_on": station.opened_on}
    return Status(201, {**body, "change": change})


@router.get(
    "/stations/{code}/history",
    response=StationHistoryOut,
    summary="A station's lifecycle and managers",
)
def station_history(request, code: str):
    user = auth_user(request)
    station = get_visible(Station.objects, user, code=code)
    changes = (
        StationStatusChange.objects.restrict(user)
        .filter(station=station)
        .select_related("recorded_by")
        .order_by("date", "pk")
    )
    assignments = (
        StationAssignment.objects.restrict(user)
        .filter(station=station)
        .select_related("manager", "territory")
        .order_by("valid_from", "pk")
    )
    return {"code": station.code, "status_changes": list(changes), "assignments": list(assignments)}


def apply_fields(station: Station, data: dict, user) -> None:
    """Set the given fields on the station; county, owner and partner are looked up in scope."""
    data = {key: value.value if isinstance(value, Enum) else value for key, value in data.items()}
    if "county" in data:
        station.county = _county(data.pop("county"))
        station.city_id = station.county.parent_id
    if "owner" in data:
        station.owner = _in_scope(StationOwner.objects, user, data.pop("owner"), "owner")
    if "partner" in data:
        station.partner = _in_scope(
            PartnerOrganisation.objects, user, data.pop("partner"), "partner"
        )
    for field, value in data.items():
        setattr(station, field, value)
    _check_location(station)


def _county(code: str | None) -> Division:
    county = Division.objects.counties().select_related("parent").filter(code=code or "").first()
    if county is None:
        raise ValidationError(
            {"county": [_("No county has the adcode %(code)s.") % {"code": code}]}
        )
    return county


def _in_scope(queryset: QuerySet, user, pk: int | None, field: str):
    if pk is None:
        return None
    obj = queryset.restrict(user).filter(pk=pk).first()
    if obj is None:
        what = queryset.model._meta.verbose_name
        message = _("No %(field)s with id %(pk)s in your scope.") % {"field": what, "pk": pk}
        raise ValidationError({field: [message]})
    return obj


def _check_location(station: Station) -> None:
    """A station must lie inside its county (as drawn on the map, with a small tolerance)."""
    from shapely.geometry import Point

    from fucai.geo.loader import boundary_shapes

    if station.county_id is None or station.lon is None or station.lat is None:
        return
    shape = boundary_shapes("county").get(station.county.code)
    if shape is None:
        return
    if shape.distance(Point(float(station.lon), float(station.lat))) > BOUNDARY_TOLERANCE:
        raise ValidationError(
            {
                "lon": [
                    _("The location %(lon)s, %(lat)s lies outside %(county)s.")
                    % {"lon": station.lon, "lat": station.lat, "county": station.county.name}
                ]
            }
        )


def not_your_code_message() -> str:
    return _("The station code does not belong to your city.")


def _refuse_existing_code(code: str, user) -> None:
    """A taken code: 422 if the user can see that station, else the 403 a new code outside their
    change scope gets too (create_station), word for word.

    Deliberately unscoped: codes are unique province-wide. The answer must not reveal whether a
    station exists outside the caller's scope: a code of another city (its numbering is the
    city's, fucai.geo) is refused alike whether or not it is taken."""
    existing = Station.objects.filter(code=code)
    if not existing.exists():
        return
    if not existing.restrict(user).exists():
        raise HttpError(403, not_your_code_message())
    raise ValidationError({"code": [_("A station with this code already exists.")]})
