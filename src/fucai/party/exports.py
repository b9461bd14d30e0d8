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


def area_workbook(rows, as_of: dt.date):
    """The cadres' areas on a day: population, not covered, open leads."""
    from fucai.core.excel import add_notes_sheet, table_workbook

    columns = [
        _("Party branch"),
        _("Area"),
        _("Kind"),
        _("Cadre"),
        _("Assigned from"),
        _("Population"),
        _("Not covered"),
        _("Covered (%)"),
        _("Open leads"),
    ]
    data = [
        [
            r.area.branch.name,
            r.area.label,
            r.area.get_kind_display(),
            r.area.member.name,
            r.area.started_on,
            "" if r.population is None else round(r.population),
            "" if r.uncovered is None else round(r.uncovered),
            "" if r.covered_pct is None else r.covered_pct,
            len(r.leads),
        ]
        for r in rows
    ]
    workbook = table_workbook(columns, data, title=_("Areas"))
    add_notes_sheet(workbook, _("Notes"), [(_("As of"), as_of.isoformat())])
    return workbook


def study_workbook(study):
    """An effect study: the figures, the event study and every setting."""
    from fucai.core.excel import add_notes_sheet, table_workbook, write_table

    r = study.result
    figures = [
        [_("Average effect"), r.get("estimate_pct"), r.get("ci_low_pct"), r.get("ci_high_pct")],
        [
            _("Placebo (before the start)"),
            r.get("placebo_estimate_pct"),
            r.get("placebo_ci_low_pct"),
            r.get("placebo_ci_high_pct"),
        ],
        [
            _("Two-way fixed effects (comparison only)"),
            r.get("twfe_pct"),
            r.get("twfe_ci_low_pct"),
            r.get("twfe_ci_high_pct"),
        ],
    ]
    head = ["", _("Effect (%)"), _("Interval low"), _("Interval high")]
    workbook = table_workbook(head, figures, title=_("Estimate"))
    events = [
        [e["k"], e["coef_pct"], e["ci_low_pct"], e["ci_high_pct"]] for e in r.get("event_study", [])
    ]
    sheet = workbook.create_sheet(_("Event study"))
    write_table(sheet, [_("Months since the start"), *head[1:]], events)
    notes = [
        (_("Treatment"), study.get_treatment_display()),
        (_("City"), study.city.name),
        (_("From"), study.first.isoformat()),
        (_("Until"), study.last.isoformat()),
        (_("Treated / controls"), f"{r.get('n_treated')} / {r.get('n_control')}"),
        (_("Verdict"), r.get("verdict", "")),
        (_("Estimator"), r.get("estimator", "")),
        *[(k, str(v)) for k, v in r.get("settings", {}).items()],
        *[(_("Warning"), w) for w in r.get("warnings", [])],
    ]
    add_notes_sheet(workbook, _("Notes"), notes)
    return workbook
