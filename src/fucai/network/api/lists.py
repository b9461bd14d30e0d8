"""Market managers, territories, partner organisations and the network figures, in scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from fucai.core.api.auth import auth_user
from fucai.core.api.paging import Paged
from fucai.core.bounds import clamp_date
from fucai.network.api.schemas import ManagerOut, PartnerOut, SummaryOut, TerritoryOut
from fucai.network.models import MarketManager, PartnerOrganisation, Station, Territory
from fucai.network.summary import GroupBy, network_summary

router = Router(tags=["network"])


def _assigned_today(prefix: str) -> Q:
    """Assignments (reached through `prefix`) in force today."""
    today = timezone.localdate()
    return Q(**{f"{prefix}__valid_from__lte": today}) & (
        Q(**{f"{prefix}__valid_to__isnull": True}) | Q(**{f"{prefix}__valid_to__gt": today})
    )


@router.get("/summary", response=SummaryOut, summary="Network figures as of a date")
def summary(request, as_of: dt.date | None = None, by: GroupBy | None = None):
    """Exactly `fucai network summary` (fucai.network.summary), over the stations of your scope.
    A day before 2000-01-01 or after today is clamped to that bound; `as_of` says the day used."""
    stations = Station.objects.restrict(auth_user(request))
    day, _notice = clamp_date(as_of or timezone.localdate())
    return network_summary(stations, day, by=by).to_dict()


@router.get("/managers", response=list[ManagerOut], summary="Market managers in your scope")
@paginate(Paged, page_size=100)
def list_managers(request):
    user = auth_user(request)
    territories = Territory.objects.restrict(user).order_by("code")
    return (
        MarketManager.objects.restrict(user)
        .select_related("city")
        .prefetch_related(Prefetch("territories", queryset=territories))
        .annotate(
            station_count=Count("assignments", filter=_assigned_today("assignments"), distinct=True)
        )
        .order_by("employee_code")
    )


@router.get("/territories", response=list[TerritoryOut], summary="Territories in your scope")
@paginate(Paged, page_size=100)
def list_territories(request):
    return (
        Territory.objects.restrict(auth_user(request))
        .select_related("city", "manager")
        .annotate(
            station_count=Count("assignments", filter=_assigned_today("assignments"), distinct=True)
        )
        .order_by("code")
    )


@router.get("/partners", response=list[PartnerOut], summary="Partner organisations in your scope")
@paginate(Paged, page_size=100)
def list_partners(request):
    return (
        PartnerOrganisation.objects.restrict(auth_user(request))
        .select_related("city")
        .annotate(station_count=Count("stations", distinct=True))
        .order_by("name")
    )
