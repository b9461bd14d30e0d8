"""A 四强 self-assessment in Excel: one row per checklist item (points, evidence, what is
missing), and a notes sheet with the score per dimension."""

from __future__ import annotations

from django.utils.translation import gettext as _


def _evidence(row) -> str:
    meetings = [
        f"{m.held_on:%Y-%m-%d} {m.get_meeting_type_display()} {m.topic}" for m in row.meetings
    ]
    return "\n".join([*meetings, *(f.original_name for f in row.files)])


def assessment_rows(result) -> list[list]:
    return [
        [
            dimension.label,
            row.item.order,
            row.item.text,
            row.item.points,
            row.points,
            row.suggestion.points if row.suggestion else None,
            row.item.evidence,
            _evidence(row),
            row.note,
            "；".join(row.missing_text),
        ]
        for dimension in result.dimensions
        for row in dimension.items
    ]


def assessment_workbook(result):
    from fucai.core.excel import add_notes_sheet, table_workbook

    columns = [
        _("Dimension"),
        _("Item no."),
        _("Item"),
        _("Item points"),
        _("Awarded"),
        _("Suggested by the records"),
        _("Evidence needed"),
        _("Evidence"),
        _("Note"),
        _("Missing"),
    ]
    workbook = table_workbook(columns, assessment_rows(result), title=_("Four-strong assessment"))
    notes = [
        (_("Party branch"), result.branch.name),
        (_("Year"), result.year),
        (_("Assessed on"), result.as_of.isoformat()),
        (_("Checklist"), str(result.checklist)),
        (_("Score"), f"{result.score} / {result.max_points}"),
        *((d.label, f"{d.score} / {d.max_points}") for d in result.dimensions),
    ]
    add_notes_sheet(workbook, _("Notes"), notes)
    return workbook
