"""The welfare part of the API: /api/welfare/… — the fund raised year to date as of a day in
the caller's sales scope (the shape of `fucai welfare raised --format json`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Router

from fucai.core.api.auth import auth_user

router = Router(tags=["welfare"])


@router.get("/raised", summary="The public-welfare fund raised by sales, year to date")
def get_raised(
    request, as_of: dt.date | None = None, by: Literal["city", "game"] | None = None
) -> dict:
    """Σ sales × the game's fund rate on the sale's day, year to date as of `as_of` (default:
    the last day with sales) and a year earlier, in your scope: totals in yuan (strings with
    two decimals) and fen, `rows` by `by` (city or game), or both lists without it. City rows
    need the whole city."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.core.bounds import clamp_date
    from fucai.sales.cockpit import sales_span
    from fucai.sales.forms import CockpitForm
    from fucai.welfare.fund import fund_raised

    context = AnalyticsContext.current()
    if as_of is None:
        as_of = CockpitForm(span=sales_span(context)).as_of_date
    as_of, _notice = clamp_date(as_of)
    return fund_raised(auth_user(request), as_of, context).to_dict(by)
