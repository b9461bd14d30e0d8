"""The demo's daily sales, vectorised: per year an array of days × stations × games.

natural amount = province level of the game on the day (shape.py) × station size × the station's
affinity for the game × its maturity (ramp-up, fade-out) × the lift of a cadre pairing (+8 %
from the pairing day, fucai.network.demo.pairing) × daily noise, on the days the station
is open and sells; then calibrated (calibrate.py) to the targets (targets.py) and rounded to
whole units. The result is an Arrow table per year in the store's daily schema, already in the
store's order (date, station code, game). Everything is drawn from streams seeded by the demo
seed, so a seed always gives the same facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from fucai.network.demo.pairing import PAIRING_EFFECT
from fucai.sales.demo import targets as T
from fucai.sales.demo.calibrate import YearCells, boost_groups, integerize
from fucai.sales.demo.shape import EPOCH, GameSpec, ProvinceShape, province_shape
from fucai.sales.demo.stations import StationFrame, load_stations

NOISE_SIGMA = {T.DRAW: 0.3, T.INSTANT: 0.4}
OFF_DAY_SHARE = 0.012  # open, but sold nothing that day (owner away, terminal fault, …)
HOLIDAY_CLOSED_SHARE = 0.4  # stations shut for the Spring Festival while instant tickets sell
TICKET_PRICE_FEN = {"ssq": 1000, "3d": 600, "qlc": 800, "kl8": 1000, "instant": 1000}
DEFAULT_TICKET_PRICE_FEN = 1000

Progress = Callable[[str, int | None], None]


def load_games() -> list[GameSpec]:
    from fucai.sales.models import Game

    return [
        GameSpec(g.code, g.category, tuple(g.weekdays)) for g in Game.objects.filter(is_active=True)
    ]


def load_closures() -> dict[str, list[dt.date]]:
    from fucai.sales.selling_days import SalesCalendar

    calendar = SalesCalendar.load()
    return {c: calendar.closed_days(T.FIRST_DAY, T.LAST_DAY, c) for c in T.CATEGORIES}


@dataclass
class DemoSalesGenerator:
    """Generates the demo's facts for a seed from the network and the games in the database."""

    seed: int
    shape: ProvinceShape
    stations: StationFrame

    @classmethod
    def from_database(cls, seed: int) -> DemoSalesGenerator:
        shape = province_shape(load_games(), load_closures(), seed)
        return cls(seed=seed, shape=shape, stations=load_stations(shape.games, shape.days, seed))

    @property
    def categories(self) -> dict[str, list[int]]:
        """Category -> columns of its games."""
        return {
            c: [j for j, g in enumerate(self.shape.games) if g.category == c] for c in T.CATEGORIES
        }

    # -- natural amounts -----------------------------------------------------------------------
    def natural(self, year: int) -> np.ndarray:
        """(days, stations, games) float32 uncalibrated amounts of one year."""
        span = self.shape.year_slice(year)
        frame, games = self.stations, self.shape.games
        rng = np.random.default_rng([self.seed, 23, year])
        days = span.stop - span.start
        base = (frame.size[:, None] * frame.affinity).astype(np.float32)
        values = self.shape.level[span].astype(np.float32)[:, None, :] * base[None, :, :]
        selling = frame.open_days[:, span].T & (
            rng.random((days, len(frame)), np.float32) >= OFF_DAY_SHARE
        )
        values *= (frame.maturity[:, span].T * selling)[:, :, None]
        values *= self.pairing_lift(span)[:, :, None]
        sigma = np.array([NOISE_SIGMA[g.category] for g in games], dtype=np.float32)
        noise = rng.standard_normal(values.shape, dtype=np.float32)
        noise *= sigma
        noise -= sigma**2 / 2
        values *= np.exp(noise, out=noise)
        del noise
        holiday = np.flatnonzero(self.shape.holiday[span])
        if holiday.size:
            away = rng.random((holiday.size, len(frame)), np.float32) < HOLIDAY_CLOSED_SHARE
            for column in self.categories[T.INSTANT]:
                values[holiday, :, column] *= ~away
        return values

    def pairing_lift(self, span: slice) -> np.ndarray:
        """(days, stations) float32: 1 + PAIRING_EFFECT from a station's pairing day, else 1
        (the demo's known effect of cadre pairing; calibration then scales every station of
        the day alike, so the seed's totals stay exact and the relative lift stays)."""
        paired = self.shape.days[span][:, None] >= self.stations.paired_from[None, :]
        return np.where(paired, np.float32(1 + PAIRING_EFFECT), np.float32(1))

    def year_cells(self, year: int, values: np.ndarray) -> YearCells:
        span = self.shape.year_slice(year)
        in_ytd = self.shape.days[span] <= (T.segment_end(year) - EPOCH).days
        by_category = {
            c: values[:, :, cols].sum(axis=2, dtype=np.float64)
            for c, cols in self.categories.items()
        }
        return YearCells(by_category=by_category, in_ytd=in_ytd)

    # -- calibration ---------------------------------------------------------------------------
    def floors(self) -> list[tuple]:
        fen = T.FEN * T.FLOOR_MARGIN
        return [
            (
                "partner outlets",
                self.stations.partner,
                T.PARTNER_OUTLETS_FLOOR_YUAN * fen,
                T.PARTNER_OUTLETS_CEILING_YUAN * T.FEN,
            ),
            ("Party-member owners", self.stations.party, T.PARTY_OWNERS_FLOOR_YUAN * fen),
        ]

    def year_targets(self, year: int, targets: dict[T.Cell, int]) -> dict[tuple[str, str], float]:
        return {(c, s): float(targets[(year, c, s)]) for c in T.CATEGORIES for s in T.SEGMENTS}

    def boost(self, cells: YearCells, targets: dict[T.Cell, int]) -> np.ndarray:
        """Per-station multipliers lifting the floored groups (partner outlets, vanguard posts)
        to their floors in the seed's window (`cells` of its year). They apply to every year:
        a vanguard post always sold more, rather than jumping on 1 January 2023 (a jump would
        read as a 2023 trend of its own, and blur every measured effect)."""
        year_targets = self.year_targets(T.DEMO_AS_OF.year, targets)
        return boost_groups(cells, year_targets, [f for f in self.floors() if f[1].any()])

    def calibrated(
        self,
        year: int,
        values: np.ndarray,
        cells: YearCells,
        targets: dict[T.Cell, int],
        boost: np.ndarray | None = None,
    ) -> np.ndarray:
        """(days, stations, games) int64 amounts in fen whose cells sum to their targets."""
        year_targets = self.year_targets(year, targets)
        if boost is not None:
            values *= boost.astype(np.float32)[None, :, None]
        factors = cells.factors(year_targets, boost)
        fen = np.zeros(values.shape, dtype=np.int64)
        segments = {T.YTD: np.flatnonzero(cells.in_ytd), T.REST: np.flatnonzero(~cells.in_ytd)}
        for category, cols in self.categories.items():
            unit = T.UNIT_FEN[category]
            for segment, rows in segments.items():
                if not rows.size:
                    continue
                span = slice(rows[0], rows[-1] + 1)
                scaled = values[span][:, :, cols] * (factors[category][span] / unit)[:, None, None]
                units = integerize(scaled.ravel(), targets[(year, category, segment)] // unit)
                fen[span, :, cols] = units.reshape(scaled.shape) * unit
        return fen

    # -- output --------------------------------------------------------------------------------
    def table(self, year: int, fen: np.ndarray) -> pa.Table:
        """The non-zero amounts as daily facts, in date, station, game order."""
        span = self.shape.year_slice(year)
        flat = np.flatnonzero(fen)
        day, station, game = np.unravel_index(flat, fen.shape)
        amounts = fen.ravel()[flat]
        prices = np.array(
            [TICKET_PRICE_FEN.get(g.code, DEFAULT_TICKET_PRICE_FEN) for g in self.shape.games],
            dtype=np.int64,
        )[game]
        game_codes = pa.array([g.code for g in self.shape.games], pa.string())
        return pa.table(
            {
                "date": pa.array(self.shape.days[span][day], pa.int32()).view(pa.date32()),
                "station_code": pa.DictionaryArray.from_arrays(
                    pa.array(station.astype(np.int32)), pa.array(self.stations.codes, pa.string())
                ),
                "game": pa.DictionaryArray.from_arrays(pa.array(game.astype(np.int32)), game_codes),
                "amount_fen": pa.array(amounts),
                "tickets": pa.array((amounts + prices - 1) // prices),
            }
        )

    def tables(self, progress: Progress | None = None) -> Iterator[tuple[int, pa.Table]]:
        """(year, facts) for every year of the history, calibrated."""
        natural = {year: self.natural(year) for year in T.YEARS}
        cells = {year: self.year_cells(year, values) for year, values in natural.items()}
        sums = {
            (year, c, s): float(
                (
                    cells[year].by_category[c].sum(axis=1)
                    * (cells[year].in_ytd if s == T.YTD else ~cells[year].in_ytd)
                ).sum()
            )
            for year in T.YEARS
            for c in T.CATEGORIES
            for s in T.SEGMENTS
        }
        targets = T.cell_targets(sums)
        boost = self.boost(cells[T.DEMO_AS_OF.year], targets)
        for year in T.YEARS:
            values = natural.pop(year)
            fen = self.calibrated(year, values, cells.pop(year), targets, boost)
            del values
            table = self.table(year, fen)
            del fen
            if progress is not None:
                progress(str(year), table.num_rows)
            yield year, table
