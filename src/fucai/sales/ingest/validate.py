"""Vectorised validation of sales rows in DuckDB.

The raw rows of every file of a batch sit in DuckDB tables of text (`raw_daily`, `raw_tickets`,
with `file_no` and `row`). Reference tables come from the Django database. The checks are fixed
SQL statements (no value is ever formatted into them) that produce error rows (file_no, row,
column, code, value); fucai.sales.ingest.errors turns them into sentences. Nothing here loops over
rows in Python, so a file of millions of rows is checked in seconds.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from fucai.network.choices import StationStatus
from fucai.sales.choices import GameCategory

DATE_FORMATS = "['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d']"
TIMESTAMP_FORMATS = "['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y%m%d %H:%M:%S']"
AMOUNT_RE = r"[0-9]+(\.[0-9]{1,2})?"
NEGATIVE_RE = r"-[0-9]+(\.[0-9]+)?"
COUNT_RE = r"[0-9]+"
EARLIEST = dt.date(2000, 1, 1)


# -- reference tables from the database ----------------------------------------------------------
def reference_tables(allowed_codes: set[str] | None) -> dict[str, pa.Table]:
    """The stations (only `allowed_codes` when given: the importing user's), their opening spans,
    the games and the suspensions. A station outside the user's scope is not there at all, so
    that a file naming it gets "unknown station code" exactly as for a code that does not exist."""
    from fucai.network.models import Station, StationStatusChange
    from fucai.sales.models import Game, InstantBrand, SalesSuspension

    stations = list(Station.objects.values_list("code", "city__name"))
    if allowed_codes is not None:
        stations = [s for s in stations if s[0] in allowed_codes]
    spans = _open_spans(
        StationStatusChange.objects.order_by("station__code", "date", "pk").values_list(
            "station__code", "date", "status"
        )
    )
    if allowed_codes is not None:
        keep = pa.array(sorted(allowed_codes), pa.string())
        spans = spans.filter(pc.is_in(spans["station_code"], value_set=keep))
    refs = {
        "ref_stations": pa.table(
            {
                "code": pa.array([c for c, _ in stations], pa.string()),
                "city_name": pa.array([n for _, n in stations], pa.string()),
            }
        ),
        "ref_open": spans,
    }
    aliases: dict[str, tuple[str, str, str]] = {}  # spelling → code, category, catalogue name
    for game in Game.objects.filter(is_active=True):
        for name in game.feed_names():
            aliases[name] = (game.code, game.category, game.name)
    for brand in InstantBrand.objects.filter(is_active=True).select_related("game"):
        spelling = brand.name.strip().lower()
        aliases.setdefault(spelling, (brand.game.code, brand.game.category, brand.name))
    refs["ref_games"] = pa.table(
        {
            "alias": list(aliases),
            "game": [g for g, _, _ in aliases.values()],
            "category": [c for _, c, _ in aliases.values()],
            "label": [n for _, _, n in aliases.values()],
        }
    )
    susp = list(
        SalesSuspension.objects.values_list(
            "name", "start", "end", "draw_games_stop", "instant_stops"
        )
    )
    refs["ref_susp"] = pa.table(
        {
            "name": pa.array([s[0] for s in susp], pa.string()),
            "start": pa.array([s[1] for s in susp], pa.date32()),
            "end": pa.array([s[2] for s in susp], pa.date32()),
            "stops_draw": pa.array([s[3] for s in susp], pa.bool_()),
            "stops_instant": pa.array([s[4] for s in susp], pa.bool_()),
        }
    )
    return refs


def _open_spans(changes) -> pa.Table:
    """[start, end) day ranges in which each station was open, from its status history: the
    status on a day is the latest change dated on or before it (the last of a day wins)."""
    codes, starts, ends = [], [], []
    for code, history in itertools.groupby(changes.iterator(chunk_size=5000), key=lambda c: c[0]):
        open_since = None
        for _, date, status in history:
            if status == StationStatus.OPEN and open_since is None:
                open_since = date
            elif status != StationStatus.OPEN and open_since is not None:
                if date > open_since:
                    codes.append(code), starts.append(open_since), ends.append(date)
                open_since = None
        if open_since is not None:
            codes.append(code), starts.append(open_since), ends.append(None)
    return pa.table(
        {
            "station_code": pa.array(codes, pa.string()),
            "start": pa.array(starts, pa.date32()),
            "end_excl": pa.array(ends, pa.date32()),
        }
    )


# -- the checks ---------------------------------------------------------------------------------
PARSE_DAILY = f"""
SELECT 'daily' AS kind, file_no, "row",
       trim(station_code) AS station_code,
       trim("date") AS day_text,
       COALESCE(TRY_CAST(trim("date") AS DATE),
                CAST(try_strptime(trim("date"), {DATE_FORMATS}) AS DATE)) AS day,
       lower(trim(game)) AS game_text,
       trim(amount) AS amount_text,
       trim(tickets) AS tickets_text,
       CAST(NULL AS VARCHAR) AS ticket_id
FROM raw_daily
"""

PARSE_TICKETS = f"""
SELECT 'tickets', file_no, "row", trim(station_code), trim("timestamp"),
       CAST(COALESCE(TRY_CAST(trim("timestamp") AS TIMESTAMP),
                     try_strptime(trim("timestamp"), {TIMESTAMP_FORMATS})) AS DATE),
       lower(trim(game)), trim(amount), '1', NULLIF(trim(ticket_id), '')
FROM raw_tickets
"""

FEN = "CAST(CAST(p.amount_text AS DECIMAL(18, 2)) * 100 AS BIGINT)"

CHECKED = f"""
CREATE OR REPLACE TEMP TABLE checked AS
SELECT p.*, g.game, g.category,
       s.code IS NOT NULL AS station_known,
       s.city_name,
       regexp_full_match(p.amount_text, '{AMOUNT_RE}') AS amount_ok,
       CASE WHEN p.amount_text LIKE '-%' THEN regexp_full_match(p.amount_text, '{NEGATIVE_RE}')
            ELSE false END AS amount_negative,
       p.tickets_text = '1' OR regexp_full_match(p.tickets_text, '{COUNT_RE}') AS tickets_ok,
       CASE WHEN regexp_full_match(p.amount_text, '{AMOUNT_RE}') THEN {FEN} END AS fen
FROM ({{parsed}}) p
LEFT JOIN ref_games g ON g.alias = p.game_text
LEFT JOIN ref_stations s ON s.code = p.station_code
"""

# Every check yields rows of `errors`: the file and row, the column, an error code, the offending
# value, a detail (a day, a city, a suspension) and, for clashes, the other file.
DAY_COLUMN = "CASE WHEN kind = 'daily' THEN 'date' ELSE 'timestamp' END"

# (column expression, code, value expression, condition) — evaluated on `checked`
ROW_CHECKS: list[tuple[str, str, str, str]] = [
    ("'station_code'", "required", "''", "station_code = ''"),
    (
        "'station_code'",
        "unknown_station",
        "station_code",
        "station_code <> '' AND NOT station_known",
    ),
    ("'date'", "bad_date", "day_text", "kind = 'daily' AND day IS NULL"),
    ("'timestamp'", "bad_timestamp", "day_text", "kind = 'tickets' AND day IS NULL"),
    (DAY_COLUMN, "date_out_of_range", "day_text", "day IS NOT NULL AND (day < ? OR day > ?)"),
    ("'game'", "unknown_game", "game_text", "game IS NULL"),
    ("'amount'", "negative_amount", "amount_text", "amount_negative"),
    ("'amount'", "bad_amount", "amount_text", "NOT amount_ok AND NOT amount_negative"),
    ("'tickets'", "bad_tickets", "tickets_text", "NOT tickets_ok"),
]

NOT_OPEN = f"""
WITH station_days AS (
    SELECT DISTINCT station_code, day FROM checked WHERE station_known AND day IS NOT NULL
), closed AS (
    SELECT sd.station_code, sd.day FROM station_days sd
    WHERE NOT EXISTS (
        SELECT 1 FROM ref_open o
        WHERE o.station_code = sd.station_code AND sd.day >= o.start
          AND (o.end_excl IS NULL OR sd.day < o.end_excl))
)
SELECT c.file_no, c."row", {DAY_COLUMN}, 'station_not_open', c.station_code,
       CAST(c.day AS VARCHAR), NULL
FROM checked c JOIN closed USING (station_code, day)
"""

SUSPENDED = f"""
SELECT c.file_no, c."row", 'game', 'suspended', c.game_text,
       CAST(c.day AS VARCHAR) || ' ' || s.name, NULL
FROM checked c JOIN ref_susp s ON c.day BETWEEN s.start AND s."end"
WHERE (c.category = '{GameCategory.DRAW}' AND s.stops_draw)
   OR (c.category = '{GameCategory.INSTANT}' AND s.stops_instant)
"""

HAS_DUPLICATES = """
SELECT count(*) FROM (
    SELECT 1 FROM checked WHERE kind = 'daily' AND day IS NOT NULL AND game IS NOT NULL
    GROUP BY station_code, day, game HAVING count(*) > 1 LIMIT 1)
"""
HAS_DUPLICATE_TICKETS = """
SELECT count(*) FROM (
    SELECT 1 FROM checked WHERE kind = 'tickets' AND ticket_id IS NOT NULL
    GROUP BY station_code, ticket_id HAVING count(*) > 1 LIMIT 1)
"""

DUPLICATES = """
SELECT file_no, "row", 'game', 'duplicate', game_text, CAST(first_row AS VARCHAR), first_file
FROM (
    SELECT file_no, "row", game_text,
           first_value("row") OVER w AS first_row, first_value(file_no) OVER w AS first_file,
           row_number() OVER w AS n
    FROM checked WHERE kind = 'daily' AND day IS NOT NULL AND game IS NOT NULL
    WINDOW w AS (PARTITION BY station_code, day, game ORDER BY file_no, "row")
) WHERE n > 1
"""

DUPLICATE_TICKETS = """
SELECT file_no, "row", 'ticket_id', 'duplicate_ticket', ticket_id, CAST(first_row AS VARCHAR),
       first_file
FROM (
    SELECT file_no, "row", ticket_id,
           first_value("row") OVER w AS first_row, first_value(file_no) OVER w AS first_file,
           row_number() OVER w AS n
    FROM checked WHERE kind = 'tickets' AND ticket_id IS NOT NULL
    WINDOW w AS (PARTITION BY station_code, ticket_id ORDER BY file_no, "row")
) WHERE n > 1
"""

# A station-day comes from one file of a batch: the file replaces the station-day as a whole.
TWO_FILES = """
WITH owners AS (
    SELECT station_code, day, min(file_no) AS first_file
    FROM checked WHERE day IS NOT NULL AND station_known GROUP BY station_code, day
    HAVING count(DISTINCT file_no) > 1
)
SELECT c.file_no, min(c."row"), 'station_code', 'station_day_in_two_files', c.station_code,
       CAST(c.day AS VARCHAR), o.first_file
FROM checked c JOIN owners o USING (station_code, day)
WHERE c.file_no <> o.first_file
GROUP BY c.file_no, c.station_code, c.day, o.first_file
"""

# ticket rows are summed per station, day and game; daily rows are unique by then (no duplicates)
FACTS = """
CREATE OR REPLACE TEMP TABLE facts AS
SELECT day AS date, station_code, game, CAST(sum(fen) AS BIGINT) AS amount_fen,
       CAST(sum(CAST(tickets_text AS BIGINT)) AS BIGINT) AS tickets
FROM checked GROUP BY day, station_code, game
"""
FACTS_DAILY_ONLY = """
CREATE OR REPLACE TEMP TABLE facts AS
SELECT day AS date, station_code, game, fen AS amount_fen, CAST(tickets_text AS BIGINT) AS tickets
FROM checked
"""

ERRORS_TABLE = """
CREATE OR REPLACE TEMP TABLE errors (file_no INTEGER, "row" BIGINT, "column" VARCHAR,
    code VARCHAR, value VARCHAR, detail VARCHAR, other_file INTEGER)
"""
RAW_DAILY_TABLE = """
CREATE OR REPLACE TEMP TABLE raw_daily (file_no INTEGER, "row" BIGINT, station_code VARCHAR,
    "date" VARCHAR, game VARCHAR, amount VARCHAR, tickets VARCHAR)
"""


def validate(
    con,
    has_daily: bool,
    has_tickets: bool,
    today: dt.date,
    step: Callable[[str], None] = lambda _: None,
    files: int = 1,
) -> int:
    """Run every check; errors go to the temp table `errors`. Returns the number of errors."""
    if not has_daily:
        con.execute(RAW_DAILY_TABLE)
    parsed = PARSE_DAILY + (f" UNION ALL {PARSE_TICKETS}" if has_tickets else "")
    con.execute(CHECKED.replace("{parsed}", parsed))
    step("parsed")
    con.execute(ERRORS_TABLE)
    for column, code, value, condition in ROW_CHECKS:
        params = [EARLIEST, today] if "?" in condition else []
        con.execute(
            f"INSERT INTO errors SELECT file_no, \"row\", {column}, '{code}', {value}, "
            f"NULL, NULL FROM checked WHERE {condition}",
            params,
        )
    step("rows")
    con.execute(f"INSERT INTO errors {NOT_OPEN}")
    con.execute(f"INSERT INTO errors {SUSPENDED}")
    if con.execute(HAS_DUPLICATES).fetchone()[0]:
        con.execute(f"INSERT INTO errors {DUPLICATES}")
    if has_tickets and con.execute(HAS_DUPLICATE_TICKETS).fetchone()[0]:
        con.execute(f"INSERT INTO errors {DUPLICATE_TICKETS}")
    if files > 1:
        con.execute(f"INSERT INTO errors {TWO_FILES}")
    step("rules")
    return con.execute("SELECT count(*) FROM errors").fetchone()[0]


def first_errors(con, limit: int) -> list[tuple]:
    return con.execute(
        'SELECT file_no, "row", "column", code, value, detail, other_file FROM errors '
        'ORDER BY file_no, "row", "column", code LIMIT ?',
        [limit],
    ).fetchall()


def error_counts_by_file(con) -> dict[int, int]:
    return dict(con.execute("SELECT file_no, count(*) FROM errors GROUP BY file_no").fetchall())


def build_facts(con, has_tickets: bool) -> None:
    con.execute(FACTS if has_tickets else FACTS_DAILY_ONLY)
