"""The network sheet of the report packs (fucai.reports, declared in this app's
`report_sections`): per city (the province's pack) or county (a city's), the figures of
`fucai network summary` (fucai.network.summary) at the period's end, and the stations open
when the period began."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

ONE_DAY = dt.timedelta(days=1)


def network_section(scope, period_start: dt.date, period_end: dt.date, as_of: dt.date):
    """The network of `scope` (fucai.core.reporting.ReportScope) over the period, or None when
    it has no station."""
    from fucai.core.reporting import ReportSection
    from fucai.network.models import Station
    from fucai.network.summary import FIGURE_LABELS, network_summary

    last = min(period_end, as_of)
    stations = Station.objects.restrict(scope.grant)
    if last < period_start or not stations.exists():
        return None
    by = "city" if scope.is_province else "county"
    end = network_summary(stations, last, by=by)
    start = {
        g.code: g.open_stations
        for g in network_summary(stations, period_start - ONE_DAY, by=by).groups
    }
    names = [name for _name, name in FIGURE_LABELS]
    columns = [
        _("Code"),
        _("City") if scope.is_province else _("County"),
        _("Open when the period began"),
        *map(str, names),
    ]
    fields = [field for field, _label in FIGURE_LABELS]
    rows = [
        [g.code, g.name, start.get(g.code, 0), *(getattr(g, f) for f in fields)] for g in end.groups
    ]
    rows.append(["", _("Total"), sum(start.values()), *(getattr(end, f) for f in fields)])
    notes = ((_("Network"), _("as of %(day)s (fucai network summary)") % {"day": last}),)
    return ReportSection("network", _("Network"), columns, rows, notes)
