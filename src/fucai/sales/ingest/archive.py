"""Import of the monthly sales archive (docs/formats.md, "Monthly archive").

An Excel workbook whose sheet 月度销量 has one row per city and month:

    月份 | 地市 | 电脑票(元) | 即开票(元)
    2015-01 | 南昌市 | 41234567.00 | 5234567

All or nothing: the file is read and checked whole; any error refuses it, each error naming the
sheet, the row and the column as the file names them, in the user's language. A good file sets
the cells (city × category × month) it holds and leaves every other cell of the archive alone.
A city agency imports its own city's rows only (another city reads as unknown).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyarrow as pa
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from fucai.core.bounds import EARLIEST_DATE, today
from fucai.core.grant import IMPORT_SALES, grant_for
from fucai.sales.archive import ARCHIVE_SCHEMA, read_archive, update_archive
from fucai.sales.choices import GameCategory
from fucai.sales.store import SalesStore

SHEET = "月度销量"
MONTH, CITY = "月份", "地市"
AMOUNT_COLUMNS = {
    "电脑票(元)": str(GameCategory.DRAW),
    "即开票(元)": str(GameCategory.INSTANT),
}
COLUMNS = (MONTH, CITY, *AMOUNT_COLUMNS)
MAX_ERRORS = 50
MONTH_TEXT = re.compile(r"^\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?\s*$")
CENT = Decimal("0.01")

MESSAGES = {
    "no_sheet": gettext_lazy("the workbook has no sheet %(value)s (its sheets: %(detail)s)"),
    "unreadable": gettext_lazy("cannot read the Excel file: %(value)s"),
    "missing_column": gettext_lazy("missing column(s) %(value)s in the header row"),
    "no_rows": gettext_lazy("the sheet has no data rows"),
    "bad_month": gettext_lazy("%(value)r is not a month (use YYYY-MM, e.g. 2015-01)"),
    "month_out_of_range": gettext_lazy("%(value)s is before 2000 or in the future"),
    "unknown_city": gettext_lazy("unknown city %(value)r"),
    "bad_amount": gettext_lazy(
        "%(value)r is not an amount: yuan, 0 or more, with at most two decimals"
    ),
    "duplicate": gettext_lazy("%(value)s again: already in row %(detail)s"),
}


class ArchiveRefused(PermissionError):
    """The user may not import the archive at all."""


@dataclass(frozen=True)
class ArchiveError:
    """One reason the file was refused, where the file has it."""

    sheet: str
    row: int | None
    column: str
    code: str
    value: str = ""
    detail: str = ""

    def __str__(self) -> str:
        where = [_("sheet %(sheet)s") % {"sheet": self.sheet}]
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        message = str(MESSAGES[self.code]) % {"value": self.value, "detail": self.detail}
        separator = pgettext("between the parts of an error's place", ", ")
        colon = pgettext("between an error's place and its reason", ": ")
        return f"{separator.join(where)}{colon}{message}"


@dataclass
class ArchiveOutcome:
    """What an archive import read and, unless refused or a dry run, wrote."""

    rows: int = 0
    cells: int = 0
    amount_fen: int = 0
    first_month: dt.date | None = None
    last_month: dt.date | None = None
    replaced_cells: int = 0
    errors: list[ArchiveError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def import_archive(
    path: Path | str, user=None, dry_run: bool = False, store: SalesStore | None = None
) -> ArchiveOutcome:
    """Read, check and (unless `dry_run` or refused) merge the file into the archive."""
    cities = city_codes(user)
    table, outcome = read_file(Path(path), cities)
    if not outcome.ok:
        return outcome
    store = store or SalesStore()
    outcome.replaced_cells = _overlap(read_archive(store), table)
    if not dry_run:
        update_archive(store, table)
        outcome.written = True
    return outcome


def city_codes(user) -> dict[str, str]:
    """{name or code as a file may write it: adcode} of the cities the user imports (the
    command line without a user acts for the provincial centre)."""
    from fucai.geo.models import Division

    cities = Division.objects.cities()
    if user is not None:
        if not user.is_active:
            raise ArchiveRefused(_("This account is inactive."))
        reach = grant_for(user).capability(IMPORT_SALES)
        if not reach.everything:
            cities = cities.filter(pk__in=reach.cities)
        if not cities.exists():
            raise ArchiveRefused(
                _("Only the provincial centre and city agencies import the monthly archive.")
            )
    names: dict[str, str] = {}
    for code, name in cities.values_list("code", "name"):
        names |= {code: code, name: code, name.removesuffix("市"): code}
    return names


def read_file(path: Path, cities: dict[str, str]) -> tuple[pa.Table, ArchiveOutcome]:
    from openpyxl import load_workbook

    outcome = ArchiveOutcome()
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        outcome.errors.append(ArchiveError(path.name, None, "", "unreadable", str(exc)))
        return ARCHIVE_SCHEMA.empty_table(), outcome
    try:
        if SHEET not in workbook.sheetnames:
            sheets = "、".join(workbook.sheetnames)
            outcome.errors.append(ArchiveError(SHEET, None, "", "no_sheet", SHEET, sheets))
            return ARCHIVE_SCHEMA.empty_table(), outcome
        rows = workbook[SHEET].iter_rows(values_only=True)
        return SheetReader(cities, outcome).read(rows), outcome
    finally:
        workbook.close()


class SheetReader:
    """Checks the rows of the sheet and collects the archive cells."""

    def __init__(self, cities: dict[str, str], outcome: ArchiveOutcome) -> None:
        self.cities = cities
        self.outcome = outcome
        self.seen: dict[tuple[dt.date, str], int] = {}
        self.columns: dict[str, list] = {f.name: [] for f in ARCHIVE_SCHEMA}

    def error(self, row: int | None, column: str, code: str, value="", detail="") -> None:
        if len(self.outcome.errors) < MAX_ERRORS:
            self.outcome.errors.append(ArchiveError(SHEET, row, column, code, str(value), detail))

    def read(self, rows) -> pa.Table:
        header = next(rows, None)
        names = [str(c).strip() if c is not None else "" for c in (header or ())]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            self.error(1, "", "missing_column", "、".join(missing))
            return ARCHIVE_SCHEMA.empty_table()
        index = {c: names.index(c) for c in COLUMNS}
        for number, values in enumerate(rows, start=2):
            if values is None or all(v in (None, "") for v in values):
                continue
            self.outcome.rows += 1
            self.row(number, {c: values[i] if i < len(values) else None for c, i in index.items()})
        if not self.outcome.rows:
            self.error(None, "", "no_rows")
        if not self.outcome.ok:
            return ARCHIVE_SCHEMA.empty_table()
        return pa.table(self.columns, schema=ARCHIVE_SCHEMA)

    def row(self, number: int, cells: dict) -> None:
        month = self.month(number, cells[MONTH])
        city = self.city(number, cells[CITY])
        amounts = {c: self.amount(number, c, cells[c]) for c in AMOUNT_COLUMNS}
        if month is None or city is None or None in amounts.values():
            return
        first = self.seen.setdefault((month, city), number)
        if first != number:
            self.error(number, CITY, "duplicate", f"{cells[CITY]} {month:%Y-%m}", str(first))
            return
        for column, fen in amounts.items():
            self.columns["city_code"].append(city)
            self.columns["category"].append(AMOUNT_COLUMNS[column])
            self.columns["month"].append(month)
            self.columns["amount_fen"].append(fen)
            self.outcome.cells += 1
            self.outcome.amount_fen += fen
        o = self.outcome
        o.first_month = min(filter(None, (o.first_month, month)))
        o.last_month = max(filter(None, (o.last_month, month)))

    def month(self, number: int, value) -> dt.date | None:
        month = _month(value)
        if month is None:
            self.error(number, MONTH, "bad_month", value if value is not None else "")
            return None
        if month < EARLIEST_DATE or month > today():
            self.error(number, MONTH, "month_out_of_range", f"{month:%Y-%m}")
            return None
        return month

    def city(self, number: int, value) -> str | None:
        text = str(value).strip() if value is not None else ""
        code = self.cities.get(text)
        if code is None:
            self.error(number, CITY, "unknown_city", text)
        return code

    def amount(self, number: int, column: str, value) -> int | None:
        fen = _fen(value)
        if fen is None:
            self.error(number, column, "bad_amount", value if value is not None else "")
        return fen


def _month(value) -> dt.date | None:
    """The first day of the month a cell names: a date, or text such as 2015-01 or 2015年1月."""
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    match = MONTH_TEXT.match(str(value or ""))
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


def _fen(value) -> int | None:
    """Yuan (a number or text with at most two decimals, 0 or more) as integer fen."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().replace(",", "")
    if isinstance(value, float):
        text = repr(value)
    try:
        yuan = Decimal(text)
    except InvalidOperation:
        return None
    if not yuan.is_finite() or yuan < 0 or yuan != yuan.quantize(CENT):
        return None
    return int(yuan * 100)


def _overlap(old: pa.Table, new: pa.Table) -> int:
    """How many cells of the archive the file sets again."""
    if not old.num_rows:
        return 0
    key = {(r["city_code"], r["category"], r["month"]) for r in new.to_pylist()}
    return sum((r["city_code"], r["category"], r["month"]) in key for r in old.to_pylist())
