"""How a record high is named (the cockpit's badge, the station page, `fucai sales summary`):
创历史新高 when the compared history is at least settings.RECORD_HIGH_MIN_YEARS years long, else
"2021年以来新高" — what "since" means is defined by the runners (analytics/results.Figures)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def record_texts(since: int | None, year: int) -> dict:
    """The record's text and tooltip for a figure of `year` compared with years from `since`."""
    if since is None:
        return {"record_text": "", "record_title": ""}
    years = {"year": since}
    title = _("Compared with the same window of every year since %(year)s") % years
    if year - since >= settings.RECORD_HIGH_MIN_YEARS:
        return {"record_text": _("Record high"), "record_title": title}
    return {"record_text": _("Highest since %(year)s") % years, "record_title": title}
