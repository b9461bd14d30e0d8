"""The province's daily rhythm per game, before stations: what a station of size 1 would sell on
each day of the demo's history if it were open.

It multiplies a slow trend per game (快乐8 growing, 即开票 surging in 2023), the seasons, the weekly
rhythm (weekends higher), the draw-day peaks of games that do not draw daily (双色球 Tue/Thu/Sun,
七乐彩 Mon/Wed/Fri, read from Game.draw_weekdays), the 2022 epidemic dips, jackpot runs and
prize promotions, and the market closures of the sales calendar: on a closed day a stopped
category sells nothing, and draw games sell more in the days after they reopen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fucai.sales.demo.targets import DRAW, FIRST_DAY, INSTANT, LAST_DAY

EPOCH = dt.date(1970, 1, 1)

# Yuan per day for a station of size 1, at these days; linear in between.
TREND_KNOTS: dict[str, tuple[tuple[str, float], ...]] = {
    "ssq": (("2021-01-01", 640), ("2022-01-01", 660), ("2023-01-01", 610), ("2023-12-31", 615)),
    "3d": (("2021-01-01", 300), ("2022-01-01", 285), ("2023-01-01", 265), ("2023-12-31", 255)),
    "qlc": (("2021-01-01", 58), ("2022-01-01", 52), ("2023-01-01", 46), ("2023-12-31", 42)),
    "kl8": (("2021-01-01", 250), ("2022-01-01", 380), ("2023-01-01", 420), ("2023-12-31", 465)),
    "instant": (
        ("2021-01-01", 150),
        ("2022-01-01", 138),
        ("2022-12-01", 160),
        ("2023-02-15", 255),
        ("2023-12-31", 300),
    ),
}
GAMES = tuple(sorted(TREND_KNOTS))

# Monday … Sunday.
WEEK_RHYTHM = {
    DRAW: (0.94, 0.95, 0.96, 0.97, 1.02, 1.09, 1.07),
    INSTANT: (0.90, 0.91, 0.93, 0.95, 1.03, 1.22, 1.26),
}
DRAW_DAY, DRAW_EVE, BETWEEN_DRAWS = 1.45, 0.85, 0.72

# The 2022 epidemic: lockdowns in spring, a slowdown in autumn, the infection wave at the turn
# of the year (all games, whole province).
EPIDEMIC_KNOTS = (
    ("2022-03-10", 1.0),
    ("2022-03-25", 0.78),
    ("2022-04-20", 0.80),
    ("2022-05-10", 1.0),
    ("2022-10-20", 1.0),
    ("2022-11-10", 0.90),
    ("2022-12-18", 0.78),
    ("2023-01-12", 0.90),
    ("2023-02-12", 1.0),
)
SEASON_AMPLITUDE = 0.05  # peak in mid-December, trough in mid-June
REBOUND_DAYS, REBOUND = 5, 0.35  # draw games after a closure: +35 % on the first day, fading
HOLIDAY_INSTANT = 1.3  # instant tickets as New-Year gifts during the Spring-Festival closure

JACKPOT_RUNS = {"ssq": 3, "qlc": 1}  # per year: the pool grows for weeks, sales climb, it is won
PROMOTIONS = {"kl8": (1, 1.2), "3d": (1, 1.15), "instant": (2, 1.12)}  # (per year, uplift)


@dataclass(frozen=True)
class GameSpec:
    """A game as the generator needs it (from the Game table)."""

    code: str
    category: str
    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class ProvinceShape:
    """Per day (rows) and game (columns): the level of a size-1 station; `holiday` marks days
    on which draw games are closed but instant tickets sell."""

    days: np.ndarray  # int32 days since 1970-01-01
    games: tuple[GameSpec, ...]
    level: np.ndarray  # (days, games) float64, zero where the game does not sell
    holiday: np.ndarray  # (days,) bool

    def year_slice(self, year: int) -> slice:
        first = (dt.date(year, 1, 1) - EPOCH).days - int(self.days[0])
        last = (dt.date(year, 12, 31) - EPOCH).days - int(self.days[0])
        return slice(max(first, 0), min(last + 1, len(self.days)))


def day_numbers(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> np.ndarray:
    return np.arange((first - EPOCH).days, (last - EPOCH).days + 1, dtype=np.int32)


def knots(points: Sequence[tuple[str, float]], days: np.ndarray) -> np.ndarray:
    x = [(dt.date.fromisoformat(d) - EPOCH).days for d, _ in points]
    return np.interp(days, x, [v for _, v in points])


def weekday_index(days: np.ndarray) -> np.ndarray:
    """0 = Monday … 6 = Sunday (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def draw_rhythm(weekdays: Sequence[int]) -> np.ndarray:
    """Mean-1 factors Monday … Sunday: a draw day peaks, its eve less, days further off least."""
    if not weekdays or len(set(weekdays)) == 7:
        return np.ones(7)
    draws = set(weekdays)
    factors = np.array(
        [
            DRAW_DAY if iso in draws else DRAW_EVE if iso % 7 + 1 in draws else BETWEEN_DRAWS
            for iso in range(1, 8)
        ]
    )
    return factors / factors.mean()


def season(days: np.ndarray) -> np.ndarray:
    years = (days.astype("datetime64[D]").astype("datetime64[Y]")).astype("datetime64[D]")
    day_of_year = (days - years.astype(np.int64)).astype(np.float64)
    return 1.0 + SEASON_AMPLITUDE * np.cos(2 * np.pi * (day_of_year - 350) / 365.25)


def closed_mask(days: np.ndarray, closed: Sequence[dt.date]) -> np.ndarray:
    numbers = np.array([(d - EPOCH).days for d in closed], dtype=np.int32)
    return np.isin(days, numbers)


def rebound(days: np.ndarray, closed: np.ndarray) -> np.ndarray:
    """1 + REBOUND on the first day after a closure, fading to 1 over REBOUND_DAYS days."""
    factor = np.ones(len(days))
    ends = np.flatnonzero(closed[:-1] & ~closed[1:]) + 1
    for start in ends:
        for k in range(REBOUND_DAYS):
            if start + k < len(days) and not closed[start + k]:
                factor[start + k] += REBOUND * (1 - k / REBOUND_DAYS)
    return factor


def jackpot_runs(
    days: np.ndarray, rng: np.random.Generator, runs: int, rhythm: np.ndarray
) -> np.ndarray:
    """Weeks in which a jackpot pool grows: sales climb quadratically to a peak (most on draw
    days), then drop back when it is won."""
    factor = np.ones(len(days))
    draw_day = rhythm[weekday_index(days)] > 1.0
    for _ in range(runs):
        length = int(rng.integers(14, 36))
        start = int(rng.integers(0, max(len(days) - length, 1)))
        peak = float(rng.uniform(1.3, 1.9))
        t = np.arange(length) / length
        climb = (peak - 1.0) * t**2
        span = slice(start, start + length)
        factor[span] *= 1.0 + np.where(draw_day[span], climb, 0.5 * climb)
    return factor


def promotions(days: np.ndarray, rng: np.random.Generator, count: int, uplift: float) -> np.ndarray:
    """Prize promotions (派奖): a few weeks of uniformly higher sales."""
    factor = np.ones(len(days))
    for _ in range(count):
        length = int(rng.integers(21, 43))
        start = int(rng.integers(0, max(len(days) - length, 1)))
        factor[start : start + length] *= uplift
    return factor


def yearly_events(days: np.ndarray, game: GameSpec, seed: int, rhythm: np.ndarray) -> np.ndarray:
    """Jackpot runs and promotions, drawn independently per year and game."""
    factor = np.ones(len(days))
    years = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    for year in np.unique(years):
        in_year = years == year
        rng = np.random.default_rng([seed, 31, int(year), GAMES.index(game.code)])
        part = np.ones(int(in_year.sum()))
        if game.code in JACKPOT_RUNS:
            part *= jackpot_runs(days[in_year], rng, JACKPOT_RUNS[game.code], rhythm)
        if game.code in PROMOTIONS:
            part *= promotions(days[in_year], rng, *PROMOTIONS[game.code])
        factor[in_year] = part
    return factor


def province_shape(
    games: Sequence[GameSpec], closed: dict[str, Sequence[dt.date]], seed: int
) -> ProvinceShape:
    """The shape for `games` (those the generator knows), `closed` giving the closed days of
    each category (from the sales calendar)."""
    games = tuple(sorted((g for g in games if g.code in TREND_KNOTS), key=lambda g: g.code))
    days = day_numbers()
    weekday = weekday_index(days)
    common = season(days) * knots(EPIDEMIC_KNOTS, days)
    shut = {category: closed_mask(days, closed.get(category, ())) for category in (DRAW, INSTANT)}
    holiday = shut[DRAW] & ~shut[INSTANT]
    level = np.empty((len(days), len(games)))
    for column, game in enumerate(games):
        rhythm = draw_rhythm(game.weekdays) if game.category == DRAW else np.ones(7)
        week = np.asarray(WEEK_RHYTHM[game.category])[weekday] * rhythm[weekday]
        values = knots(TREND_KNOTS[game.code], days) * common * week
        values *= yearly_events(days, game, seed, rhythm)
        if game.category == DRAW:
            values *= rebound(days, shut[DRAW])
        else:
            values *= np.where(holiday, HOLIDAY_INSTANT, 1.0)
        level[:, column] = np.where(shut[game.category], 0.0, values)
    return ProvinceShape(days=days, games=games, level=level, holiday=holiday)
