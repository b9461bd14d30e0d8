"""The fast path of daily-file validation: proves a clean file clean without building the
row-by-row tables of fucai.sales.ingest.validate.

A daily file has few distinct station codes, dates, games and ticket counts (a province: ~6,000
stations, a few hundred days). Each distinct text is parsed once, with the very SQL expressions
of validate.py (DuckDB, on a table of the distinct values), and mapped back to the rows by its
index; amounts, nearly all distinct, are parsed row by row with the same expressions. The rules
that combine columns — station open on the day, draw games in a suspension, duplicates — run on
integer arrays (numpy). The result is either the facts of a file that breaks no rule, or None:
then the importer runs the full checks, which name every error, so this path only ever decides
"nothing is wrong", never what is.

Used for a batch of one daily file (two files need the station-day-in-two-files rule; ticket
files are aggregated by the full path).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fucai.sales.choices import GameCategory
from fucai.sales.ingest.validate import AMOUNT_RE, COUNT_RE, DATE_FORMATS, EARLIEST, FEN

EPOCH = dt.date(1970, 1, 1)
DAY_SPAN = 1 << 20  # day numbers (since 1970) of 2000 … 4840 fit below this


@dataclass(frozen=True)
class CleanDaily:
    """The facts of a daily file that breaks no rule, and what the import record shows."""

    facts: pa.Table  # date, station_code, game, amount_fen, tickets (codes dictionary-encoded)
    first_day: dt.date
    last_day: dt.date
    amount_fen: int

    @property
    def rows(self) -> int:
        return self.facts.num_rows


@dataclass(frozen=True)
class Coded:
    """A text column as its distinct values and, per row, the index of its value."""

    values: pa.Array
    index: np.ndarray

    @classmethod
    def of(cls, column: pa.ChunkedArray) -> Coded:
        """From a text column, or a dictionary column whose chunks share one dictionary (the
        CSV reader's, unified)."""
        encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
        if not encoded.num_chunks:
            return cls(pa.array([], pa.string()), np.zeros(0, np.int32))
        index = np.concatenate([chunk.indices.to_numpy() for chunk in encoded.chunks])
        return cls(encoded.chunks[-1].dictionary, index)


def _parse(con, coded: Coded, select: str) -> pa.Table:
    """Run `select` (columns over `v`, the text, and joins) on the distinct values, in order."""
    con.register("_values", pa.table({"i": np.arange(len(coded.values)), "v": coded.values}))
    try:
        return con.sql(f"SELECT {select} ORDER BY i").to_arrow_table()
    finally:
        con.unregister("_values")


def check_daily(con, raw: pa.Table, scoped: bool, today: dt.date) -> CleanDaily | None:
    """The facts of `raw` (one daily file's text columns, with the reference tables registered
    in `con` as for validate.validate) if it breaks no rule, else None."""
    with ThreadPoolExecutor(2) as pool:  # Arrow's kernels release the GIL: one per core
        station, date, game, tickets = pool.map(
            Coded.of, (raw[c] for c in ("station_code", "date", "game", "tickets"))
        )
    stations = _stations(con, station, scoped)
    days = _days(con, date, today)
    games = _games(con, game)
    counts = _tickets(con, tickets)
    if stations is None or days is None or games is None or counts is None:
        return None
    fen = _amounts(con, raw)
    if fen is None:
        return None
    codes, code_of_value = stations
    game_codes, categories, game_of_value = games
    row_station = code_of_value[station.index]
    row_day = days[date.index]
    row_game = game_of_value[game.index]
    if not _open(con, codes, row_station, row_day):
        return None
    if _suspended(con, categories, row_game, row_day):
        return None
    if _duplicates(row_day, row_station, row_game, len(codes), len(game_codes)):
        return None
    facts = pa.table(
        {
            "date": pa.array(row_day, pa.int32()).cast(pa.date32()),
            "station_code": pa.DictionaryArray.from_arrays(pa.array(row_station), codes),
            "game": pa.DictionaryArray.from_arrays(pa.array(row_game), game_codes),
            "amount_fen": pa.array(fen, pa.int64()),
            "tickets": pa.array(counts[tickets.index], pa.int64()),
        }
    )
    return CleanDaily(
        facts=facts,
        first_day=EPOCH + dt.timedelta(days=int(row_day.min())),
        last_day=EPOCH + dt.timedelta(days=int(row_day.max())),
        amount_fen=int(fen.sum()),
    )


def _stations(con, coded: Coded, scoped: bool) -> tuple[pa.Array, np.ndarray] | None:
    """The canonical codes (trimmed, sorted) and each distinct text's code index; None if a
    code is empty, unknown or outside the importer's scope."""
    allowed = "EXISTS (SELECT 1 FROM ref_allowed a WHERE a.code = trim(v))" if scoped else "true"
    parsed = _parse(
        con,
        coded,
        f"i, trim(v) AS code, s.code IS NOT NULL AS known, {allowed} AS allowed "
        f"FROM _values LEFT JOIN ref_stations s ON s.code = trim(v)",
    )
    code = parsed["code"]
    if not (pc.all(parsed["known"]).as_py() and pc.all(parsed["allowed"]).as_py()):
        return None
    if pc.any(pc.equal(code, "")).as_py():
        return None
    codes = pc.unique(code)
    codes = codes.take(pc.sort_indices(codes))
    return codes, pc.index_in(code, value_set=codes).to_numpy()


def _days(con, coded: Coded, today: dt.date) -> np.ndarray | None:
    """Each distinct date text's day number; None if one is not a date or out of range."""
    parsed = _parse(
        con,
        coded,
        f"i, COALESCE(TRY_CAST(trim(v) AS DATE), "
        f"CAST(try_strptime(trim(v), {DATE_FORMATS}) AS DATE)) AS day FROM _values",
    )
    day = parsed["day"]
    if day.null_count or not len(day):
        return None
    if pc.min(day).as_py() < EARLIEST or pc.max(day).as_py() > today:
        return None
    return day.cast(pa.int32()).to_numpy()


def _games(con, coded: Coded) -> tuple[pa.Array, np.ndarray, np.ndarray] | None:
    """The game codes (sorted), each code's category and each distinct text's game index;
    None if a text names no game."""
    parsed = _parse(
        con,
        coded,
        "i, g.game, g.category FROM _values LEFT JOIN ref_games g ON g.alias = lower(trim(v))",
    )
    if parsed["game"].null_count:
        return None
    codes = pc.unique(parsed["game"])
    codes = codes.take(pc.sort_indices(codes))
    index = pc.index_in(parsed["game"], value_set=codes).to_numpy()
    first = {
        code: cat
        for code, cat in zip(
            parsed["game"].to_pylist(), parsed["category"].to_pylist(), strict=True
        )
    }
    categories = np.array([first[c] for c in codes.to_pylist()], dtype=object)
    return codes, categories, index


def _tickets(con, coded: Coded) -> np.ndarray | None:
    parsed = _parse(
        con,
        coded,
        f"i, trim(v) = '1' OR regexp_full_match(trim(v), '{COUNT_RE}') AS ok, "
        f"TRY_CAST(trim(v) AS BIGINT) AS n FROM _values",
    )
    if not pc.all(parsed["ok"]).as_py() or parsed["n"].null_count:
        return None
    return parsed["n"].to_numpy()


def _amounts(con, raw: pa.Table) -> np.ndarray | None:
    """Each row's amount in fen (validate.FEN on the trimmed text); None if one is malformed."""
    con.register("_amounts", raw.select(["amount"]))
    try:
        fen = FEN.replace("p.amount_text", "amount_text")
        out = con.sql(
            f"SELECT ok, CASE WHEN ok THEN {fen} END AS fen "
            f"FROM (SELECT amount_text, regexp_full_match(amount_text, '{AMOUNT_RE}') AS ok "
            f"FROM (SELECT trim(amount) AS amount_text FROM _amounts))"
        ).to_arrow_table()
    finally:
        con.unregister("_amounts")
    if not pc.all(out["ok"]).as_py():
        return None
    return out["fen"].to_numpy()


def _open(con, codes: pa.Array, station: np.ndarray, day: np.ndarray) -> bool:
    """Was every row's station open on its day (ref_open spans, as validate.NOT_OPEN)?"""
    spans = con.sql("SELECT station_code, start, end_excl FROM ref_open").to_arrow_table()
    which = pc.index_in(spans["station_code"], value_set=codes)
    mine = pc.is_valid(which).to_numpy(zero_copy_only=False)
    owner = pc.fill_null(which, -1).to_numpy()[mine].astype(np.int64)
    start = spans["start"].cast(pa.int32()).to_numpy()[mine]
    end = pc.fill_null(spans["end_excl"].cast(pa.int32()), DAY_SPAN - 1).to_numpy()[mine]
    count = np.bincount(owner, minlength=len(codes))
    if np.all(count == 1):  # one open span per station (most networks): a lookup per row
        first, last = np.empty(len(codes), np.int32), np.empty(len(codes), np.int32)
        first[owner], last[owner] = start, end
        return bool(np.all((day >= first[station]) & (day < last[station])))
    if np.any(count == 0):
        return False
    order = np.lexsort((start, owner))
    owner, start, end = owner[order], start[order], end[order]
    key = station.astype(np.int64) * DAY_SPAN + day
    at = np.searchsorted(owner * DAY_SPAN + start, key, "right")
    found = at > 0
    at = np.where(found, at - 1, 0)
    return bool(np.all(found & (owner[at] == station) & (day < end[at])))


def _suspended(con, categories: np.ndarray, game: np.ndarray, day: np.ndarray) -> bool:
    """Does a row sell a game on a day a suspension stops its category (validate.SUSPENDED)?"""
    closures = con.sql('SELECT start, "end", stops_draw, stops_instant FROM ref_susp').fetchall()
    lo, hi = int(day.min()), int(day.max())
    for category, column in ((GameCategory.DRAW, 2), (GameCategory.INSTANT, 3)):
        stopped = np.zeros(hi - lo + 1, bool)
        for closure in closures:
            a, b = max((closure[0] - EPOCH).days, lo), min((closure[1] - EPOCH).days, hi)
            if closure[column] and a <= b:
                stopped[a - lo : b - lo + 1] = True
        of_category = categories == str(category)  # per game code
        if stopped.any() and of_category.any() and np.any(stopped[day - lo] & of_category[game]):
            return True
    return False


def _duplicates(day, station, game, n_stations: int, n_games: int) -> bool:
    """Is a (station, day, game) there twice? A file in (date, station, game) order shows it
    without sorting."""
    key = (day.astype(np.int64) * n_stations + station) * n_games + game
    if len(key) < 2 or np.all(key[1:] > key[:-1]):
        return False
    key = np.sort(key)
    return bool(np.any(key[1:] == key[:-1]))
