"""The Party-work sheet of the report packs (fucai.reports, declared in this app's
`report_sections`): each branch of the scope (the province's pack: every branch; a city's: its
agency's branch) and meeting type, the meetings held in the period and the year's compliance
at its end (fucai.party.compliance, as `fucai party compliance` reports it)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

ONE_DAY = dt.timedelta(days=1)


def party_section(scope, period_start: dt.date, period_end: dt.date, as_of: dt.date):
    """Organisational life in `scope` (fucai.core.reporting.ReportScope), or None when the
    scope has no branch with rules."""
    from fucai.core.reporting import ReportSection
    from fucai.party.compliance import compliance
    from fucai.party.models import Branch

    last = min(period_end, as_of)
    # a branch is anchored by itself, not by a city: the province's pack reads every branch
    # (its grant's Party-affairs reach is everything), a city's its agency's branch
    if scope.is_province:
        branches = Branch.objects.restrict(scope.grant)
    else:
        branches = Branch.objects.filter(city_id=scope.city_id)
    rows = []
    for branch in branches.order_by("code"):
        before = {t.type: t.held for t in compliance(branch, last.year, period_start - ONE_DAY)}
        for item in compliance(branch, last.year, last):
            rows.append(_row(branch, item, item.held - before.get(item.type, 0)))
    if not rows or not any(row[3] for row in rows):
        return None
    columns = [
        _("Branch code"),
        _("Branch"),
        _("Type"),
        _("Held in the period"),
        _("Held this year"),
        _("Required so far"),
        _("Missing periods"),
    ]
    notes = ((_("Party work"), _("compliance as of %(day)s") % {"day": last}),)
    return ReportSection("party", _("Party work"), columns, rows, notes)


def _row(branch, item, in_period: int) -> list:
    return [
        branch.code,
        branch.name,
        item.label,
        in_period,
        item.held,
        item.required,
        "、".join(item.missing_periods),
    ]
