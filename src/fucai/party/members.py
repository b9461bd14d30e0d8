"""A branch's members as the pages and the Excel export show them: names in full (the
Party-affairs officers who see them know them), phones and ID numbers masked
(fucai.core.personal.mask, the one mask)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fucai.core.personal import ID_NUMBER, PHONE, mask


def member_rows(members) -> list[dict]:
    """One dict per member: the member, and the phone and ID number masked."""
    return [
        {
            "member": m,
            "phone": mask(m.phone, PHONE) if m.phone else "",
            "id_number": mask(m.id_number, ID_NUMBER) if m.id_number else "",
        }
        for m in members
    ]


def members_workbook(branch, rows: list[dict]):
    """The member list in Excel, masked as on the page."""
    from fucai.core.excel import add_notes_sheet, table_workbook

    columns = [
        pgettext("person", "Name"),
        _("Role"),
        _("Party group"),
        _("Joined the Party on"),
        _("Cadre"),
        _("Phone"),
        _("ID number"),
        _("User account"),
        _("Left the branch on"),
        _("Reason for leaving"),
    ]
    table = [
        [
            r["member"].name,
            r["member"].get_role_display(),
            r["member"].group.name if r["member"].group_id else "",
            r["member"].joined_on,
            _("Yes") if r["member"].is_cadre else "",
            r["phone"],
            r["id_number"],
            r["member"].user.username if r["member"].user_id else "",
            r["member"].left_on,
            r["member"].get_left_reason_display(),
        ]
        for r in rows
    ]
    workbook = table_workbook(columns, table, title=_("Party members"))
    notes = [
        (_("Party branch"), f"{branch.code} {branch.name}"),
        (_("Members"), len(rows)),
        (_("Personal data"), _("Phones and ID numbers are masked.")),
    ]
    add_notes_sheet(workbook, _("Notes"), notes)
    return workbook
