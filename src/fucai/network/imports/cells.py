"""Parsing single cells of the station file. Each parser returns the value or raises CellError with
a reason in plain language; the caller adds file, row and column."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from fucai.core.bounds import SMALL_INT_MAX, date_problem, text_problem
from fucai.core.personal import Kind, id_number_problem, is_masked, mask, phone_problem
from fucai.network.imports.layout import NO_WORDS, YES_WORDS
from fucai.network.imports.reading import cell_text

COORD_PLACES = Decimal("0.000001")
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?: 0{1,2}:00(?::00)?)?$")


class CellError(ValueError):
    """The reason a cell's value is not acceptable."""


@dataclass(frozen=True)
class Masked:
    """A masked value as exports write it (138****5678): stands for the stored value, unchanged."""

    text: str

    def stands_for(self, stored: str, kind: Kind) -> bool:
        """Only the exact mask of the stored value stands for it: a mask with a guessed hidden
        digit never does, whether the guess is right or wrong."""
        return bool(stored) and self.text == mask(stored, kind)


def plain(value) -> str:
    """Cell text with full-width digits and letters made ASCII (for codes, numbers, dates)."""
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def required_text(value, max_length: int) -> str:
    text = cell_text(value)
    if not text:
        raise CellError(_("This column must be filled in."))
    return optional_text(text, max_length)


def optional_text(value, max_length: int) -> str:
    text = cell_text(value)
    problem = text_problem(text) if text else None
    if problem:
        raise CellError(problem)
    if len(text) > max_length:
        raise CellError(
            _("At most %(max)d characters; this has %(n)d.") % {"max": max_length, "n": len(text)}
        )
    return text


def station_code(value) -> str:
    text = plain(value)
    if not text:
        raise CellError(_("This column must be filled in."))
    if not text.isdigit():
        raise CellError(
            _("A station code is 8 digits, e.g. 36110214; “%(v)s” is not.") % {"v": text}
        )
    if len(text) != 8:
        raise CellError(
            _("A station code has 8 digits; %(v)s has %(n)d.") % {"v": text, "n": len(text)}
        )
    if not text.startswith("36"):
        raise CellError(_("Jiangxi station codes start with 36; %(v)s does not.") % {"v": text})
    return text


def coordinate(value, low: float, high: float) -> Decimal:
    """A GCJ-02 longitude or latitude within [low, high] (Jiangxi's bounding box)."""
    text = plain(value)
    if not text:
        raise CellError(_("This column must be filled in."))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(
            _("Not a number: “%(v)s”; write decimal degrees like 115.363189.") % {"v": text}
        ) from None
    if not number.is_finite() or not low <= number <= high:
        raise CellError(
            _("%(v)s lies outside Jiangxi (%(low)s to %(high)s).")
            % {"v": text, "low": f"{low:.2f}", "high": f"{high:.2f}"}
        )
    return number.quantize(COORD_PLACES, rounding=ROUND_HALF_UP)


def count(value, default: int) -> int:
    text = plain(value)
    if not text:
        return default
    if not text.isdigit():
        raise CellError(_("Must be a whole number of 0 or more; “%(v)s” is not.") % {"v": text})
    number = int(text)
    if number > SMALL_INT_MAX:
        raise CellError(_("%(v)d is too large.") % {"v": number})
    return number


def choice(value, lookup: dict[str, str], words) -> str:
    text = cell_text(value)
    if not text:
        raise CellError(
            _("This column must be filled in; one of: %(words)s.") % {"words": "、".join(words)}
        )
    found = lookup.get(text.lower())
    if found is None:
        raise CellError(
            _("Unknown value “%(v)s”; use one of: %(words)s.")
            % {"v": text, "words": "、".join(words)}
        )
    return found


def yes_no(value) -> bool:
    text = plain(value).lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise CellError(_("Write 是 or 否, not “%(v)s”.") % {"v": cell_text(value)})


def phone(value) -> str | Masked:
    text = plain(value).replace(" ", "")
    if not text:
        return ""
    if is_masked(text):
        return Masked(text)
    problem = phone_problem(text)
    if problem:
        raise CellError(problem)
    return text


def id_number(value) -> str | Masked:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            _(
                "The ID number is stored as a number, which loses its last digits; format "
                "the column as text in Excel and type it again."
            )
        )
    text = plain(value).replace(" ", "").upper()
    if not text:
        return ""
    if is_masked(text):
        return Masked(text)
    problem = id_number_problem(text)
    if problem:
        raise CellError(problem)
    return text


def status_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _bounded(value)
    text = plain(value)
    if not text:
        return None
    found = _DATE_RE.match(text)
    try:
        day = dt.date(int(found[1]), int(found[2]), int(found[3])) if found else None
    except ValueError:
        day = None
    if day is None:
        raise CellError(_("Not a date: “%(v)s”; write YYYY-MM-DD, e.g. 2023-03-18.") % {"v": text})
    return _bounded(day)


def _bounded(day: dt.date) -> dt.date:
    """The day, if within the bounds of fucai.core.bounds (2000-01-01 to today)."""
    problem = date_problem(day)
    if problem:
        raise CellError(problem)
    return day
