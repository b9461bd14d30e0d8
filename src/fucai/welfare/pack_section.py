"""The welfare sheet of the report packs (fucai.reports, declared in this app's
`report_sections`): each 公益金 project of the scope with its budget, the yuan committed and
paid by the period's end and paid within it, and the households helped — the figures of
`fucai welfare grants` (fucai.welfare.workflow.summary) at both ends of the period. No
beneficiary is named."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

ONE_DAY = dt.timedelta(days=1)


def welfare_section(scope, period_start: dt.date, period_end: dt.date, as_of: dt.date):
    """Welfare projects and grants of `scope` (fucai.core.reporting.ReportScope), or None when
    it has no project."""
    from fucai.core.excel import Column
    from fucai.core.reporting import ReportSection
    from fucai.welfare.models import Grant, Project
    from fucai.welfare.workflow import summary

    last = min(period_end, as_of)
    projects = Project.objects.restrict(scope.grant)
    grants = Grant.objects.restrict(scope.grant)
    if not projects.exists():
        return None
    end = summary(projects, grants, last)
    before = {
        p["id"]: p["paid_yuan"]
        for p in summary(projects, grants, period_start - ONE_DAY)["projects"]
    }
    money = "#,##0.00"
    columns = [
        Column(_("City")),
        Column(_("Project")),
        Column(_("Source year")),
        Column(_("Budget (yuan)"), number_format=money),
        Column(_("Committed (yuan)"), number_format=money),
        Column(_("Paid (yuan)"), number_format=money),
        Column(_("Paid in the period (yuan)"), number_format=money),
        Column(_("Grants paid")),
    ]
    rows = [
        [
            p["city"],
            p["name"],
            p["source_year"],
            p["budget_yuan"],
            p["committed_yuan"],
            p["paid_yuan"],
            p["paid_yuan"] - before.get(p["id"], 0),
            p["paid_grants"],
        ]
        for p in end["projects"]
    ]
    paid_before = sum(before.values())
    rows.append(
        [
            "",
            _("Total"),
            "",
            sum(p["budget_yuan"] for p in end["projects"]),
            end["committed_yuan"],
            end["paid_yuan"],
            end["paid_yuan"] - paid_before,
            "",
        ]
    )
    notes = (
        (_("Welfare"), _("as of %(day)s (fucai welfare grants)") % {"day": last}),
        (_("Households helped"), str(end["households"])),
    )
    return ReportSection("welfare", _("Welfare"), columns, rows, notes)
