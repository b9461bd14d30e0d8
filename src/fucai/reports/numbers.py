"""Numbers as a Chinese work bulletin writes them — the one module that formats a bulletin's
figures (docs/reports.md, "Numbers"):

- money from integer fen, exactly (Decimal, never float): 亿元 with two decimals, half up
  (2,606,000,000 yuan → "26.06"); 万元 with two decimals, half up;
- percentages with one decimal, half up ("26.6%"); a year-on-year change as 增幅 / 降幅 / 持平;
- "余" ("over"): the value cut down (never rounded up) to its first N significant digits, with
  余 only when the true value is larger than the figure stated — 112 → "100余", 63,055,138 yuan in
  万元 with N=1 → "6000余", 1,537万 with N=2 → "1500余"; a value equal to its round figure is
  written without 余 (1000 → "1000"); a value below 10 is written to two decimals instead
  (1.19万元 → "1.19", never "1余"). A sentence whose 余 figure would be 0 is not written.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

YI_FEN = Decimal(10_000_000_000)  # fen in one 亿元
WAN_FEN = Decimal(1_000_000)  # fen in one 万元
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
OVER = "余"


def fen_in_yi(fen: int) -> Decimal:
    """Fen as 亿元, exact (not rounded)."""
    return Decimal(int(fen)) / YI_FEN


def fen_in_wan(fen: int) -> Decimal:
    """Fen as 万元, exact (not rounded)."""
    return Decimal(int(fen)) / WAN_FEN


def two_decimals(value: Decimal) -> str:
    """26.0555 → "26.06" (half up)."""
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def yi_text(fen: int) -> str:
    """2,606,000,000.00 yuan (260,600,000,000 fen) → "26.06" (亿元)."""
    return two_decimals(fen_in_yi(fen))


def wan_text(fen: int) -> str:
    """327,200 yuan → "32.72" (万元)."""
    return two_decimals(fen_in_wan(fen))


def pct_text(value: Decimal | str) -> str:
    """A percentage with one decimal, half up: Decimal("26.55") → "26.6%"."""
    return f"{Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)}%"


def change_text(pct: Decimal | str) -> str:
    """A year-on-year change in words: 26.6 → "增幅26.6%", -3.2 → "降幅3.2%", 0 → "持平"."""
    value = Decimal(pct).quantize(TENTH, rounding=ROUND_HALF_UP)
    if value > 0:
        return f"增幅{pct_text(value)}"
    if value < 0:
        return f"降幅{pct_text(-value)}"
    return "持平"


def count_change_text(delta: int, unit: str = "个") -> str:
    """A change in a count in words: 876 → "增加876个", -12 → "减少12个", 0 → "持平"."""
    if delta > 0:
        return f"增加{delta}{unit}"
    if delta < 0:
        return f"减少{-delta}{unit}"
    return "持平"


def round_figure(value: Decimal | int, digits: int = 1) -> Decimal | None:
    """The value cut down to its first `digits` significant digits (None below 1):
    1845 → 1000, (digits=2) 1537.2 → 1500, 32.72 → 30."""
    value = Decimal(value)
    if value < 1 or digits < 1:
        return None
    whole = int(value.to_integral_value(rounding=ROUND_DOWN))
    step = 10 ** max(len(str(whole)) - digits, 0)
    return Decimal(whole // step * step)


def over_text(value: Decimal | int, digits: int = 1) -> str:
    """The value as "N余" when it is larger than its round figure N, else N itself:
    112 → "100余", 1000 → "1000", 6305.5 → "6000余", 32.7 → "30余". Below 10 a round figure
    says too little (1.19万 is not "1余万"): the value to two decimals, 1.19 → "1.19",
    0.615 → "0.62", 7 → "7"."""
    value = Decimal(value)
    if value < 10:
        return _two_decimals_trimmed(value)
    figure = round_figure(value, digits)
    return f"{figure}{OVER}" if value > figure else str(figure)


def _two_decimals_trimmed(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
