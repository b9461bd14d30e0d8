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
from fucai.core.audit import shown_changes
from fucai.core.bounds import OptionalText, clamp_date
from fucai.core.choices import ChangeAction
from fucai.core.models import ObjectChange

router = Router(tags=["audit"])


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
    def resolve_changes(obj, context) -> dict:
        user = auth_user(context["request"])
        return shown_changes(obj.object_type.model_class(), obj.changes, user)


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
