"""Reading a station file (CSV or .xlsx) into a header and numbered rows.

Row numbers are the ones the user sees in Excel: the header is row 1 (or the row it is found in, if
the agency put a title above it), the first station row 2. CSV files may be UTF-8 (with or without
the BOM Excel writes) or GB18030, which Chinese Excel writes when saving "CSV (逗号分隔)".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fucai.network.imports.layout import COLUMN_BY_HEADER, COLUMN_BY_KEY

HEADER_SEARCH_ROWS = 10
_SPACES = re.compile(r"\s+")
_NOTE = re.compile(r"\(.*\)$")


class FileProblem(Exception):
    """The file as a whole cannot be read (not its rows): wrong type, bad encoding, no header."""

    def __init__(self, message: str, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


@dataclass
class Sheet:
    """The rows of a station file: `columns` maps a column key to its index in every row."""

    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, list]] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.columns

    def value(self, cells: list, key: str):
        index = self.columns.get(key)
        if index is None or index >= len(cells):
            return None
        return cells[index]


def read_sheet(fileobj, filename: str) -> Sheet:
    """Read `fileobj` (bytes, or a file opened in binary mode) by the extension of `filename`."""
    data = fileobj if isinstance(fileobj, bytes | str) else fileobj.read()
    name = filename.lower()
    if name.endswith(".xlsx") or name.endswith(".xlsm"):
        return _to_sheet(_xlsx_rows(data))
    if name.endswith(".csv") or name.endswith(".txt"):
        return _to_sheet(_csv_rows(data))
    if name.endswith(".xls") or name.endswith(".et"):
        raise FileProblem(
            _("Old Excel files (.xls) cannot be read; save the file as .xlsx or CSV.")
        )
    raise FileProblem(_("Only CSV (.csv) and Excel (.xlsx) files can be imported."))


def decode_csv(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise FileProblem(
            _("The file is neither UTF-8 nor GB18030 text; save it as CSV UTF-8.")
        ) from None


def _csv_rows(data: bytes | str) -> list[list]:
    try:
        text = decode_csv(data)
    except UnicodeDecodeError:
        raise FileProblem(_("The file starts like UTF-8 but is not valid UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(data: bytes | str) -> list[list]:
    from openpyxl import load_workbook

    if isinstance(data, str):
        raise FileProblem(_("An Excel file must be read in binary mode."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
    except Exception:  # a damaged workbook fails anywhere in openpyxl (zip, XML, styles, …)
        raise FileProblem(_("The file is not a readable Excel (.xlsx) workbook.")) from None


def cell_text(value) -> str:
    """A cell as text: integral numbers without '.0', dates as YYYY-MM-DD, stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def header_key(value) -> str | None:
    """Which column a header cell names: '站点编号', ' 站点编号* ', '经度（GCJ-02）' all work."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    text = _NOTE.sub("", _SPACES.sub("", text)).rstrip("*")
    column = COLUMN_BY_HEADER.get(text)
    return column.key if column else None


def _to_sheet(rows: list[list]) -> Sheet:
    for number, cells in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        keys = [header_key(cell) for cell in cells]
        if "code" in keys:
            return _sheet_from(number, keys, rows[number:])
    raise FileProblem(
        _("No header row with the column %(col)s was found in the first %(n)d rows.")
        % {"col": COLUMN_BY_KEY["code"].header, "n": HEADER_SEARCH_ROWS},
        row=1,
    )


def _sheet_from(header_row: int, keys: list[str | None], body: list[list]) -> Sheet:
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key is None:
            continue
        if key in columns:
            raise FileProblem(
                _("The column appears twice in the header."), header_row, COLUMN_BY_KEY[key].header
            )
        columns[key] = index
    sheet = Sheet(header_row=header_row, columns=columns)
    for number, cells in enumerate(body, start=header_row + 1):
        if any(cell_text(cell) for cell in cells):
            sheet.rows.append((number, cells))
    return sheet
