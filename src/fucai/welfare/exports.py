"""Excel exports of the welfare activities and the welfare posts (read as tuples)."""

from __future__ import annotations


def activity_workbook(activities, year: int):
    from django.utils.translation import gettext as _

    from fucai.core.excel import add_notes_sheet, table_workbook
    from fucai.welfare.choices import ActivityKind

    kinds = dict(ActivityKind.choices)
    rows = activities.order_by("held_on", "pk").values_list(
        "held_on", "kind", "title", "city__name", "county__name", "address", "lon", "lat",
        "people_reached", "note",
    )  # fmt: skip
    columns = [
        _("Date"), _("Kind"), _("Title"), _("City"), _("County"), _("Address"),
        _("Longitude"), _("Latitude"), _("People reached"), _("Note"),
    ]  # fmt: skip
    lines = [
        [day, str(kinds.get(kind, kind)), title, city, county or "", address, lon, lat, n, note]
        for day, kind, title, city, county, address, lon, lat, n, note in rows
    ]
    wb = table_workbook(columns, lines, title=_("Activities"))
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("Year"), year),
            (_("Activities"), len(lines)),
            (_("People reached"), sum(r[8] for r in lines)),
        ],
    )
    return wb


def post_workbook(stations):
    from django.utils.translation import gettext as _

    from fucai.core.excel import table_workbook
    from fucai.welfare.choices import PostService

    labels = dict(PostService.choices)
    rows = stations.values_list(
        "code", "name", "city__name", "county__name", "address", "status",
        "welfare_post__services", "welfare_post__opening_note",
    )  # fmt: skip
    columns = [
        _("Station"), _("Name"), _("City"), _("County"), _("Address"), _("Status"),
        _("Services"), _("Opening note"),
    ]  # fmt: skip
    lines = [
        [code, name, city, county, address, status,
         "、".join(str(labels[s]) for s in services or [] if s in labels), note or ""]
        for code, name, city, county, address, status, services, note in rows
    ]  # fmt: skip
    return table_workbook(columns, lines, title=_("Welfare posts"))
