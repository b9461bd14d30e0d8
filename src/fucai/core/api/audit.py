"""The audit trail over the API: who changed what, field by field, in the caller's scope."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from fucai.core.api.auth import auth_user
from fucai.core.api.paging import Paged
from fucai.core.api.signatures import resolved
from fucai.core.bounds import OptionalText, clamp_date
from fucai.core.choices import ChangeAction
from fucai.core.models import ObjectChange
from fucai.network.models.station import mask

router = Router(tags=["audit"])

# Personal identifiers are masked in the trail as everywhere else: field name -> (keep start, end).
MASKED_FIELDS = {"phone": (3, 4), "id_number": (4, 4)}


def masked_changes(changes: dict) -> dict:
    """The {field: [before, after]} of a record with phone and ID numbers masked."""
    out = {}
    for field, values in changes.items():
        keep = MASKED_FIELDS.get(field)
        if keep and isinstance(values, list):
            values = [mask(v, *keep) if isinstance(v, str) else v for v in values]
        out[field] = values
    return out


class ChangeOut(Schema):
    id: int
    time: dt.datetime
    user: str = Field(..., description="User name at the time of the change.")
    source: str
    action: str
    action_label: str
    object_type: str = Field(..., description="app_label.model, e.g. network.station")
    object_id: str
    object_repr: str
    city: str | None = Field(None, description="City adcode.")
    station: str | None = Field(None, description="Station code.")
    changes: dict = Field(..., description="{field: [before, after]}")

    @staticmethod
    def resolve_user(obj) -> str:
        return obj.user_name

    @staticmethod
    def resolve_action_label(obj) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_object_type(obj) -> str:
        return f"{obj.object_type.app_label}.{obj.object_type.model}"

    @staticmethod
    def resolve_city(obj) -> str | None:
        return obj.city.code if obj.city_id else None

    @staticmethod
    def resolve_station(obj) -> str | None:
        return obj.station.code if obj.station_id and obj.station else None

    @staticmethod
    def resolve_changes(obj) -> dict:
        return masked_changes(obj.changes)


class ChangeFilterIn(Schema):
    object_type: OptionalText | None = Field(
        None, description="app_label.model, e.g. network.station"
    )
    station: OptionalText | None = Field(
        None, description="Station code: changes of that station and its parts."
    )
    action: ChangeAction | None = None
    since: dt.datetime | None = Field(
        None,
        description="Changes at or after this time (or date); clamped into 2000-01-01 … now.",
    )


@router.get("/changes", response=list[ChangeOut], summary="Change records in your scope")
@paginate(Paged, page_size=50)
@resolved
def list_changes(request, filters: Query[ChangeFilterIn]):
    changes = ObjectChange.objects.restrict(auth_user(request)).select_related(
        "object_type", "city", "station"
    )
    if filters.object_type:
        app_label, _dot, model = filters.object_type.lower().partition(".")
        if not model:
            raise HttpError(422, _("object_type is app_label.model, e.g. network.station."))
        changes = changes.filter(object_type__app_label=app_label, object_type__model=model)
    if filters.station:
        changes = changes.filter(station__code=filters.station)
    if filters.action:
        changes = changes.filter(action=filters.action.value)
    if filters.since:
        changes = changes.filter(time__gte=_since(filters.since))
    return changes


def _since(since: dt.datetime) -> dt.datetime:
    """The time as an aware datetime, its day clamped into the bounds (fucai.core.bounds): before
    2000 means from 2000-01-01, in the future means from now (nothing)."""
    day, _notice = clamp_date(since.date())
    if day < since.date():
        return timezone.now()
    if day > since.date():
        since = dt.datetime.combine(day, dt.time(0))
    if timezone.is_naive(since):
        return timezone.make_aware(since)
    return since
