"""Money in fucai's sales store: integer fen (分) everywhere, Decimal yuan at the edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
CENT = Decimal("0.01")


def fen_to_yuan(fen: int) -> Decimal:
    """12345 fen → Decimal('123.45')."""
    return (Decimal(int(fen)) / 100).quantize(CENT)


def yuan_text(fen: int) -> str:
    """The amount as a decimal string in yuan with two decimals, e.g. "2606000000.00"."""
    return str(fen_to_yuan(fen))


def fen_to_wan(fen: int) -> Decimal:
    """Fen in 万元 (10,000 yuan) with two decimals, half up: 123_456_789 fen → Decimal('123.46')."""
    return (Decimal(int(fen)) / 1_000_000).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan_to_fen(yuan: str | Decimal) -> int:
    """Decimal('123.45') or "123.45" → 12345 fen (exact: yuan have at most two decimals)."""
    return int(Decimal(yuan) * 100)


def yoy_pct(current: int, prior: int) -> Decimal | None:
    """Year-on-year change in percent, rounded half-up to one decimal; None without a base."""
    if prior == 0:
        return None
    return (Decimal(current - prior) * 100 / Decimal(prior)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )


def share_pct(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
