"""Template filters of the welfare pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """Yuan (a Decimal) with thousands separators and two decimals in every language: 1,050.00."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def fen(value) -> str:
    """Integer fen as yuan: 105000 → 1,050.00."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(int(value)) / 100:,.2f}"


@register.filter
def person(user) -> str:
    """A user as a step's "by": a Chinese name surname first (李小红), else "first last", else
    the username."""
    last, first = user.last_name or "", user.first_name or ""
    if not (last or first):
        return user.username
    if not (last + first).isascii():
        return f"{last}{first}"
    return f"{first} {last}".strip()
