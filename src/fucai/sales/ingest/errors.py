"""Import errors as sentences naming the file, the row, the column and the reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # whole file
    "not_found": _("the file does not exist"),
    "unsupported_format": _("unsupported file type %(value)s: use .csv, .xlsx or .parquet"),
    "unreadable_csv": _("cannot read the CSV file: %(value)s"),
    "unreadable_parquet": _("cannot read the Parquet file: %(value)s"),
    "unreadable_excel": _("cannot read the Excel file: %(value)s"),
    "damaged_excel": _(
        "the file is damaged or not an Excel (.xlsx) workbook; save it again from Excel"
    ),
    "empty_file": _("the file has no header row"),
    "missing_column": _("missing column(s) %(value)s (see docs/formats.md)"),
    "missing_column_in_sheet": _(
        "missing column(s) %(value)s in sheet %(detail)s, the workbook's first sheet, which is "
        "the one read: put the sales on the first sheet (see docs/formats.md)"
    ),
    "empty_sheet": _(
        "sheet %(detail)s, the workbook's first sheet, which is the one read, is empty"
    ),
    "duplicate_column": _("column %(value)s appears twice"),
    "no_rows": _("the file has no data rows"),
    "mof_not_allowed": _("only the provincial centre imports the Ministry of Finance table"),
    "mof_no_period": _("cannot find the period (e.g. 2023年8月) in the sheet title; give --period"),
    "mof_no_header": _("cannot find the header row with 福利彩票, 体育彩票 and 合计"),
    "mof_bad_number": _("%(value)r is not a number"),
    "mof_duplicate_region": _("region %(value)s appears twice"),
    "mof_two_files_same_period": _("period %(value)s is also in %(other)s"),
    # rows
    "required": _("a station code is required"),
    "unknown_station": _("unknown station code %(value)s"),
    "bad_date": _("%(value)r is not a date (use YYYY-MM-DD)"),
    "bad_timestamp": _("%(value)r is not a time stamp (use YYYY-MM-DD HH:MM:SS)"),
    "date_out_of_range": _("%(value)s is before 2000 or in the future"),
    "unknown_game": _("unknown game %(value)r"),
    "negative_amount": _("negative amount %(value)s"),
    "bad_amount": _("malformed amount %(value)r: yuan with at most two decimals, e.g. 1234.50"),
    "bad_tickets": _("malformed ticket count %(value)r: a whole number, 0 or more"),
    "station_not_open": _("station %(value)s was not open on %(detail)s"),
    "suspended": _("game %(value)r does not sell on %(detail)s"),
    "duplicate": _(
        "game %(value)r again: same station, day and game as row %(detail)s of %(other)s"
    ),
    "duplicate_ticket": _("ticket %(value)s again: already in row %(detail)s of %(other)s"),
    "station_day_in_two_files": _(
        "station %(value)s on %(detail)s is also in %(other)s; each station-day comes from one file"
    ),
}


@dataclass(frozen=True)
class RowError:
    """One reason an import was refused."""

    file: str
    row: int | None
    column: str
    code: str
    value: str = ""
    detail: str = ""
    other: str = ""

    @property
    def message(self) -> str:
        template = MESSAGES.get(self.code, self.code)
        return str(template) % {"value": self.value, "detail": self.detail, "other": self.other}

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(str(_("row %(row)s") % {"row": self.row}))
        if self.column:
            where.append(str(_("column %(column)s") % {"column": self.column}))
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict:
        return {**asdict(self), "message": self.message}
