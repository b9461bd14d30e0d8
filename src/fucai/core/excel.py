"""Excel helpers shared by every export: a table of rows in a workbook, and the HTTP response.

A table gets a bold header row, column widths fitted to the content (Chinese characters count
double), a frozen header and an autofilter, which is what people who live in Excel expect. Text
that looks like a formula is written as text, so an export can never carry a formula out.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 6, 60
_WIDTH_SAMPLE_ROWS = 500
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, and optionally a fixed width and an Excel number
    format (`TEXT_FORMAT` keeps codes and ID numbers as text, `DATE_FORMAT` for dates)."""

    header: str
    width: float | None = None
    number_format: str | None = None


def display_width(value) -> int:
    """How many character cells `value` takes on screen (wide East Asian characters count 2)."""
    text = cell_text(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _cell_value(value):
    """What openpyxl should store: Decimals as numbers, text without control characters."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_table(ws: Worksheet, columns: Sequence[Column | str], rows: Iterable[Sequence]) -> int:
    """Write a header row and `rows` into `ws` from A1; return the number of data rows."""
    cols = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
    ws.append([str(c.header) for c in cols])
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    widths = [display_width(c.header) for c in cols]
    count = 0
    for count, row in enumerate(rows, start=1):
        _append_row(ws, cols, row, count + 1)
        if count <= _WIDTH_SAMPLE_ROWS:
            widths = [max(w, display_width(v)) for w, v in zip(widths, row, strict=False)]
    _finish(ws, cols, widths, count)
    return count


def _append_row(ws: Worksheet, cols: Sequence[Column], row: Sequence, row_number: int) -> None:
    for index, (col, value) in enumerate(zip(cols, row, strict=False), start=1):
        cell = ws.cell(row=row_number, column=index, value=_cell_value(value))
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # never a formula
        if col.number_format:
            cell.number_format = col.number_format


def _finish(ws: Worksheet, cols: Sequence[Column], widths: Sequence[int], count: int) -> None:
    for index, (col, width) in enumerate(zip(cols, widths, strict=False), start=1):
        fitted = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
        ws.column_dimensions[get_column_letter(index)].width = col.width or fitted
    ws.freeze_panes = "A2"
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{count + 1}"


def table_workbook(
    columns: Sequence[Column | str], rows: Iterable[Sequence], *, title: str = "Sheet1"
) -> Workbook:
    """A new workbook whose first sheet, named `title`, holds the table."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    write_table(ws, columns, rows)
    return wb


def add_notes_sheet(wb: Workbook, title: str, lines: Iterable[tuple[str, object]]) -> Worksheet:
    """Append a two-column sheet of (label, value) notes, e.g. when and by whom it was exported."""
    ws = wb.create_sheet(title[:31])
    for label, value in lines:
        ws.append([_cell_value(label), _cell_value(cell_text(value))])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 80
    for cell in ws["A"]:
        cell.font = _HEADER_FONT
    return ws


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """An HTTP download of `workbook`; `filename` may be Chinese (sent RFC 6266/5987 style)."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "export.xlsx"
    if ascii_name.startswith("."):
        ascii_name = "export" + ascii_name
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
