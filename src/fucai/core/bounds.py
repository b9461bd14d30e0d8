"""The bounds of input values, defined once: every web form, API schema, importer and query
parameter checks its dates, whole numbers and text through these functions and types.

- A date lies between EARLIEST_DATE (2000-01-01) and today (in settings.TIME_ZONE, Asia/Shanghai):
  `check_date` refuses others. An *as-of* day of a query (`?as_of=`, `?since=`) is clamped into
  that range instead (`clamp_date`): the answer then says which day it used.
- A whole number fits its column: SMALL_COUNT (0 to 32767, a PositiveSmallIntegerField).
- Text is stripped; empty text and NUL or other control characters are refused (`clean_text`).

Messages are in the user's language; `BoundedDate`, `CleanText` and `SmallCount` are the same rules
as annotated types for django-ninja (pydantic) schemas, `BoundedDateField` for Django forms.
"""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_DATE = dt.date(2000, 1, 1)
SMALL_INT_MAX = 32767  # PositiveSmallIntegerField on SQLite and PostgreSQL
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def today() -> dt.date:
    """The latest day an input may name: today in the centre's time zone."""
    return timezone.localdate()


def date_problem(day: dt.date) -> str | None:
    """Why `day` is out of bounds (in the user's language), or None when it is within them."""
    if day < EARLIEST_DATE:
        return _("%(day)s is before %(earliest)s; fucai keeps no records that old.") % {
            "day": day.isoformat(),
            "earliest": EARLIEST_DATE.isoformat(),
        }
    if day > today():
        return _("%(day)s is in the future; dates can be at most today (%(today)s).") % {
            "day": day.isoformat(),
            "today": today().isoformat(),
        }
    return None


def check_date(day: dt.date) -> dt.date:
    """`day` if it lies between EARLIEST_DATE and today, else a ValidationError saying why."""
    problem = date_problem(day)
    if problem:
        raise ValidationError(problem, code="date_bounds")
    return day


def clamp_date(day: dt.date) -> tuple[dt.date, str]:
    """An as-of day moved into [EARLIEST_DATE, today], and a notice when it was moved."""
    if day < EARLIEST_DATE:
        notice = _("Records begin in %(earliest)s; showing %(earliest)s instead of %(day)s.")
        return EARLIEST_DATE, notice % {"earliest": EARLIEST_DATE.isoformat(), "day": day}
    if day > today():
        notice = _("%(day)s is in the future; showing today (%(today)s) instead.")
        return today(), notice % {"day": day, "today": today().isoformat()}
    return day, ""


def text_problem(text: str) -> str | None:
    """Why already stripped `text` is not acceptable (empty, control characters), or None."""
    if not text:
        return _("This must not be empty.")
    if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in text):
        return _("This contains control characters (such as NUL); remove them.")
    return None


def clean_text(value: str) -> str:
    """`value` stripped; a ValidationError if it is then empty or holds control characters."""
    text = value.strip()
    problem = text_problem(text)
    if problem:
        raise ValidationError(problem, code="text")
    return text


def clean_optional_text(value: str) -> str:
    """Like clean_text, but empty text is allowed (an optional field)."""
    text = value.strip()
    return clean_text(text) if text else ""


# -- django-ninja (pydantic) types ----------------------------------------------------------------
# BoundedDate, CleanText, OptionalText and SmallCount are made on first use (`from fucai.core.bounds
# import BoundedDate` in an API schema): a command or worker that never builds a schema does not
# import pydantic.
def _pydantic(check):
    from pydantic import AfterValidator
    from pydantic_core import PydanticCustomError

    def validate(value):
        try:
            return check(value)
        except ValidationError as error:
            raise PydanticCustomError(error.code or "bounds", " ".join(error.messages)) from None

    return AfterValidator(validate)


def _schema_types() -> dict[str, object]:
    from pydantic import Field

    return {
        "BoundedDate": Annotated[dt.date, _pydantic(check_date)],
        "CleanText": Annotated[str, _pydantic(clean_text)],
        "OptionalText": Annotated[str, _pydantic(clean_optional_text)],
        "SmallCount": Annotated[int, Field(ge=0, le=SMALL_INT_MAX)],
    }


def __getattr__(name: str) -> object:
    if name not in ("BoundedDate", "CleanText", "OptionalText", "SmallCount"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals().update(_schema_types())
    return globals()[name]


# -- Django forms ---------------------------------------------------------------------------------
class BoundedDateField(forms.DateField):
    """A form date between EARLIEST_DATE and today."""

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None:
            check_date(value)


# -- uploaded files -------------------------------------------------------------------------------
def check_upload_size(upload) -> None:
    """A ValidationError naming the file and the limit (settings.UPLOAD_MAX_MB, env
    FUCAI_UPLOAD_MAX_MB) when the uploaded file is larger."""
    from django.conf import settings

    limit = settings.UPLOAD_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; files of at most %(limit)d MB can be uploaded.")
            % {"name": upload.name, "size": upload.size / 1024 / 1024, "limit": limit},
            code="too_large",
        )


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def months_elapsed(as_of: dt.date) -> int:
    """How many months of the as-of year have fully elapsed on the as-of day (0 to 12): the rule
    for monthly figures (the Ministry of Finance's table) against a day. On 2023-09-03 that is 8:
    January – August ("截至8月"), never a month that has not ended; on 2023-09-30 it is 9."""
    return as_of.month if as_of == month_end(as_of.year, as_of.month) else as_of.month - 1
