"""The cockpit's chart data: monthly series, game mix and map, for the caller's scope. The same
`fucai.sales.cockpit.Cockpit` computes them as the page's tables, so chart and table agree."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import Query, Router
from ninja.errors import HttpError

from fucai.analytics.backends import AnalyticsContext
from fucai.core.api.auth import auth_user
from fucai.sales.api.schemas import CockpitQuery, GamesOut, MapOut, MapQuery, MonthlyOut
from fucai.sales.cockpit import Cockpit, PlaceNotInScope, sales_span
from fucai.sales.forms import CockpitForm

router = Router(tags=["sales"])


def board(request, query: CockpitQuery) -> Cockpit:
    """The caller's cockpit on the query's day, moved into the sales data as the page does."""
    context = AnalyticsContext.current()
    data = {"compare": query.compare}
    if query.as_of is not None:
        data["as_of"] = query.as_of.isoformat()
    form = CockpitForm(data, span=sales_span(context))
    try:
        return Cockpit(
            auth_user(request),
            form.as_of_date,
            form.compare_rule,
            context=context,
            city=query.city,
            county=query.county,
        )
    except PlaceNotInScope as exc:  # as the map's city: refused, whether absent or unseen
        raise HttpError(403, str(exc)) from None


@router.get(
    "/cockpit/monthly",
    response=MonthlyOut,
    url_name="sales_cockpit_monthly",
    summary="Sales by month, this year against last",
)
def monthly(request, query: Query[CockpitQuery]):
    """This year's months (to the as-of day) against last year's, as the cockpit's bar chart."""
    return board(request, query).monthly_json()


@router.get(
    "/cockpit/games",
    response=GamesOut,
    url_name="sales_cockpit_games",
    summary="Year to date by game",
)
def games(request, query: Query[CockpitQuery]):
    """Year to date by game against last year's same window, with shares (the rings)."""
    return board(request, query).games_json()


@router.get(
    "/cockpit/map",
    response=MapOut,
    url_name="sales_cockpit_map",
    summary="Year-on-year growth by city or county",
)
def sales_map(request, query: Query[MapQuery]):
    """Regions (cities, or a city's counties with `city`) with their YoY; at county level the
    stations that sold, with their year-to-date amount (with `county`, that county's only). A
    city or county outside your scope: 403."""
    try:
        return board(request, query).map_json(query.city or None)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
