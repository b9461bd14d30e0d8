"""The sales sheet of the report packs (fucai.reports, declared in this app's `report_sections`):
each month of the period per city (the province's pack) or per county (a city's), with the same
month a year earlier, from the sales cockpit's monthly series (`SeriesRunner.monthly`), and the
period's total."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def sales_section(scope, period_start: dt.date, period_end: dt.date, as_of: dt.date):
    """The period's sales in `scope` (fucai.core.reporting.ReportScope), or None without any."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.runners import SeriesRunner
    from fucai.analytics.scope import Scope
    from fucai.core.excel import Column
    from fucai.core.reporting import ReportSection
    from fucai.sales.money import fen_to_yuan, yoy_pct

    last = min(period_end, as_of)
    if last < period_start:
        return None
    by = "city" if scope.is_province else "county"
    runner = SeriesRunner(AnalyticsContext.current(), Scope.for_grant(scope.grant))
    points = [p for p in runner.monthly(last, by=by).points if period_start <= p.period <= last]
    if not any(p.amount_fen or p.prior_amount_fen for p in points):
        return None
    amount = sum(p.amount_fen for p in points)
    prior = sum(p.prior_amount_fen or 0 for p in points)
    money = "#,##0.00"
    columns = [
        Column(_("Month")),
        Column(_("City") if scope.is_province else _("County")),
        Column(_("Sales (yuan)"), number_format=money),
        Column(_("Same period last year (yuan)"), number_format=money),
        Column(_("Year on year (%)"), number_format="0.0"),
    ]
    rows = [
        [
            p.period.strftime("%Y-%m"),
            p.name,
            fen_to_yuan(p.amount_fen),
            fen_to_yuan(p.prior_amount_fen or 0),
            yoy_pct(p.amount_fen, p.prior_amount_fen or 0),
        ]
        for p in points
    ]
    first = f"{period_start:%Y-%m}"
    total_label = first if first == f"{last:%Y-%m}" else f"{first} – {last:%Y-%m}"
    rows.append(
        [total_label, _("Total"), fen_to_yuan(amount), fen_to_yuan(prior), yoy_pct(amount, prior)]
    )
    notes = ((_("Sales"), _("monthly series of the sales cockpit, up to %(day)s") % {"day": last}),)
    return ReportSection("sales", _("Sales"), columns, rows, notes)
