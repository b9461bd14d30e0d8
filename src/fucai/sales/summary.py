"""Sales year to date as of a day, as one JSON-ready dict: what `fucai sales summary` prints and
`GET /api/sales/summary` returns (amounts as exact yuan strings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from fucai.analytics.backends import AnalyticsContext
from fucai.analytics.runners import MarketShareRunner, YearToDateRunner
from fucai.analytics.scope import Scope


def sales_summary(
    context: AnalyticsContext,
    scope: Scope,
    as_of: dt.date,
    by: str | Iterable[str] | None = None,
    compare: str = "calendar",
    top: int | None = None,
) -> dict:
    """Year to date in `scope` (groups by `by`, the `top` largest only) and the Ministry of
    Finance's market share. Raises AnalyticsError for an unknown grouping or comparison."""
    data = YearToDateRunner(context, scope).run(as_of, by=by, compare=compare).to_dict()
    if top is not None:
        data["groups"] = data["groups"][: max(top, 0)]
    share = MarketShareRunner(context, scope).run(as_of)
    data["market_share"] = share.to_dict() if share else None
    return data
