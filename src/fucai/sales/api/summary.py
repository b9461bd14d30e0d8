"""Sales figures as of a day: exactly `fucai sales summary --format json`, in the caller's scope."""

from __future__ import annotations

from ninja import Query, Router

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.scope import Scope
from fucai.core.api.auth import auth_user
from fucai.sales.api.schemas import SalesSummaryOut, SummaryQuery
from fucai.sales.cockpit import sales_span
from fucai.sales.forms import CockpitForm
from fucai.sales.summary import sales_summary

router = Router(tags=["sales"])


@router.get(
    "/summary",
    response=SalesSummaryOut,
    url_name="sales_summary",
    summary="Sales year to date as of a day",
)
def summary(request, query: Query[SummaryQuery]):
    """Year to date, its year-on-year change and record highs, the draw/instant split, optional
    groups (`by`) and the Ministry of Finance's market share: the keys and numbers of
    `fucai sales summary --user <you> --format json`."""
    context = AnalyticsContext.current()
    as_of = query.as_of or CockpitForm(span=sales_span(context)).as_of_date
    scope = Scope.for_user(auth_user(request))
    return sales_summary(context, scope, as_of, query.by, query.compare, query.top)
