"""The evaluation sheet of the report packs (fucai.reports, declared in this app's
`report_sections`): the published results of the runs whose period overlaps the pack's, as the
scope sees them (fucai.evaluation.visibility.visible_results with the scope's grant: the
province every row, a city its own row and its market managers')."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def evaluation_section(scope, period_start: dt.date, period_end: dt.date, as_of: dt.date):
    """Published evaluation results of `scope` (fucai.core.reporting.ReportScope) for periods
    overlapping the pack's, or None without any."""
    from fucai.core.reporting import ReportSection
    from fucai.evaluation.indicators import period_bounds
    from fucai.evaluation.visibility import visible_results

    results = (
        visible_results(scope.grant)
        .filter(run__published__isnull=False)
        .select_related("run__scheme", "city")
        .order_by("run__scheme__name", "run__period", "rank", "alternative")
    )
    rows = []
    for r in results:
        start, end = period_bounds(r.run.period)
        if start <= period_end and end >= period_start:
            rows.append(_row(r))
    if not rows:
        return None
    columns = [
        _("Scheme"),
        _("Period"),
        _("Evaluated"),
        _("City"),
        _("Rank"),
        _("Score"),
        _("Grade"),
        _("Pay factor"),
        _("Pay (yuan)"),
    ]
    notes = ((_("Evaluation"), _("published results of the periods overlapping this one")),)
    return ReportSection("evaluation", _("Evaluation results"), columns, rows, notes)


def _row(result) -> list:
    return [
        result.run.scheme.title,
        result.run.period,
        result.label,
        result.city.name if result.city else "",
        result.rank,
        round(result.score, 4),
        result.grade,
        result.pay_factor,
        result.pay,
    ]
