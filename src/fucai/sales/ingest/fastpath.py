"""The fast path of daily-file validation: proves a clean file clean without building the
row-by-row tables of fucai.sales.ingest.validate.

A daily file has few distinct station codes, dates, games and ticket counts (a province: ~6,000
stations, a few hundred days). Each distinct text is parsed once, with the very SQL expressions
of validate.py (DuckDB, on a table of the texts not seen before), and mapped back to the rows by
its index; amounts, nearly all distinct, are checked on their bytes (the rule of
validate.AMOUNT_RE) and parsed by Arrow. The rules that combine columns — station open on the
day, draw games in a suspension, duplicates — run on integer arrays (numpy). The result is either
the facts of a file that breaks no rule, or None: then the importer runs the full checks, which
name every error, so this path only ever decides "nothing is wrong", never what is.

A file is checked a block of rows at a time (`DailyChecker.add`): a CSV file streams through
Arrow's reader, which parses the next block on the other core while this one is checked, and
memory stays that of a block plus the compact facts. Used for a batch of one daily file (two
files need the station-day-in-two-files rule; ticket files are aggregated by the full path).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fucai.sales.choices import GameCategory
from fucai.sales.ingest.validate import COUNT_RE, DATE_FORMATS, EARLIEST
from fucai.sales.store import FactBlock

EPOCH = dt.date(1970, 1, 1)
DAY_SPAN = 1 << 20  # day numbers (since 1970) of 2000 … 4840 fit below this
INVALID = -1  # a parsed text that breaks a rule


@dataclass(frozen=True)
class CleanDaily:
    """The facts of a daily file that breaks no rule, and what the import record shows. The
    facts are an Arrow table, or already written to new partitions of the store by a
    YearStream (`written`, for SalesStore.commit_written)."""

    facts: pa.Table | None  # date, station_code, game, amount_fen, tickets (dictionary codes)
    rows: int
    first_day: dt.date
    last_day: dt.date
    amount_fen: int
    written: dict[int, dict] | None = None


@dataclass(frozen=True)
class Coded:
    """A text column as its distinct values and, per row, the index of its value."""

    values: pa.Array
    index: np.ndarray

    @classmethod
    def of(cls, column: pa.ChunkedArray | pa.Array) -> Coded:
        """From a text column, or a dictionary column (the CSV reader's: a dictionary per
        block). Values are the blocks' dictionaries one after another, so a text may appear
        more than once: it is then looked up more than once, with the same result."""
        if isinstance(column, pa.Array):
            column = pa.chunked_array([column])
        encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
        if not encoded.num_chunks:
            return cls(pa.array([], pa.string()), np.zeros(0, np.int32))
        values, index, base = [], [], 0
        for chunk in encoded.chunks:
            values.append(chunk.dictionary)
            index.append(chunk.indices.to_numpy() + base)
            base += len(chunk.dictionary)
        return cls(pa.concat_arrays(values), np.concatenate(index))


class TextCache:
    """Distinct texts of one column, parsed once each: text → integer (INVALID if the text
    breaks a rule). `parse` turns a list of new texts into their integers."""

    def __init__(self, parse: Callable[[list[str]], list[int]]) -> None:
        self.parse = parse
        self.texts = pa.array([], pa.string())
        self.values = np.zeros(0, np.int64)

    def lookup(self, values: pa.Array) -> np.ndarray | None:
        """The integers of `values`; None if one of them is INVALID."""
        at = pc.index_in(values, value_set=self.texts)
        if at.null_count:
            new = pc.unique(values.filter(pc.is_null(at)))
            self.texts = pa.concat_arrays([self.texts, new.cast(pa.string())])
            self.values = np.concatenate([self.values, self.parse(new.to_pylist())])
            at = pc.index_in(values, value_set=self.texts)
        out = self.values[at.to_numpy()]
        if len(out) and out.min() == INVALID:
            return None
        return out


def _parse(con, texts: list[str], select: str) -> pa.Table:
    """Run `select` (columns over `v`, the text, and joins) on the texts, in order."""
    values = pa.table({"i": np.arange(len(texts)), "v": pa.array(texts, pa.string())})
    con.register("_values", values)
    try:
        return con.sql(f"SELECT {select} ORDER BY i").to_arrow_table()
    finally:
        con.unregister("_values")


class DailyChecker:
    """Checks the blocks of one daily file (text columns station_code, date, game, amount,
    tickets) against the reference tables registered in `con` (validate.reference_tables);
    `finish()` gives the file's facts if no block broke a rule. After a block breaks one,
    `add` returns False and the checker is done with. Each checked block's facts are `last`
    (a FactBlock); the checker keeps them all for `finish()` unless `keep` is False (the
    caller writes them as they come)."""

    def __init__(self, con, today: dt.date, keep: bool = True) -> None:
        self.con = con
        self.keep = keep
        self.last: FactBlock | None = None
        self.rows = self.amount_fen = 0
        self.days = (DAY_SPAN, -1)  # first and last day number seen
        self.today = today
        known = con.sql("SELECT code FROM ref_stations")  # those of the user's scope only
        codes = pc.unique(known.to_arrow_table()["code"].combine_chunks())
        self.codes = codes.take(pc.sort_indices(codes))  # every station the file may name
        games = con.sql("SELECT DISTINCT game, category FROM ref_games ORDER BY game").fetchall()
        self.game_codes = pa.array([g for g, _ in games], pa.string())
        self.game_category = np.array([c for _, c in games], dtype=object)
        self.stations = TextCache(self._parse_stations)
        self.dates = TextCache(self._parse_days)
        self.games = TextCache(self._parse_games)
        self.counts = TextCache(self._parse_counts)
        self._open = OpenSpans.of(con, self.codes)
        self._stopped = self._stopped_days()
        self.blocks: list[pa.Table] = []
        self._last_key = -1
        self.ordered = True  # every block so far in key order, each above the ones before

    # -- distinct texts ------------------------------------------------------------------------
    def _parse_stations(self, texts: list[str]) -> list[int]:
        """Code index of each text (trimmed; INVALID if empty, unknown or out of scope)."""
        parsed = _parse(self.con, texts, "i, trim(v) AS code FROM _values")["code"]
        index = pc.fill_null(pc.index_in(parsed, value_set=self.codes), INVALID)
        empty = pc.equal(parsed, "")
        return pc.if_else(empty, INVALID, index).to_pylist()

    def _parse_days(self, texts: list[str]) -> list[int]:
        """Day number (since 1970) of each text; INVALID if not a date or out of range."""
        day = _parse(
            self.con,
            texts,
            f"i, COALESCE(TRY_CAST(trim(v) AS DATE), "
            f"CAST(try_strptime(trim(v), {DATE_FORMATS}) AS DATE)) AS day FROM _values",
        )["day"]
        return [
            (d - EPOCH).days if d is not None and EARLIEST <= d <= self.today else INVALID
            for d in day.to_pylist()
        ]

    def _parse_games(self, texts: list[str]) -> list[int]:
        """Game index (in game_codes) of each text; INVALID if it names no game."""
        game = _parse(
            self.con,
            texts,
            "i, g.game FROM _values LEFT JOIN ref_games g ON g.alias = lower(trim(v))",
        )["game"]
        index = pc.index_in(game, value_set=self.game_codes)
        return pc.fill_null(index, INVALID).to_pylist()

    def _parse_counts(self, texts: list[str]) -> list[int]:
        parsed = _parse(
            self.con,
            texts,
            f"i, trim(v) = '1' OR regexp_full_match(trim(v), '{COUNT_RE}') AS ok, "
            f"TRY_CAST(trim(v) AS BIGINT) AS n FROM _values",
        )
        return [
            n if ok and n is not None else INVALID
            for ok, n in zip(parsed["ok"].to_pylist(), parsed["n"].to_pylist(), strict=True)
        ]

    def _stopped_days(self) -> dict[str, np.ndarray]:
        """Per game category, whether a suspension stops it, by day number from EARLIEST."""
        closures = self.con.sql(
            'SELECT start, "end", stops_draw, stops_instant FROM ref_susp'
        ).fetchall()
        lo, span = (EARLIEST - EPOCH).days, (self.today - EARLIEST).days + 1
        stopped = {}
        for category, column in ((GameCategory.DRAW, 2), (GameCategory.INSTANT, 3)):
            days = np.zeros(max(span, 1), bool)
            for closure in closures:
                a = max((closure[0] - EPOCH).days - lo, 0)
                b = min((closure[1] - EPOCH).days - lo, span - 1)
                if closure[column] and a <= b:
                    days[a : b + 1] = True
            stopped[str(category)] = days
        return stopped

    # -- blocks --------------------------------------------------------------------------------
    def add(self, block: pa.Table | pa.RecordBatch, threads: int = 1) -> bool:
        """Check one block of rows; False if it breaks a rule (nothing more is learnt)."""
        if not block.num_rows:
            return True
        station, date, game, tickets = (
            Coded.of(block.column(c)) for c in ("station_code", "date", "game", "tickets")
        )
        of_station = self.stations.lookup(station.values)
        of_day = self.dates.lookup(date.values)
        of_game = self.games.lookup(game.values)
        of_count = self.counts.lookup(tickets.values)
        if of_station is None or of_day is None or of_game is None or of_count is None:
            return False
        fen = _amounts(block.column("amount"), threads)
        if fen is None:
            return False
        row_station = of_station.astype(np.int32)[station.index]
        row_day = of_day.astype(np.int32)[date.index]
        row_game = of_game.astype(np.int32)[game.index]
        if not self._open.all_open(row_station, row_day) or self._suspended(row_game, row_day):
            return False
        if not self._unique(row_day, row_station, row_game):
            return False
        counts = of_count[tickets.index]
        self.last = FactBlock(
            self._facts(row_day, row_station, row_game, fen, counts),
            row_day,
            row_station,
            row_game,
            fen,
            counts,
        )
        if self.keep:
            self.blocks.append(self.last.table)
        self.rows += len(fen)
        self.amount_fen += int(fen.sum())
        self.days = (min(self.days[0], int(row_day.min())), max(self.days[1], int(row_day.max())))
        return True

    def _suspended(self, game: np.ndarray, day: np.ndarray) -> bool:
        """Does a row sell a game on a day a suspension stops its category?"""
        offset = day - (EARLIEST - EPOCH).days
        for category, stopped in self._stopped.items():
            of_category = self.game_category == category  # per game code
            if of_category.any() and np.any(stopped[offset] & of_category[game]):
                return True
        return False

    def _keys(self, day, station, game) -> np.ndarray:
        n_stations, n_games = len(self.codes), len(self.game_codes)
        return (day.astype(np.int64) * n_stations + station) * n_games + game

    def _unique(self, day, station, game) -> bool:
        """No (station, day, game) twice in the block; blocks in key order (a file sorted by
        date) need nothing more, others are compared at the end."""
        key = self._keys(day, station, game)
        if not np.all(key[1:] > key[:-1]):
            self.ordered = False
            key = np.sort(key)
            if np.any(key[1:] == key[:-1]):
                return False
        self.ordered &= bool(key[0] > self._last_key)
        self._last_key = max(self._last_key, int(key[-1]))
        return True

    def _facts(self, day, station, game, fen, counts) -> pa.Table:
        return pa.table(
            {
                "date": pa.array(day, pa.int32()).cast(pa.date32()),
                "station_code": pa.DictionaryArray.from_arrays(pa.array(station), self.codes),
                "game": pa.DictionaryArray.from_arrays(pa.array(game), self.game_codes),
                "amount_fen": pa.array(fen, pa.int64()),
                "tickets": pa.array(counts, pa.int64()),
            }
        )

    def finish(self, written: dict[int, dict] | None = None) -> CleanDaily | None:
        """The file's facts, if its blocks together break no rule (and it has rows); with
        `written`, the partitions the caller wrote them to (keep=False)."""
        if not self.rows or not (self.keep or self.ordered):  # unordered: the caller gave up
            return None
        facts = pa.concat_tables(self.blocks) if self.keep else None
        self.blocks = []
        if facts is not None and not self.ordered and not self._all_unique(facts):
            return None
        return CleanDaily(
            facts=facts,
            rows=self.rows,
            first_day=EPOCH + dt.timedelta(days=self.days[0]),
            last_day=EPOCH + dt.timedelta(days=self.days[1]),
            amount_fen=self.amount_fen,
            written=written,
        )

    def _all_unique(self, facts: pa.Table) -> bool:
        """Across blocks whose keys overlap: sort every key once."""
        key = np.sort(
            self._keys(
                facts["date"].cast(pa.int32()).to_numpy(),
                np.concatenate([c.indices.to_numpy() for c in facts["station_code"].chunks]),
                np.concatenate([c.indices.to_numpy() for c in facts["game"].chunks]),
            )
        )
        return not np.any(key[1:] == key[:-1])


@dataclass(frozen=True)
class OpenSpans:
    """The [start, end) day spans in which each station (by code index) was open."""

    owner: np.ndarray
    start: np.ndarray
    end: np.ndarray
    first: np.ndarray | None  # one span per station (most networks): its bounds by station
    last: np.ndarray | None

    @classmethod
    def of(cls, con, codes: pa.Array) -> OpenSpans:
        spans = con.sql("SELECT station_code, start, end_excl FROM ref_open").to_arrow_table()
        which = pc.index_in(spans["station_code"], value_set=codes)
        mine = pc.is_valid(which).to_numpy(zero_copy_only=False)
        owner = pc.fill_null(which, -1).to_numpy()[mine].astype(np.int64)
        start = spans["start"].cast(pa.int32()).to_numpy()[mine]
        end = pc.fill_null(spans["end_excl"].cast(pa.int32()), DAY_SPAN - 1).to_numpy()[mine]
        order = np.lexsort((start, owner))
        owner, start, end = owner[order], start[order], end[order]
        count = np.bincount(owner, minlength=len(codes))
        if np.all(count <= 1):
            first = np.full(len(codes), DAY_SPAN, np.int32)  # never open: no day fits
            last = np.zeros(len(codes), np.int32)
            first[owner], last[owner] = start, end
            return cls(owner, start, end, first, last)
        return cls(owner, start, end, None, None)

    def all_open(self, station: np.ndarray, day: np.ndarray) -> bool:
        """Was every row's station open on its day (as validate.NOT_OPEN)?"""
        if self.first is not None:
            return bool(np.all((day >= self.first[station]) & (day < self.last[station])))
        key = station.astype(np.int64) * DAY_SPAN + day
        at = np.searchsorted(self.owner * DAY_SPAN + self.start, key, "right")
        found = at > 0
        at = np.where(found, at - 1, 0)
        return bool(np.all(found & (self.owner[at] == station) & (day < self.end[at])))


def check_daily(con, raw: pa.Table, today: dt.date) -> CleanDaily | None:
    """The facts of `raw` (one daily file's text columns, with the reference tables registered
    in `con` as for validate.validate) if it breaks no rule, else None."""
    return check_blocks(con, [raw], today, threads=2)


def check_blocks(
    con, blocks: Iterable[pa.Table | pa.RecordBatch], today: dt.date, threads=1
) -> CleanDaily | None:
    """As check_daily, for a file given as blocks of rows (stops at the first bad block)."""
    checker = DailyChecker(con, today)
    for block in blocks:
        if not checker.add(block, threads):
            return None
    return checker.finish()


def _amounts(column: pa.ChunkedArray | pa.Array, threads: int = 1) -> np.ndarray | None:
    """Each row's amount in fen; None if one does not match validate.AMOUNT_RE. With threads,
    chunks are checked side by side (the checks and Arrow's decimal parsing release the GIL)."""
    chunks = [column] if isinstance(column, pa.Array) else column.chunks
    if not chunks:
        return np.zeros(0, np.int64)
    if threads > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(_chunk_fen, chunks))
    else:
        parts = [_chunk_fen(c) for c in chunks]
    if any(part is None for part in parts):
        return None
    return np.concatenate(parts)


DIGIT_OR_DOT = np.zeros(256, bool)
DIGIT_OR_DOT[ord("0") : ord("9") + 1] = True
DIGIT_OR_DOT[ord(".")] = True
MAX_AMOUNT_TEXT = 15  # "999999999999.99": beyond, the full checks decide


def _chunk_fen(chunk: pa.Array, trimmed: bool = False) -> np.ndarray | None:
    """AMOUNT_RE on the bytes of one chunk (spaces around a text trimmed, as the full checks
    do): every text 1 to MAX_AMOUNT_TEXT bytes of digits and at most one dot, the dot after a
    digit and before one or two; then Arrow parses the decimals and the fen are their
    unscaled integers."""
    if not pa.types.is_string(chunk.type) or chunk.null_count:
        return None
    if not len(chunk):
        return np.zeros(0, np.int64)
    offsets = np.frombuffer(chunk.buffers()[1], np.int32)
    offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
    data = np.frombuffer(chunk.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
    ends = offsets[1:] - offsets[0]
    lengths = np.diff(offsets)
    if not DIGIT_OR_DOT[data].all():
        if trimmed or not (data == ord(" ")).any():
            return None
        return _chunk_fen(pc.utf8_trim(chunk, " "), trimmed=True)  # as validate's trim()
    if lengths.min() < 1 or lengths.max() > MAX_AMOUNT_TEXT:
        return None
    dot = data == ord(".")
    if dot.any():
        allowed = np.zeros(len(data), bool)
        allowed[ends[lengths >= 3] - 2] = True  # "1.5": one decimal
        allowed[ends[lengths >= 4] - 3] = True  # "1.50": two
        # a dot elsewhere, or two (only "..": both allowed places are next to each other)
        if np.any(dot & ~allowed) or np.any(dot[1:] & dot[:-1]):
            return None
    decimals = pc.cast(chunk, pa.decimal128(18, 2))  # exact: at most two decimals, checked
    unscaled = np.frombuffer(decimals.buffers()[1], np.int64)  # low and high 64 bits each
    return unscaled[2 * decimals.offset : 2 * (decimals.offset + len(decimals)) : 2].copy()
