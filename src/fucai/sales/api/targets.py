"""Sales targets' completion as of a day: exactly `fucai sales targets completion --format json`,
in the caller's scope (fucai.sales.targets: one definition of 序时进度)."""

from __future__ import annotations

from ninja import Query, Router

from fucai.analytics.backends import AnalyticsContext
from fucai.core.api.auth import auth_user
from fucai.sales.api.schemas import CompletionOut, TargetsQuery
from fucai.sales.cockpit import sales_span
from fucai.sales.forms import CockpitForm

router = Router(tags=["sales"])


@router.get(
    "/targets/completion",
    response=CompletionOut,
    url_name="sales_targets_completion",
    summary="Completion rate and 序时进度 of the sales targets",
)
def targets_completion(request, query: Query[TargetsQuery]):
    """Each target you see at the level (完成率, 序时进度 by monthly targets when set, else by
    calendar days, the target to date and its completion) and their total. No targets for the
    year: `rows` empty and `total` null ("no target", not 0 %)."""
    from fucai.sales.cli_targets import completion_data

    data = {} if query.as_of is None else {"as_of": query.as_of.isoformat()}
    as_of = CockpitForm(data, span=sales_span(AnalyticsContext.current())).as_of_date
    return completion_data(as_of, query.level, auth_user(request))
