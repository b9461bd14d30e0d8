"""Compliance in Excel (the page's export and `fucai party compliance --format xlsx`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def compliance_rows(pairs) -> list[list]:
    """One row per branch and meeting type."""
    return [
        [
            branch.code,
            branch.name,
            item.label,
            item.required,
            item.held,
            "、".join(item.missing_periods),
            item.due.key if item.due else "",
            item.source,
        ]
        for branch, items in pairs
        for item in items
    ]


def compliance_workbook(pairs, year: int, as_of: dt.date):
    from fucai.core.excel import add_notes_sheet, table_workbook

    columns = [
        _("Branch code"),
        _("Branch"),
        _("Type"),
        _("Required so far"),
        _("Held"),
        _("Missing periods"),
        _("Due next"),
        _("Rule"),
    ]
    workbook = table_workbook(columns, compliance_rows(pairs), title=_("Compliance"))
    add_notes_sheet(workbook, _("Notes"), [(_("Year"), year), (_("As of"), as_of.isoformat())])
    return workbook
