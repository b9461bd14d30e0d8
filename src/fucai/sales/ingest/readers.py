"""Reading sales files (CSV, Excel, Parquet) into Arrow tables of text, with their row numbers.

Every value is read as text so that validation sees exactly what the file says ("12.345" must be
rejected, not rounded). Column headers may be English or Chinese (docs/formats.md)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from fucai.sales.choices import ImportKind

# canonical column → accepted header spellings (compared after normalise_header)
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "station_code": (
        "station_code",
        "station",
        "站点编号",
        "站点编码",
        "站点代码",
        "投注站编号",
        "站号",
    ),
    "date": ("date", "sale_date", "day", "日期", "销售日期"),
    "timestamp": ("timestamp", "time", "datetime", "sold_at", "时间", "销售时间", "交易时间"),
    "game": ("game", "游戏", "玩法", "彩种"),
    "amount": ("amount", "amount_yuan", "金额", "销量", "销售额", "销售金额"),
    "tickets": ("tickets", "票数", "张数"),
    "ticket_id": ("ticket_id", "票号", "流水号"),
}
REQUIRED = {
    ImportKind.DAILY: ("station_code", "date", "game", "amount", "tickets"),
    ImportKind.TICKETS: ("station_code", "timestamp", "game", "amount"),
}
OPTIONAL = {ImportKind.DAILY: (), ImportKind.TICKETS: ("ticket_id",)}
CSV_SUFFIXES = {".csv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
MOF_SHEET = "各地区彩票销售情况"
CSV_BLOCK = 16 << 20  # bytes per parallel CSV block: fewer, larger chunks read faster
# Columns with few distinct values (stations, days, games, ticket counts) are read from CSV as
# dictionaries: the reader encodes them while parsing, and validation parses each value once.
FEW_VALUES = {"station_code", "date", "game", "tickets"}
DICTIONARY = pa.dictionary(pa.int32(), pa.string())


class FileError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing column)."""

    def __init__(self, code: str, value: str = "", column: str = "", detail: str = "") -> None:
        super().__init__(code, value)
        self.code, self.value, self.column, self.detail = code, value, column, detail


def expected_header(canon: str) -> str:
    """How a missing column is named: its usual Chinese header, and the English one."""
    spellings = HEADER_ALIASES[canon]
    chinese = next((s for s in spellings if not s.isascii()), canon)
    return f"{chinese} ({canon})"


def normalise_header(value: object) -> str:
    text = str(value or "").strip().lower().replace("\ufeff", "")
    text = re.sub(r"[（(][^）)]*[）)]$", "", text)  # "销量(元)" → "销量"
    return re.sub(r"[\s_\-]+", "_", text).strip("_")


_LOOKUP = {normalise_header(a): canon for canon, aliases in HEADER_ALIASES.items() for a in aliases}


def canonical_columns(headers: list[object]) -> dict[int, str]:
    """Position → canonical name for the headers fucai knows; others are ignored."""
    found: dict[int, str] = {}
    for i, header in enumerate(headers):
        canon = _LOOKUP.get(normalise_header(header))
        if canon is None:
            continue
        if canon in found.values():
            raise FileError("duplicate_column", str(header), canon)
        found[i] = canon
    return found


def detect_kind(path: Path, columns: set[str]) -> str:
    if "timestamp" in columns:
        return ImportKind.TICKETS
    return ImportKind.DAILY


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class RawFile:
    """A file's rows as text: canonical columns plus `row` (the row number a person would see:
    the line in a CSV, the sheet row in Excel, 1-based position in Parquet)."""

    path: Path
    kind: str
    table: pa.Table
    headers: dict[str, str] = field(default_factory=dict)  # canonical → the file's header

    def header(self, canon: str) -> str:
        """A column as the file names it (`销量(元)`), for errors."""
        return self.headers.get(canon, canon)

    @property
    def rows(self) -> int:
        return self.table.num_rows


def damaged_excel(read):
    """`read(path, …)` with any failure of openpyxl on a damaged workbook (zip, XML, styles, …)
    as FileError("damaged_excel"), which names the file."""

    @functools.wraps(read)
    def reading(path: Path, *args, **kwargs):
        try:
            return read(path, *args, **kwargs)
        except FileError:
            raise
        except Exception:
            raise FileError("damaged_excel", path.name) from None

    return reading


@damaged_excel
def is_mof_workbook(path: Path) -> bool:
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return False
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return MOF_SHEET in wb.sheetnames
    finally:
        wb.close()


def read_sales_file(path: Path, kind: str | None = None) -> RawFile:
    suffix = path.suffix.lower()
    sheet = None
    if suffix in CSV_SUFFIXES:
        headers, table = _read_csv(path)
    elif suffix in EXCEL_SUFFIXES:
        headers, table, sheet = _read_excel(path)
    elif suffix in PARQUET_SUFFIXES:
        headers, table = _read_parquet(path)
    else:
        raise FileError("unsupported_format", path.suffix or path.name)
    columns = canonical_columns(headers)
    kind = kind or detect_kind(path, set(columns.values()))
    missing = [c for c in REQUIRED[kind] if c not in columns.values()]
    if missing:
        named = ", ".join(expected_header(c) for c in missing)
        if sheet is not None:
            raise FileError("missing_column_in_sheet", named, "", sheet)
        raise FileError("missing_column", named)
    keep = [*REQUIRED[kind], *OPTIONAL[kind]]
    by_name = {canon: table.column(i) for i, canon in columns.items()}
    arrays = [table.column("row")]
    for name in keep:
        arrays.append(by_name.get(name, pa.nulls(table.num_rows, pa.string())))
    named = {canon: str(headers[i]).strip() for i, canon in columns.items()}
    return RawFile(path, kind, pa.table(arrays, names=["row", *keep]), named)


def _numbers(first: int, count: int) -> pa.Array:
    import numpy as np

    return pa.array(np.arange(first, first + count, dtype=np.int64))


def _encoding(path: Path) -> str:
    """ "utf8" (Arrow's own spelling: any other name makes its CSV reader transcode the whole
    file in Python first) or "gb18030", judged from the first 64 KiB."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sample's end
            return "gb18030"
    return "utf8"


def _csv_options(path: Path) -> tuple[list[str], dict, dict]:
    """The header of a CSV file, and Arrow's read and convert options for the rest."""
    from pyarrow import csv

    encoding = _encoding(path)
    with open(path, encoding=encoding, errors="replace") as fh:
        header_line = fh.readline()
    headers = next(iter(__import__("csv").reader([header_line])), [])
    if not headers:
        raise FileError("empty_file", path.name)
    names = [f"c{i}" for i in range(len(headers))]
    coded = {i for i, canon in canonical_columns(headers).items() if canon in FEW_VALUES}
    types = {n: DICTIONARY if i in coded else pa.string() for i, n in enumerate(names)}
    read = csv.ReadOptions(encoding=encoding, column_names=names, skip_rows=1, block_size=CSV_BLOCK)
    convert = csv.ConvertOptions(
        column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False
    )
    return headers, read, convert


def _read_csv(path: Path) -> tuple[list[str], pa.Table]:
    from pyarrow import csv

    headers, read, convert = _csv_options(path)
    try:
        table = csv.read_csv(path, read_options=read, convert_options=convert)
    except pa.ArrowInvalid as exc:
        raise FileError("unreadable_csv", str(exc).splitlines()[0]) from None
    return headers, table.append_column("row", _numbers(2, table.num_rows))


class DailyStream:
    """A daily CSV file as blocks of its canonical text columns, parsed by Arrow's streaming
    reader (which reads ahead on other threads); `fraction` tells how far it has read.
    Without row numbers: the fast path checks blocks, the full checks read the whole file."""

    def __init__(self, path: Path) -> None:
        from pyarrow import csv

        headers, read, convert = _csv_options(path)
        columns = canonical_columns(headers)
        missing = [c for c in REQUIRED[ImportKind.DAILY] if c not in columns.values()]
        if missing or detect_kind(path, set(columns.values())) != ImportKind.DAILY:
            raise FileError("not_a_daily_file", ", ".join(missing))
        self.position = {canon: i for i, canon in columns.items()}
        self.size = max(path.stat().st_size, 1)
        self._block_size, self._batches = read.block_size, 0
        self._file = pa.OSFile(str(path))
        self._reader = csv.open_csv(self._file, read_options=read, convert_options=convert)

    def blocks(self):
        """Tables of station_code, date, game, amount, tickets; raises FileError if a row
        cannot be parsed."""
        names = list(REQUIRED[ImportKind.DAILY])
        try:
            for batch in self._reader:
                self._batches += 1
                yield pa.Table.from_arrays([batch.column(self.position[n]) for n in names], names)
        except pa.ArrowInvalid as exc:
            raise FileError("unreadable_csv", str(exc).splitlines()[0]) from None

    def fraction(self) -> float:
        """The share of the file in the blocks given so far (a block is ~block_size bytes;
        the reader's own position runs ahead)."""
        return min(self._batches * self._block_size / self.size, 1.0)

    def close(self) -> None:
        self._file.close()


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f") if value == value else "nan"
    return str(value)


@damaged_excel
def _read_excel(path: Path) -> tuple[list[str], pa.Table, str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        sheet = ws.title
        rows_iter = ws.iter_rows(values_only=True)
        headers, header_row = None, 0
        for number, values in enumerate(rows_iter, start=1):
            if any(v not in (None, "") for v in values):
                headers, header_row = list(values), number
                break
        if headers is None:
            raise FileError("empty_sheet", path.name, "", sheet)
        cols: list[list] = [[] for _ in headers]
        numbers: list[int] = []
        for number, values in enumerate(rows_iter, start=header_row + 1):
            if all(v in (None, "") for v in values):
                continue
            numbers.append(number)
            for i, col in enumerate(cols):
                col.append(_cell_text(values[i]) if i < len(values) else None)
    finally:
        wb.close()
    arrays = [pa.array([c if c is not None else "" for c in col], pa.string()) for col in cols]
    table = pa.table(arrays, names=[f"c{i}" for i in range(len(cols))])
    rows = table.append_column("row", pa.array(numbers, pa.int64()))
    return [str(h or "") for h in headers], rows, sheet


def _as_text(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """Any Parquet column as text: floats in their shortest exact form ("12.3", and
    "0.30000000000000004" for a float that is not a two-decimal amount), dates ISO."""
    if pa.types.is_timestamp(array.type) and array.type.tz is not None:
        array = array.cast(pa.timestamp(array.type.unit))
    return array.cast(pa.string())


def _read_parquet(path: Path) -> tuple[list[str], pa.Table]:
    import pyarrow.parquet as pq

    try:
        source = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileError("unreadable_parquet", str(exc).splitlines()[0]) from None
    arrays = [pc.fill_null(_as_text(source.column(i)), "") for i in range(source.num_columns)]
    table = pa.table(arrays, names=[f"c{i}" for i in range(source.num_columns)])
    return list(source.column_names), table.append_column("row", _numbers(1, source.num_rows))
