"""Template filters of the evaluation pages: one format of a pay factor, of an AHP cell."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pay_factor(value) -> str:
    """0.60, 1.38, 1.3225 (fucai.evaluation.engine.format_factor)."""
    from fucai.evaluation.engine import format_factor

    return format_factor(value)


@register.filter
def person(user) -> str:
    """A user as people are named on the pages: their display name, else their login ("" for
    nobody)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def setting(value) -> str:
    """A scheme's setting value as people read it (ahp → AHP（两两比较）; exports.words)."""
    from fucai.evaluation.exports import words

    return words().get(str(value), str(value))


@register.filter
def grade_of(name, scheme) -> str:
    """A grade's name in the active language (Scheme.grade_label)."""
    return scheme.grade_label(name)
