"""The 四强 self-assessment computed: score, maximum, per dimension, what is missing, and what
the records suggest.

`evaluate(assessment)` (or `evaluate_new(branch, year)` for a year not assessed yet) gives per
checklist item the points awarded, the evidence (meetings, attachments) and what is missing:
not scored, no evidence where the item needs some, or fewer points than it is worth. The score
is the sum of the points awarded, the maximum the sum of the items' points. `suggest(...)`
gives, for the items checked against organisational life, the points the records support: the
item's points times the share of the periods ended by the day that met the rules — the periods
and whether each is met come from fucai.party.compliance, the one checker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fucai.party.choices import AutoCheck, Dimension, MeetingType

# 三会一课: the branch's member assembly, committee and group meetings, and the Party lecture
SANHUI_YIKE = (
    MeetingType.MEMBER_ASSEMBLY,
    MeetingType.COMMITTEE,
    MeetingType.GROUP,
    MeetingType.LECTURE,
)
NOT_SCORED, NO_EVIDENCE, SHORT = "not_scored", "no_evidence", "short"


def checked_types(check: str) -> tuple[str, ...]:
    """The meeting types an item's auto-check looks at."""
    if check == AutoCheck.SANHUI_YIKE:
        return tuple(SANHUI_YIKE)
    return (check,) if check else ()


def checklist_for(year: int):
    """The province's checklist for a year: the latest valid from that year or before."""
    from fucai.party.models import Checklist

    return Checklist.objects.filter(valid_from__lte=year).order_by("-valid_from").first()


def default_day(year: int) -> dt.date:
    """The day a year is assessed as of, by default: its end, or today if earlier."""
    from django.utils import timezone

    return min(dt.date(year, 12, 31), timezone.localdate())


@dataclass(frozen=True)
class Suggestion:
    """The points the records support for an item, and the periods that were not met."""

    points: int
    ended: int  # periods ended by the day, over the item's meeting types
    missing_periods: tuple[str, ...]  # "主题党日 2023-05"

    def as_dict(self) -> dict:
        return {
            "points": self.points,
            "periods_ended": self.ended,
            "missing_periods": list(self.missing_periods),
        }


def suggest(branch, year: int, as_of: dt.date, items) -> dict[int, Suggestion]:
    """For each item checked against organisational life (by pk), the suggested points; an
    item none of whose periods has ended yet gets none."""
    from fucai.party.compliance import compliance

    checked = [item for item in items if item.auto_check]
    if not checked:
        return {}
    by_type = {t.type: t for t in compliance(branch, year, as_of)}
    out = {}
    for item in checked:
        types = [by_type[kind] for kind in checked_types(item.auto_check) if kind in by_type]
        # each type's requirement so far is its rule's count times the periods ended
        ended = sum(t.required // t.per_period for t in types if t.per_period)
        missing = tuple(f"{t.label} {p}" for t in types for p in t.missing_periods)
        if ended:
            points = item.points * (ended - len(missing)) // ended
            out[item.pk] = Suggestion(points, ended, missing)
    return out


@dataclass
class ItemResult:
    """One checklist item of an assessment: what was awarded, the evidence, what is missing."""

    item: object  # ChecklistItem
    answer: object | None = None  # AssessmentAnswer
    meetings: list = field(default_factory=list)
    files: list = field(default_factory=list)
    suggestion: Suggestion | None = None

    @property
    def points(self) -> int | None:
        return self.answer.points if self.answer is not None else None

    @property
    def note(self) -> str:
        return self.answer.note if self.answer is not None else ""

    @property
    def missing(self) -> list[str]:
        """Codes: not scored, no evidence (where the item needs some), fewer points."""
        reasons = []
        if self.points is None:
            reasons.append(NOT_SCORED)
        if self.item.evidence and not (self.meetings or self.files):
            reasons.append(NO_EVIDENCE)
        if self.points is not None and self.points < self.item.points:
            reasons.append(SHORT)
        return reasons

    @property
    def missing_text(self) -> list[str]:
        """The missing reasons as sentences, in the user's language."""
        texts = {
            NOT_SCORED: _("not scored"),
            NO_EVIDENCE: _("no evidence (needs: %(evidence)s)") % {"evidence": self.item.evidence},
            SHORT: _("%(n)s points short") % {"n": self.item.points - (self.points or 0)},
        }
        return [texts[code] for code in self.missing]

    def as_dict(self) -> dict:
        return {
            "order": self.item.order,
            "dimension": self.item.dimension,
            "text": self.item.text,
            "points": self.item.points,
            "evidence_needed": self.item.evidence,
            "awarded": self.points,
            "note": self.note,
            "meetings": [m.pk for m in self.meetings],
            "attachments": [f.pk for f in self.files],
            "suggested": self.suggestion.as_dict() if self.suggestion else None,
            "missing": self.missing,
        }


@dataclass
class DimensionResult:
    """One of the four dimensions: its items, score and maximum."""

    dimension: str
    items: list[ItemResult]

    @property
    def label(self) -> str:
        return str(Dimension(self.dimension).label)

    @property
    def score(self) -> int:
        return sum(r.points or 0 for r in self.items)

    @property
    def max_points(self) -> int:
        return sum(r.item.points for r in self.items)

    @property
    def missing(self) -> list[ItemResult]:
        return [r for r in self.items if r.missing]


@dataclass
class AssessmentResult:
    """A branch's year against the checklist: the score, per dimension, and what is missing."""

    branch: object
    year: int
    checklist: object
    as_of: dt.date
    assessment: object | None
    dimensions: list[DimensionResult]

    @property
    def items(self) -> list[ItemResult]:
        return [r for d in self.dimensions for r in d.items]

    @property
    def score(self) -> int:
        return sum(d.score for d in self.dimensions)

    @property
    def max_points(self) -> int:
        return sum(d.max_points for d in self.dimensions)

    @property
    def missing(self) -> list[ItemResult]:
        return [r for r in self.items if r.missing]

    def as_dict(self) -> dict:
        return {
            "branch": self.branch.code,
            "name": self.branch.name,
            "year": self.year,
            "assessed_on": self.as_of.isoformat(),
            "checklist": self.checklist.name,
            "score": self.score,
            "max": self.max_points,
            "dimensions": [
                {"dimension": d.dimension, "score": d.score, "max": d.max_points}
                for d in self.dimensions
            ],
            "items": [r.as_dict() for r in self.items],
            "missing": [r.item.order for r in self.missing],
        }


def _results(items, answers, suggestions) -> list[DimensionResult]:
    by_item = {a.item_id: a for a in answers}
    rows = {value: [] for value in Dimension.values}
    for item in items:
        answer = by_item.get(item.pk)
        rows[item.dimension].append(
            ItemResult(
                item=item,
                answer=answer,
                meetings=list(answer.meetings.all()) if answer else [],
                files=list(answer.attachments.all()) if answer else [],
                suggestion=suggestions.get(item.pk),
            )
        )
    return [DimensionResult(dim, rows[dim]) for dim in Dimension.values if rows[dim]]


def prefetched(assessments):
    """Assessments with what evaluating them reads (a bounded number of queries)."""
    return assessments.select_related("branch", "checklist").prefetch_related(
        "checklist__items", "answers__meetings", "answers__attachments"
    )


def evaluate(assessment, with_suggestions: bool = True) -> AssessmentResult:
    """An assessment's result (load it with `prefetched` when evaluating several)."""
    items = list(assessment.checklist.items.all())
    suggestions = (
        suggest(assessment.branch, assessment.year, assessment.assessed_on, items)
        if with_suggestions
        else {}
    )
    return AssessmentResult(
        branch=assessment.branch,
        year=assessment.year,
        checklist=assessment.checklist,
        as_of=assessment.assessed_on,
        assessment=assessment,
        dimensions=_results(items, assessment.answers.all(), suggestions),
    )


def evaluate_new(branch, year: int, checklist, as_of: dt.date | None = None) -> AssessmentResult:
    """A year not assessed yet: every item missing, with what the records suggest."""
    as_of = as_of or default_day(year)
    items = list(checklist.items.all())
    return AssessmentResult(
        branch=branch,
        year=year,
        checklist=checklist,
        as_of=as_of,
        assessment=None,
        dimensions=_results(items, [], suggest(branch, year, as_of, items)),
    )
