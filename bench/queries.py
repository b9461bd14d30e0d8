"""The cockpit's query set, three ways: through fucai's runners, as hand-written DuckDB SQL over
the raw Parquet facts, and in pandas. Each returns the same normalised answers (integer fen), so
the bench can check that the three agree before it compares their speed.

The questions (what the province cockpit asks for one as-of day, sales/cockpit.py):

1. year to date with the draw/instant split and city groups, against the same window of every
   earlier year (cards, record highs, the city table);
2. the city ranking (this year to date against last year's);
3. the monthly series: every month from January of last year to the as-of month, each against
   the same month a year earlier (the as-of month up to the as-of day in both years);
4. the game mix (year to date per game, this year and last);
5. county year on year for one city (赣州, the map's drill-down);
6. the station ranking (top 100 stations by year-to-date amount, with last year's amount).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

AS_OF = dt.date(2023, 9, 3)
CITY = "360700"  # 赣州
TOP = 100
YEARS = (2021, 2022, 2023)
QUESTIONS = ("ytd_city", "city_ranking", "monthly", "game_mix", "county_yoy", "station_ranking")


def same_day(year: int, day: dt.date = AS_OF) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


# -- fucai -----------------------------------------------------------------------------------------
def fucai_questions(context) -> dict[str, Callable[[], object]]:
    """The runner calls of the cockpit (each returns the runner's typed result)."""
    from fucai.analytics.runners import RankingRunner, SeriesRunner, YearToDateRunner
    from fucai.analytics.scope import Scope

    province, city = Scope.province(), Scope.city(CITY)
    return {
        "ytd_city": lambda: YearToDateRunner(context, province).run(AS_OF, by="city"),
        "city_ranking": lambda: RankingRunner(context, province).run(AS_OF, by="city", top=10_000),
        "monthly": lambda: SeriesRunner(context, province).monthly(AS_OF),
        "game_mix": lambda: YearToDateRunner(context, province).run(
            AS_OF, by="game", history=False
        ),
        "county_yoy": lambda: YearToDateRunner(context, city).run(
            AS_OF, by="county", history=False
        ),
        "station_ranking": lambda: RankingRunner(context, province).run(
            AS_OF, by="station", top=TOP
        ),
    }


def normalise_fucai(results: dict[str, object]) -> dict[str, object]:
    ytd = results["ytd_city"]
    year, prior = AS_OF.year, AS_OF.year - 1
    return {
        "ytd_city": {
            "total": dict(ytd.history),
            "category": {
                (c, y): getattr(f, "amount_fen" if y == year else "prior_amount_fen")
                for c, f in ytd.by_category.items()
                for y in (year, prior)
            },
            "groups": _pairs((g.key, g.amount_fen, g.prior_amount_fen) for g in ytd.groups),
        },
        "city_ranking": [
            (e.group.key, e.group.amount_fen, e.group.prior_amount_fen)
            for e in results["city_ranking"].entries
        ],
        "monthly": {
            p.period: (p.amount_fen, p.prior_amount_fen)
            for p in results["monthly"].points
            if p.amount_fen or p.prior_amount_fen
        },
        "game_mix": _pairs(
            (g.key, g.amount_fen, g.prior_amount_fen) for g in results["game_mix"].groups
        ),
        "county_yoy": _pairs(
            (g.key, g.amount_fen, g.prior_amount_fen) for g in results["county_yoy"].groups
        ),
        "station_ranking": [
            (e.group.key, e.group.amount_fen, e.group.prior_amount_fen)
            for e in results["station_ranking"].entries
        ],
    }


def _pairs(rows) -> dict[str, tuple[int, int]]:
    return {key: (amount, prior) for key, amount, prior in rows if amount or prior}


# -- hand-written DuckDB SQL over the raw Parquet files --------------------------------------------
def raw_views(con, facts: Path, stations: Path) -> None:
    """The views raw_sql's statements read (the paths are bound, never spliced into SQL)."""
    from fucai.core.sql import parquet_view

    parquet_view(con, "facts", [str(facts)])
    parquet_view(con, "stations", [str(stations)])


def _window(year: int) -> str:
    return f"(date BETWEEN DATE '{year}-01-01' AND DATE '{same_day(year)}')"


def raw_sql() -> dict[str, str]:
    """One SQL statement per question, over the views `facts` and `stations` of the raw Parquet
    files (raw_views). Amounts are decimal yuan in the raw file; sums are turned into fen at
    the end (exact)."""
    f, s = "facts", "stations"
    fen = "CAST(sum(amount) * 100 AS BIGINT)"
    this, last = AS_OF.year, AS_OF.year - 1
    in_years = " OR ".join(_window(y) for y in YEARS)
    two_years = f"{_window(this)} OR {_window(last)}"
    return {
        "ytd_city": f"""
            SELECT year(date) AS y,
                   CASE WHEN game = 'instant' THEN 'instant' ELSE 'draw' END AS cat,
                   s.city_code, {fen} AS fen
            FROM {f} JOIN {s} s USING (station_code)
            WHERE {in_years}
            GROUP BY GROUPING SETS ((y), (y, cat), (y, s.city_code))""",
        "city_ranking": f"""
            SELECT s.city_code,
                   CAST(sum(amount) FILTER (WHERE year(date) = {this}) * 100 AS BIGINT),
                   CAST(sum(amount) FILTER (WHERE year(date) = {last}) * 100 AS BIGINT)
            FROM {f} JOIN {s} s USING (station_code)
            WHERE {two_years}
            GROUP BY 1 ORDER BY 2 DESC, 1""",
        "monthly": f"""
            SELECT 'current' AS w, CAST(date_trunc('month', date) AS DATE) AS m, {fen}
            FROM {f} WHERE date BETWEEN DATE '{this - 1}-01-01' AND DATE '{AS_OF}'
            GROUP BY 1, 2
            UNION ALL
            SELECT 'prior', CAST(date_trunc('month', date) + INTERVAL 1 YEAR AS DATE), {fen}
            FROM {f} WHERE date BETWEEN DATE '{this - 2}-01-01' AND DATE '{same_day(last)}'
            GROUP BY 1, 2""",
        "game_mix": f"""
            SELECT game, CAST(sum(amount) FILTER (WHERE year(date) = {this}) * 100 AS BIGINT),
                   CAST(sum(amount) FILTER (WHERE year(date) = {last}) * 100 AS BIGINT)
            FROM {f} WHERE {two_years} GROUP BY 1""",
        "county_yoy": f"""
            SELECT s.county_code,
                   CAST(sum(amount) FILTER (WHERE year(date) = {this}) * 100 AS BIGINT),
                   CAST(sum(amount) FILTER (WHERE year(date) = {last}) * 100 AS BIGINT)
            FROM {f} JOIN {s} s USING (station_code)
            WHERE s.city_code = '{CITY}' AND ({two_years})
            GROUP BY 1""",
        "station_ranking": f"""
            SELECT station_code,
                   CAST(sum(amount) FILTER (WHERE year(date) = {this}) * 100 AS BIGINT) AS a,
                   CAST(sum(amount) FILTER (WHERE year(date) = {last}) * 100 AS BIGINT)
            FROM {f} WHERE {two_years}
            GROUP BY 1 ORDER BY a DESC NULLS LAST, 1 LIMIT {TOP}""",
    }


def normalise_sql(rows: dict[str, list[tuple]]) -> dict[str, object]:
    this, last = AS_OF.year, AS_OF.year - 1
    total, category, groups = {}, {}, {}
    for y, cat, city, fen in rows["ytd_city"]:
        if cat is None and city is None:
            total[y] = fen
        elif city is None:
            if y in (this, last):
                category[(cat, y)] = fen
        elif y in (this, last):
            amount, prior = groups.get(city, (0, 0))
            groups[city] = (fen, prior) if y == this else (amount, fen)
    monthly: dict[dt.date, list[int]] = {}
    for w, month, fen in rows["monthly"]:
        monthly.setdefault(month, [0, 0])[0 if w == "current" else 1] = fen
    first = dt.date(this - 1, 1, 1)
    return {
        "ytd_city": {"total": total, "category": category, "groups": _pairs_of(groups)},
        "city_ranking": [(k, a or 0, p or 0) for k, a, p in rows["city_ranking"]],
        "monthly": {
            m: tuple(v) for m, v in monthly.items() if first <= m <= AS_OF.replace(day=1) and any(v)
        },
        "game_mix": _pairs((k, a or 0, p or 0) for k, a, p in rows["game_mix"]),
        "county_yoy": _pairs((k, a or 0, p or 0) for k, a, p in rows["county_yoy"]),
        "station_ranking": [(k, a or 0, p or 0) for k, a, p in rows["station_ranking"]],
    }


def _pairs_of(groups: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return {k: v for k, v in groups.items() if any(v)}


# -- pandas ----------------------------------------------------------------------------------------
def load_pandas(facts: Path, stations: Path):
    """The facts as a pandas DataFrame (codes and games categorical, date datetime64, amount
    in integer fen) and the station dimension indexed by code."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(facts)
    fen = pc.cast(pc.multiply(table["amount"], pa.scalar(100, pa.decimal128(3, 0))), pa.int64())
    frame = pd.DataFrame(
        {
            "station_code": table["station_code"].to_pandas().astype("category"),
            "date": table["date"].to_pandas(date_as_object=False),
            "game": table["game"].to_pandas().astype("category"),
            "fen": fen.to_numpy(),
        }
    )
    return frame, pd.read_parquet(stations).set_index("station_code")


def pandas_questions(frame, stations) -> dict[str, Callable[[], object]]:
    """Idiomatic pandas: boolean masks per window, map codes to cities, groupby with observed
    categories. Returns normalised answers directly."""
    import pandas as pd

    this, last = AS_OF.year, AS_OF.year - 1
    city_of, county_of = stations["city_code"], stations["county_code"]

    def window(year: int):
        return frame[(frame.date >= pd.Timestamp(year, 1, 1)) & (frame.date <= _ts(same_day(year)))]

    def by(year_frames, key) -> dict[str, tuple[int, int]]:
        sums = {y: key(w).to_dict() for y, w in year_frames.items()}
        keys = set(sums[this]) | set(sums[last])
        return _pairs((k, int(sums[this].get(k, 0)), int(sums[last].get(k, 0))) for k in keys)

    def ytd_city():
        wins = {y: window(y) for y in YEARS}
        category = {}
        for y in (this, last):
            instant = wins[y].game == "instant"
            category[("instant", y)] = int(wins[y].fen[instant].sum())
            category[("draw", y)] = int(wins[y].fen[~instant].sum())
        groups = by(
            wins,
            lambda w: w.fen.groupby(w.station_code.map(city_of), observed=True).sum(),
        )
        return {
            "total": {y: int(w.fen.sum()) for y, w in wins.items()},
            "category": category,
            "groups": groups,
        }

    def ranking(key, top=None):
        wins = {y: window(y) for y in (this, last)}
        table = pd.DataFrame({y: key(w) for y, w in wins.items()}).fillna(0).astype("int64")
        table = table.reset_index(names="key").sort_values([this, "key"], ascending=[False, True])
        table = table.head(top) if top else table[(table[this] != 0) | (table[last] != 0)]
        return [(k, int(a), int(p)) for k, a, p in table[["key", this, last]].itertuples(False)]

    def monthly():
        out: dict[dt.date, list[int]] = {}
        for label, lo, hi, shift in (
            (0, dt.date(this - 1, 1, 1), AS_OF, 0),
            (1, dt.date(this - 2, 1, 1), same_day(last), 1),
        ):
            w = frame[(frame.date >= _ts(lo)) & (frame.date <= _ts(hi))]
            sums = w.fen.groupby([w.date.dt.year, w.date.dt.month]).sum()
            for (y, m), fen in sums.items():
                out.setdefault(dt.date(y + shift, m, 1), [0, 0])[label] = int(fen)
        first = dt.date(this - 1, 1, 1)
        return {m: tuple(v) for m, v in out.items() if first <= m <= AS_OF and any(v)}

    def county_yoy():
        def in_city(w):
            codes = w.station_code.map(city_of)
            w = w[codes == CITY]
            return w.fen.groupby(w.station_code.map(county_of), observed=True).sum()

        return by({y: window(y) for y in (this, last)}, in_city)

    return {
        "ytd_city": ytd_city,
        "city_ranking": lambda: ranking(
            lambda w: w.fen.groupby(w.station_code.map(city_of), observed=True).sum()
        ),
        "monthly": monthly,
        "game_mix": lambda: by(
            {y: window(y) for y in (this, last)},
            lambda w: w.groupby("game", observed=True).fen.sum(),
        ),
        "county_yoy": county_yoy,
        "station_ranking": lambda: ranking(
            lambda w: w.groupby("station_code", observed=True).fen.sum(), top=TOP
        ),
    }


def _ts(day: dt.date):
    import pandas as pd

    return pd.Timestamp(day)
