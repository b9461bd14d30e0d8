"""The compliance checker: a branch's organisational life in a year, against the rules.

`compliance(branch, year, as_of)` gives, per meeting type, the periods of the year that have
ended by `as_of` (each must be met), how many meetings that requires and how many were held,
the periods missed, and what is due next (the period containing `as_of`, if not yet met).
A period is met when it holds at least the rule's count of meetings of the type — `is_met`,
the one definition, used by the pages, the API, the CLI and the landing panel."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from fucai.party.choices import MeetingType, RulePeriod

# The province's default rules are seeded by migration 0002_default_rules (《中国共产党支部工作条例
# （试行）》 Art. 11-13, 主题党日 monthly, 党课 a local setting); rules are data.


@dataclass(frozen=True)
class Period:
    """One period of a year: a month, a quarter or the year itself."""

    key: str  # "2023-05", "2023-Q2", "2023"
    start: dt.date
    end: dt.date  # inclusive

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


MONTHS = range(1, 13)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def periods(year: int, period: str) -> list[Period]:
    """The periods of a year, in order."""
    if period == RulePeriod.MONTH:
        return [
            Period(f"{year}-{m:02d}", dt.date(year, m, 1), _month_end(year, m))
            for m in range(1, 13)
        ]
    if period == RulePeriod.QUARTER:
        return [
            Period(f"{year}-Q{q}", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
            for q in range(1, 5)
        ]
    return [Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))]


def is_met(held: int, required: int) -> bool:
    """The one definition: a period is met when it holds at least the required number."""
    return held >= required


@dataclass
class TypeCompliance:
    """One meeting type of one branch in one year, as of a day."""

    type: str
    label: str
    period: str
    per_period: int
    source: str
    required: int  # over the periods ended by as_of
    held: int  # meetings held in the year up to as_of
    missing_periods: list[str] = field(default_factory=list)
    due: Period | None = None  # the current period, not yet met
    due_remaining: int = 0

    @property
    def ok(self) -> bool:
        return not self.missing_periods

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "required": self.required,
            "held": self.held,
            "missing_periods": self.missing_periods,
            "period": self.period,
            "per_period": self.per_period,
            "due": self.due.key if self.due else None,
            "due_by": self.due.end.isoformat() if self.due else None,
            "due_remaining": self.due_remaining,
        }


def rules_for(branch) -> dict:
    """The rule of each meeting type for a branch: its own, else the province's."""
    from fucai.party.models import ComplianceRule

    rules = {}
    for rule in ComplianceRule.objects.filter(branch=None):
        rules[rule.meeting_type] = rule
    for rule in ComplianceRule.objects.filter(branch=branch):
        rules[rule.meeting_type] = rule
    return rules


def check_type(rule, dates: list[dt.date], year: int, as_of: dt.date) -> TypeCompliance:
    """One rule against the dates of the meetings of its type in the year."""
    ended = [p for p in periods(year, rule.period) if p.end <= as_of]
    current = next((p for p in periods(year, rule.period) if p.contains(as_of)), None)
    counts = Counter()
    for day in dates:
        for p in periods(year, rule.period):
            if p.contains(day):
                counts[p.key] += 1
    result = TypeCompliance(
        type=rule.meeting_type,
        label=str(MeetingType(rule.meeting_type).label),
        period=rule.period,
        per_period=rule.required,
        source=rule.source,
        required=rule.required * len(ended),
        held=sum(1 for day in dates if day <= as_of),
        missing_periods=[p.key for p in ended if not is_met(counts[p.key], rule.required)],
    )
    if current is not None and not is_met(counts[current.key], rule.required):
        result.due = current
        result.due_remaining = rule.required - counts[current.key]
    return result


def compliance(branch, year: int, as_of: dt.date | None = None) -> list[TypeCompliance]:
    """Each meeting type's compliance for a branch in a year, as of a day (default: the year's
    end, or today if earlier). Meetings after as_of are not counted."""
    from fucai.party.models import Meeting

    if as_of is None:
        as_of = min(dt.date(year, 12, 31), dt.date.today())
    rules = rules_for(branch)
    rows = Meeting.objects.filter(
        branch=branch, held_on__year=year, held_on__lte=as_of
    ).values_list("meeting_type", "held_on")
    dates: dict[str, list[dt.date]] = {}
    for kind, day in rows:
        dates.setdefault(kind, []).append(day)
    return [
        check_type(rules[kind], dates.get(kind, []), year, as_of)
        for kind in MeetingType.values
        if kind in rules
    ]


def report(branches, year: int, as_of: dt.date | None = None) -> dict:
    """The CLI's and the API's shape: branches [{code, name, types [...]}]."""
    return {
        "year": year,
        "as_of": as_of.isoformat() if as_of else None,
        "branches": [
            {
                "code": b.code,
                "name": b.name,
                "types": [t.as_dict() for t in compliance(b, year, as_of)],
            }
            for b in branches
        ],
    }
