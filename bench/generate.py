"""Generate a benchmark data set: a station network, daily facts as raw files, a loaded store.

    .venv/bin/python bench/generate.py --scale province         # ≈6,000 stations, ≈27M rows
    .venv/bin/python bench/generate.py --scale large            # ≈24,000 stations, ≈108M rows
    .venv/bin/python bench/generate.py --scale mine --stations 12000

Deterministic: the same scale, station count and seed give the same network and the same facts.
Daily facts: 1,000 days (2021-01-01 … 2023-09-27) × stations × 5 games, with a weekly rhythm,
draw-day peaks, draw games stopped on the market closures of the sales calendar (春节/国庆休市),
stations opening and closing during the period, off days, stations that do not sell a game, and
instant tickets doubling in 2023. Amounts are arbitrary fen (two decimals in the files).

Writes (see bench/common.py): the network into the bench's SQLite database, raw/facts.csv (the
import format), raw/facts.parquet and raw/stations.parquet (for raw SQL and pandas) and the
fucai store, loaded through the store's bulk commit (the path the demo uses).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Spec, setup_django, spec_for

GAMES = ("3d", "instant", "kl8", "qlc", "ssq")  # sorted: the store's order
DRAW = np.array([g != "instant" for g in GAMES])
SHARE = np.array([0.14, 0.25, 0.24, 0.04, 0.33])  # of a 2023 station-day
GROWTH = {  # level of the year against 2023: draw games, instant tickets
    2021: (0.82, 0.45),
    2022: (0.86, 0.50),
    2023: (1.0, 1.0),
}
STATION_DAY_YUAN = 1_900.0  # an average station-day in 2023 (≈ 40亿 a year for 6,000 stations)
DRAW_DAYS = {"ssq": (2, 4, 7), "qlc": (1, 3, 5)}  # ISO weekdays of the draws
NOISE_SIGMA = 0.35
OFF_DAY_SHARE = 0.01
PRICE_FEN = np.array([200, 1000, 200, 200, 200])  # fen per ticket


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f}s] {message}", flush=True)


def closed_draw_days(first: dt.date, last: dt.date) -> set[dt.date]:
    from fucai.sales.selling_days import SalesCalendar

    return set(SalesCalendar.load().closed_days(first, last, "draw"))


class FactGenerator:
    """Daily station × game amounts, one chunk of days at a time (vectorised with numpy)."""

    def __init__(self, spec: Spec, stations) -> None:
        rng = np.random.default_rng([spec.seed, 2])
        self.spec = spec
        self.codes = pa.array([s.code for s in stations], pa.string())
        n = len(stations)
        self.size = rng.lognormal(0.0, 0.5, n) * np.exp(-0.125)
        self.affinity = rng.lognormal(0.0, 0.25, (n, len(GAMES)))
        kiosk = np.array([s.scene == "instant_kiosk" for s in stations])
        self.affinity[kiosk] *= ~DRAW  # kiosks sell instant tickets only
        self.affinity[rng.random(n) < 0.04, GAMES.index("qlc")] = 0.0
        self.affinity[rng.random(n) < 0.02, GAMES.index("kl8")] = 0.0
        first = spec.start
        self.opened = np.array([(s.opened - first).days for s in stations])
        self.closed = np.array(
            [(s.closed - first).days if s.closed else spec.days + 1 for s in stations]
        )
        closed = closed_draw_days(first, spec.last_day)
        self.days = [first + dt.timedelta(days=i) for i in range(spec.days)]
        self.draw_closed = np.array([d in closed for d in self.days])
        self.epoch_day = (first - dt.date(1970, 1, 1)).days

    def level(self, day: dt.date) -> np.ndarray:
        """Yuan of an average station per game on a day."""
        draw_growth, instant_growth = GROWTH.get(day.year, (1.0, 1.0))
        level = STATION_DAY_YUAN * SHARE * np.where(DRAW, draw_growth, instant_growth)
        weekday = day.isoweekday()
        for game, days in DRAW_DAYS.items():
            level[GAMES.index(game)] *= 1.5 if weekday in days else 0.75
        if weekday >= 6:
            level[GAMES.index("instant")] *= 1.12
        return level

    def chunk(self, lo: int, hi: int) -> pa.Table:
        """Facts of days [lo, hi) in the store's order (date, station, game)."""
        rng = np.random.default_rng([self.spec.seed, 3, lo])
        days = np.arange(lo, hi)
        n, g = len(self.size), len(GAMES)
        level = np.stack([self.level(self.days[d]) for d in days])  # (days, games)
        level[self.draw_closed[lo:hi]] *= ~DRAW
        open_ = (days[:, None] >= self.opened[None, :]) & (days[:, None] < self.closed[None, :])
        open_ &= rng.random((len(days), n)) >= OFF_DAY_SHARE
        values = level[:, None, :] * (self.size[:, None] * self.affinity)[None, :, :]
        values *= rng.lognormal(-(NOISE_SIGMA**2) / 2, NOISE_SIGMA, values.shape)
        values *= open_[:, :, None]
        fen = np.rint(values * 100).astype(np.int64).ravel()
        keep = np.flatnonzero(fen > 0)
        day_idx, rest = np.divmod(keep, n * g)
        station_idx, game_idx = np.divmod(rest, g)
        fen = fen[keep]
        tickets = np.maximum(1, fen // PRICE_FEN[game_idx])
        date = pa.array((days[day_idx] + self.epoch_day).astype(np.int32), pa.date32())
        return pa.table(
            {
                "date": date,
                "station_code": pa.DictionaryArray.from_arrays(
                    pa.array(station_idx.astype(np.int32)), self.codes
                ),
                "game": pa.DictionaryArray.from_arrays(
                    pa.array(game_idx.astype(np.int8)), pa.array(GAMES)
                ),
                "amount_fen": pa.array(fen, pa.int64()),
                "tickets": pa.array(tickets, pa.int64()),
            }
        )

    def chunks(self, days_per_chunk: int = 31):
        for lo in range(0, self.spec.days, days_per_chunk):
            yield self.chunk(lo, min(lo + days_per_chunk, self.spec.days))


YUAN_TEXT = "printf('%d.%02d', amount_fen // 100, amount_fen % 100)"


def generate_facts(con, generator: FactGenerator, started: float) -> int:
    con.execute(
        "CREATE TABLE facts (date DATE, station_code VARCHAR, game VARCHAR, "
        "amount_fen BIGINT, tickets BIGINT)"
    )
    for table in generator.chunks():
        con.register("_chunk", table)
        con.execute(
            "INSERT INTO facts SELECT date, CAST(station_code AS VARCHAR), CAST(game AS VARCHAR), "
            "amount_fen, tickets FROM _chunk"
        )
        con.unregister("_chunk")
    rows = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    log(f"generated {rows:,} daily facts", started)
    return rows


def write_raw_files(con, spec: Spec, started: float) -> None:
    spec.raw.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY (SELECT station_code, date, game, CAST({YUAN_TEXT} AS DECIMAL(18, 2)) AS amount, "
        "tickets FROM facts) TO ? (FORMAT parquet, COMPRESSION zstd)",
        [str(spec.parquet)],
    )
    log(f"wrote {spec.parquet.name} ({spec.parquet.stat().st_size / 2**20:,.0f} MiB)", started)
    con.execute(
        f"COPY (SELECT station_code, strftime(date, '%Y-%m-%d') AS date, game, "
        f"{YUAN_TEXT} AS amount, tickets FROM facts) TO ? (HEADER, QUOTE '')",
        [str(spec.csv)],
    )
    log(f"wrote {spec.csv.name} ({spec.csv.stat().st_size / 2**20:,.0f} MiB)", started)


def load_store(con, started: float) -> None:
    from fucai.sales.dimensions import current_dimensions
    from fucai.sales.store import SalesStore

    store = SalesStore()
    store.clear()
    result = store.replace_station_days(con, "facts")
    store.gc(grace=dt.timedelta(0))
    current_dimensions(store)
    log(f"loaded the store: years {list(result.changed_years)}", started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province", help="province, large or a name of yours")
    parser.add_argument("--stations", type=int, help="number of stations (default: the scale's)")
    parser.add_argument("--no-store", action="store_true", help="raw files only")
    args = parser.parse_args(argv)
    spec = spec_for(args.scale, args.stations)
    started = time.monotonic()
    if spec.root.exists():
        shutil.rmtree(spec.root)
    setup_django(spec.fucai_dir)

    import duckdb
    from django.core.management import call_command
    from network import plan_stations, stations_dimension, write_network

    call_command("migrate", verbosity=0)
    stations = plan_stations(spec.stations, spec.start, spec.days, spec.seed)
    write_network(stations)
    log(f"network: {len(stations):,} stations", started)
    spec.raw.mkdir(parents=True, exist_ok=True)
    import pyarrow.parquet as pq

    pq.write_table(stations_dimension(), spec.stations_parquet)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    rows = generate_facts(con, FactGenerator(spec, stations), started)
    write_raw_files(con, spec, started)
    if not args.no_store:
        load_store(con, started)
    total = con.execute("SELECT sum(amount_fen)::BIGINT FROM facts").fetchone()[0]
    con.close()
    info = {**spec.to_json(), "rows": rows, "amount_fen": total, "generated_at": _now()}
    (spec.root / "spec.json").write_text(json.dumps(info, indent=1))
    log("done", started)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


if __name__ == "__main__":
    main()
