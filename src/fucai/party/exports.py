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


def pairing_city_rows(result) -> list[list]:
    """Pairing coverage: one row per city."""
    return [
        [
            c.name,
            c.cadres,
            c.stations,
            c.open_stations,
            c.paired_share if c.paired_share is not None else "",
            c.visits,
            c.visits_per_pairing_month if c.visits_per_pairing_month is not None else "",
            c.stale,
        ]
        for c in result.cities
    ]


def pairing_rows(result) -> list[list]:
    """Every pairing lasting on the day, as the page lists it."""
    return [
        [
            r.pairing.station.city.name,
            r.pairing.station.code,
            r.pairing.station.name,
            r.pairing.member.name,
            r.pairing.started_on,
            r.pairing.ended_on or "",
            r.visits,
            r.last_visit or "",
            _("yes") if r.stale else "",
        ]
        for r in result.rows
    ]


def pairing_workbook(result):
    from fucai.core.excel import add_notes_sheet, table_workbook, write_table

    columns = [
        _("City"),
        _("Cadres paired"),
        _("Stations paired"),
        _("Open stations"),
        _("Paired (%)"),
        _("Visits"),
        _("Visits per pairing per month"),
        _("Without a visit in %(n)d days") % {"n": result.stale_days},
    ]
    workbook = table_workbook(columns, pairing_city_rows(result), title=_("Pairing coverage"))
    write_table(workbook.create_sheet(_("Pairings")), pairing_columns(), pairing_rows(result))
    notes = [(_("As of"), result.as_of.isoformat()), (_("Visits from"), result.since.isoformat())]
    add_notes_sheet(workbook, _("Notes"), notes)
    return workbook


def pairing_columns() -> list[str]:
    return [
        _("City"),
        _("Station code"),
        _("Station"),
        _("Cadre"),
        _("Paired from"),
        _("Ended on"),
        _("Visits"),
        _("Last visit"),
        _("No recent visit"),
    ]
