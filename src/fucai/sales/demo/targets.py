"""The figures the demo's sales are calibrated to, and the exact amounts (integer fen) of each
calibration cell that produce them.

A cell is (year, category, segment): the segment is "ytd" (1 January to 3 September, the seed
report's window) or "rest" (4 September to 31 December). The seed report gives the 2023 window
and its growth; the public figure gives 2023's full year and its growth; the prior-year amounts
follow from the growth rates. Where the report says nothing (how the rest of a year splits into
draw games and instant tickets, and all of 2021), the generator's own shape decides.

Amounts are whole multiples of a unit: 2 yuan for draw games (a bet costs 2 yuan) and 1 yuan for
instant tickets, so every stored daily amount looks like real takings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from fucai.network.demo.targets import DEMO_AS_OF, HISTORY_START
from fucai.sales.choices import GameCategory

# 4: paired stations sell 8 % more from their pairing day; the Party floor is the vanguard posts'
SALES_DEMO_VERSION = "5"  # 5: the partner outlets below their ceiling (1500余万元)
FIRST_DAY = HISTORY_START
LAST_DAY = dt.date(2023, 12, 31)
YEARS = (2021, 2022, 2023)
DRAW, INSTANT = str(GameCategory.DRAW), str(GameCategory.INSTANT)
CATEGORIES = (DRAW, INSTANT)
YTD, REST = "ytd", "rest"
SEGMENTS = (YTD, REST)

Cell = tuple[int, str, str]  # (year, category, segment)

# The seed report (截至9月3日) and the public full-year figure, in yuan.
YTD_TOTAL_YUAN = 2_606_000_000  # 26.06亿元
YTD_TOTAL_GROWTH = Fraction("1.266")  # +26.6 %
YTD_INSTANT_YUAN = 575_000_000  # 5.75亿元
YTD_INSTANT_GROWTH = Fraction("2.169")  # +116.9 %
YEAR_TOTAL_YUAN = 4_063_000_000  # 40.63亿元
YEAR_TOTAL_GROWTH = Fraction("1.31")  # +31 %
# Not in the report: 2021 a little below 2022.
YEAR_2021_TOTAL_YUAN = 2_962_000_000

# Groups of stations with a floor on their 2023 window ("over 15,000,000 yuan", "over 60,000,000").
PARTNER_OUTLETS_FLOOR_YUAN = 15_000_000
PARTNER_OUTLETS_CEILING_YUAN = 15_900_000  # "1500余万元": below 1600万 with room for rounding
PARTY_OWNERS_FLOOR_YUAN = 60_000_000
FLOOR_MARGIN = 1.05  # aim this much above a floor

UNIT_FEN = {DRAW: 200, INSTANT: 100}
FEN = 100


def segment_end(year: int) -> dt.date:
    """The last day of a year's "ytd" segment (3 September)."""
    return DEMO_AS_OF.replace(year=year)


def nearest(value: Fraction | float, unit: int) -> int:
    """The multiple of `unit` nearest to `value` (halves away from zero are fine here)."""
    return round(Fraction(value) / unit) * unit


def split(total: int, instant_share: float) -> dict[str, int]:
    """A segment total (a multiple of 2 yuan) as draw and instant amounts, both whole units."""
    instant = nearest(Fraction(total) * Fraction(instant_share), UNIT_FEN[DRAW])
    return {DRAW: total - instant, INSTANT: instant}


def instant_share(natural: Mapping[Cell, float], year: int, segment: str) -> float:
    draw, instant = natural[(year, DRAW, segment)], natural[(year, INSTANT, segment)]
    return instant / (draw + instant)


def cell_targets(natural: Mapping[Cell, float]) -> dict[Cell, int]:
    """The exact amount in fen of every cell. `natural` holds the generator's uncalibrated sums
    per cell, used only where the report leaves the split open."""
    ytd_instant_23 = YTD_INSTANT_YUAN * FEN
    ytd_draw_23 = YTD_TOTAL_YUAN * FEN - ytd_instant_23
    ytd_instant_22 = nearest(Fraction(ytd_instant_23) / YTD_INSTANT_GROWTH, UNIT_FEN[INSTANT])
    ytd_total_22 = Fraction(YTD_TOTAL_YUAN * FEN) / YTD_TOTAL_GROWTH
    ytd_draw_22 = nearest(ytd_total_22 - ytd_instant_22, UNIT_FEN[DRAW])
    rest_23 = (YEAR_TOTAL_YUAN - YTD_TOTAL_YUAN) * FEN
    year_22 = Fraction(YEAR_TOTAL_YUAN * FEN) / YEAR_TOTAL_GROWTH
    rest_22 = nearest(year_22 - ytd_draw_22 - ytd_instant_22, UNIT_FEN[DRAW])
    targets: dict[Cell, int] = {
        (2023, DRAW, YTD): ytd_draw_23,
        (2023, INSTANT, YTD): ytd_instant_23,
        (2022, DRAW, YTD): ytd_draw_22,
        (2022, INSTANT, YTD): ytd_instant_22,
    }
    for year, total in ((2023, rest_23), (2022, rest_22)):
        for category, amount in split(total, instant_share(natural, year, REST)).items():
            targets[(year, category, REST)] = amount
    targets |= targets_2021(natural)
    check_reported_figures(targets)
    return targets


def targets_2021(natural: Mapping[Cell, float]) -> dict[Cell, int]:
    """2021 has no reported figure: its year total, split like the generator's shape."""
    total = YEAR_2021_TOTAL_YUAN * FEN
    ytd_natural = natural[(2021, DRAW, YTD)] + natural[(2021, INSTANT, YTD)]
    rest_natural = natural[(2021, DRAW, REST)] + natural[(2021, INSTANT, REST)]
    ytd = nearest(
        Fraction(total) * Fraction(ytd_natural / (ytd_natural + rest_natural)), UNIT_FEN[DRAW]
    )
    targets = {}
    for segment, amount in ((YTD, ytd), (REST, total - ytd)):
        for category, part in split(amount, instant_share(natural, 2021, segment)).items():
            targets[(2021, category, segment)] = part
    return targets


def pct(current: int, prior: int, places: str) -> Decimal:
    return (Decimal(current - prior) * 100 / Decimal(prior)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


def check_reported_figures(targets: Mapping[Cell, int]) -> None:
    """The cells must reproduce the report's figures as the analytics round them."""

    def total(year: int, segments=SEGMENTS, categories=CATEGORIES) -> int:
        return sum(targets[(year, c, s)] for c in categories for s in segments)

    checks = {
        "ytd yoy": (pct(total(2023, (YTD,)), total(2022, (YTD,)), "0.1"), Decimal("26.6")),
        "instant yoy": (
            pct(total(2023, (YTD,), (INSTANT,)), total(2022, (YTD,), (INSTANT,)), "0.1"),
            Decimal("116.9"),
        ),
        "year yoy": (pct(total(2023), total(2022), "0.1"), Decimal("31.0")),
        "ytd total": (total(2023, (YTD,)), YTD_TOTAL_YUAN * FEN),
        "year total": (total(2023), YEAR_TOTAL_YUAN * FEN),
    }
    wrong = {name: got for name, (got, expected) in checks.items() if got != expected}
    if wrong:
        raise ValueError(f"demo sales targets do not give the report's figures: {wrong}")
    for cell, amount in targets.items():
        if amount <= 0 or amount % UNIT_FEN[cell[1]]:
            raise ValueError(
                f"demo sales target {cell} = {amount} fen is not a positive whole unit"
            )
