"""Scaling the generator's natural amounts to the targets, exactly, in integer units.

Per year and category a day factor f(d) = a + b·d (linear within the year) is solved so that the
"ytd" and "rest" segments hit their targets: the amounts keep their shape, and there is no step
on 4 September. Groups with a floor (the partner outlets, the Party-member owners) have their
stations scaled up first, if need be, until the calibrated figures clear the floor (and, for a
group with a ceiling too, down below it). Finally
every cell is rounded to whole units (2 yuan, 1 yuan) with the largest-remainder method, so the
cell's sum is its target to the fen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

MIN_FACTOR = 0.25  # a calibration that needs less is a generator out of shape: fail loudly
MAX_BOOST_ROUNDS = 30


class CalibrationError(ValueError):
    """The natural amounts cannot be scaled to the targets sensibly."""


def linear_factors(
    daily: np.ndarray, in_ytd: np.ndarray, target_ytd: float, target_rest: float
) -> np.ndarray:
    """f(d) = a + b·x(d), x running from 0 to 1 over the year, such that Σ daily·f over each
    segment is its target. Without a "rest" segment in the data, f is constant."""
    x = np.linspace(0.0, 1.0, len(daily))
    ytd, rest = daily * in_ytd, daily * ~in_ytd
    if rest.sum() == 0:
        if ytd.sum() == 0:
            raise CalibrationError("no natural sales to calibrate")
        return np.full(len(daily), target_ytd / ytd.sum())
    matrix = np.array([[ytd.sum(), (ytd * x).sum()], [rest.sum(), (rest * x).sum()]])
    a, b = np.linalg.solve(matrix, np.array([target_ytd, target_rest], dtype=np.float64))
    factors = a + b * x
    if factors.min() < MIN_FACTOR * factors.max():
        raise CalibrationError(
            f"calibration factors from {factors.min():.3g} to {factors.max():.3g}"
        )
    return factors


@dataclass(frozen=True)
class YearCells:
    """One year's natural amounts per category: (days, stations) sums and the segment split."""

    by_category: Mapping[str, np.ndarray]  # category -> (days, stations) float64
    in_ytd: np.ndarray  # (days,) bool

    def factors(
        self, targets: Mapping[tuple[str, str], int], boost: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        result = {}
        for category, values in self.by_category.items():
            daily = values @ boost if boost is not None else values.sum(axis=1)
            result[category] = linear_factors(
                daily, self.in_ytd, targets[(category, "ytd")], targets[(category, "rest")]
            )
        return result

    def group_ytd(
        self, mask: np.ndarray, factors: Mapping[str, np.ndarray], boost: np.ndarray
    ) -> float:
        """What the stations in `mask` sell in the ytd segment once calibrated."""
        total = 0.0
        for category, values in self.by_category.items():
            daily = values[:, mask] @ boost[mask]
            total += float((daily * factors[category] * self.in_ytd).sum())
        return total


def boost_groups(
    cells: YearCells,
    targets: Mapping[tuple[str, str], int],
    groups: Sequence[tuple],
) -> np.ndarray:
    """Per-station multipliers (1 for most) that bring each group's calibrated ytd amount to its
    floor: `(name, mask, floor)` lifts a group below it and leaves one above alone;
    `(name, mask, floor, ceiling)` also brings a group above its ceiling down to the floor (a
    figure a report states as "1500余万元" must stay below 1600万)."""
    boost = np.ones(next(iter(cells.by_category.values())).shape[1])
    for _ in range(MAX_BOOST_ROUNDS):
        factors = cells.factors(targets, boost)
        off = []
        for _name, mask, floor, *ceiling in groups:
            amount = cells.group_ytd(mask, factors, boost)
            if amount < floor or (ceiling and amount > ceiling[0]):
                off.append((mask, floor / amount))
        if not off:
            return boost
        for mask, ratio in off:
            boost[mask] *= ratio * 1.001
    names = [group[0] for group in groups]
    raise CalibrationError(f"could not bring {', '.join(names)} within their bounds")


def integerize(values: np.ndarray, target: int) -> np.ndarray:
    """Whole numbers close to `values` (≥ 0) that sum to exactly `target`: floors, plus one for
    the values with the largest remainders."""
    whole = np.floor(values).astype(np.int64)
    missing = int(target - whole.sum())
    remainder = values - whole
    if missing > 0:
        if missing > np.count_nonzero(remainder):
            raise CalibrationError(f"cannot place {missing} units")
        chosen = np.argpartition(remainder, len(values) - missing)[len(values) - missing :]
        whole[chosen] += 1
    elif missing < 0:
        candidates = np.flatnonzero(whole > 0)
        if -missing > len(candidates):
            raise CalibrationError(f"cannot take {-missing} units")
        order = np.argpartition(remainder[candidates], -missing - 1)[:-missing]
        whole[candidates[order]] -= 1
    return whole
