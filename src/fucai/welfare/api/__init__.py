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


@router.get("/activities", summary="福彩公益行 activities and publicity placements of a year")
def get_activities(request, year: int) -> dict:
    """The activities of `year` you see (their city's, or county's): date, kind, title, place
    (city and county adcodes, address, lon/lat or null), people reached, the number of photos;
    with the count and the people reached in total."""
    from ninja.errors import HttpError

    from fucai.welfare.activities import activity_summary
    from fucai.welfare.views_activity import activities_of

    if not 2000 <= year <= 2100:
        raise HttpError(422, "year must be between 2000 and 2100")
    return activity_summary(activities_of(auth_user(request), year), year)


@router.get("/posts", summary="福彩公益驿站 and their services")
def get_posts(request) -> list[dict]:
    """The stations you see that are welfare posts: code, name, city and county adcodes, status,
    the services offered (codes of the choice list) and the opening note."""
    from fucai.welfare.activities import post_rows
    from fucai.welfare.views_activity import posts_of

    return post_rows(posts_of(auth_user(request)))
