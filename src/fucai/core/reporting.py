"""What a module's report-pack section receives and gives back (fucai.core.registry,
`Module.report_sections`; the packs themselves are fucai.reports.packs).

A section function `section(scope, period_start, period_end, as_of)` reads its own module's data
for `scope` — the province or one city — over the period (figures as of `as_of`, never later
than the period's end) and returns a `ReportSection`, one sheet of the pack, or None when the
module has nothing for that period and scope (the pack then has no such sheet). It reads through
`scope.grant`, a grant that sees exactly the scope (`Model.objects.restrict(scope.grant)`,
`Scope.for_grant(scope.grant)` for the analytics), so a city's pack holds only its city's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fucai.core.grant import (
    EVERYTHING,
    NOTHING,
    PARTY_AFFAIRS,
    SEE_EVALUATIONS,
    WELFARE_AFFAIRS,
    Grant,
    Reach,
)

PROVINCE = "province"
# the capabilities a pack's grant carries over its scope: what the sections read (never personal
# data, beneficiaries or user accounts)
_PACK_CAPABILITIES = (PARTY_AFFAIRS, WELFARE_AFFAIRS, SEE_EVALUATIONS)


@dataclass(frozen=True)
class ReportScope:
    """The province (`code` "province", no city) or one city (its adcode and primary key)."""

    code: str
    name: str
    city_id: int | None = None

    @property
    def is_province(self) -> bool:
        return self.city_id is None

    @property
    def reach(self) -> Reach:
        return EVERYTHING if self.is_province else Reach.of(cities=[self.city_id])

    @property
    def grant(self) -> Grant:
        """A grant that sees exactly the scope (and changes nothing)."""
        reach = self.reach
        return Grant(
            view=reach,
            change=NOTHING,
            capabilities=dict.fromkeys(_PACK_CAPABILITIES, reach),
            label=self.name,
        )


@dataclass(frozen=True)
class ReportSection:
    """One sheet of a report pack: its title (in the user's language), its columns (headers or
    fucai.core.excel.Column) and rows, and notes for the pack's 说明 sheet."""

    key: str
    title: str
    columns: Sequence
    rows: Sequence[Sequence]
    notes: tuple[tuple[str, str], ...] = field(default_factory=tuple)
