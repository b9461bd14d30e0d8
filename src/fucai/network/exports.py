"""Export of stations to Excel, in the layout of the station file (站点台账), so that an export can
be edited and imported again. Owner phone and ID numbers leave the system masked (138****5678);
the import reads a masked value as "unchanged".

The queryset decides what is exported: start it from `Station.objects.restrict(user)` and filter
it as the list page does.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from fucai.core.excel import DATE_FORMAT, TEXT_FORMAT, Column, add_notes_sheet, table_workbook
from fucai.network.imports.layout import (
    COLUMNS,
    NO,
    STATUS_NAMES,
    YES,
    operation_names,
    scene_names,
)
from fucai.network.models import Station, StationStatusChange

SHEET_TITLE = "站点"
NOTES_TITLE = "说明"
COORD_FORMAT = "0.000000"
_FORMATS = {
    "code": TEXT_FORMAT,
    "owner_phone": TEXT_FORMAT,
    "owner_id": TEXT_FORMAT,
    "lon": COORD_FORMAT,
    "lat": COORD_FORMAT,
    "status_date": DATE_FORMAT,
}
_WIDTHS = {"code": 11, "owner_id": 21, "status_date": 12, "lon": 12, "lat": 12}


def stations_workbook(queryset: QuerySet[Station], as_of: dt.date | None = None) -> Workbook:
    """The stations of `queryset` as a workbook: sheet 站点 in the import layout, sheet 说明 with
    when it was made. With `as_of`, 状态/状态日期 are the status on that day, and stations with
    no status by then are left out."""
    stations = queryset.select_related("county__parent", "owner", "partner").order_by("code")
    statuses = status_as_of(stations, as_of)
    if as_of is not None:
        stations = [s for s in stations if s.pk in statuses]
    columns = [Column(c.header, _WIDTHS.get(c.key), _FORMATS.get(c.key)) for c in COLUMNS]
    rows = [station_row(s, statuses.get(s.pk)) for s in stations]
    wb = table_workbook(columns, rows, title=SHEET_TITLE)
    add_notes_sheet(wb, NOTES_TITLE, _notes(len(rows), as_of))
    return wb


def status_as_of(stations, as_of: dt.date | None) -> dict[int, tuple[str, dt.date]]:
    """station id -> (status, date) of its latest status change (on or before `as_of`)."""
    changes = StationStatusChange.objects.filter(station__in=stations)
    if as_of is not None:
        changes = changes.filter(date__lte=as_of)
    latest: dict[int, tuple[str, dt.date]] = {}
    rows = changes.order_by("station_id", "date", "pk").values_list("station_id", "status", "date")
    for station_id, status, date in rows:
        latest[station_id] = (status, date)
    return latest


def station_row(station: Station, status: tuple[str, dt.date] | None) -> list:
    """One station as a row of the file, in the order of `COLUMNS`."""
    owner, partner = station.owner, station.partner
    status_value, status_date = status or (station.status, None)
    values = {
        "code": station.code,
        "name": station.name,
        "city": station.county.parent.name,
        "county": station.county.name,
        "address": station.address,
        "lon": station.lon,
        "lat": station.lat,
        "scene": scene_names().get(station.scene, station.scene),
        "operation": operation_names().get(station.operation, station.operation),
        "brand": station.brand,
        "staff": station.staff_count,
        "terminals": station.terminal_count,
        "partner": partner.name if partner else "",
        "status": STATUS_NAMES.get(status_value, status_value),
        "status_date": status_date,
        **_owner_values(owner),
    }
    return [values[c.key] for c in COLUMNS]


def _owner_values(owner) -> dict:
    if owner is None:
        keys = ("owner_name", "owner_phone", "owner_id", "party", "veteran", "consent")
        return dict.fromkeys(keys, "")
    return {
        "owner_name": owner.name,
        "owner_phone": owner.phone_masked,
        "owner_id": owner.id_number_masked,
        "party": YES if owner.is_party_member else NO,
        "veteran": YES if owner.is_veteran else NO,
        "consent": YES if owner.party_consent else NO,
    }


def _notes(count: int, as_of: dt.date | None) -> list[tuple[str, object]]:
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return [
        (_("Exported at"), now),
        (_("Status as of"), as_of.isoformat() if as_of else _("latest")),
        (_("Stations"), count),
        (
            _("Masking"),
            _(
                "Owner phone and ID numbers are masked; when the file is imported again, "
                "a masked value means “unchanged”."
            ),
        ),
        (_("Layout"), _("See docs/station-import.md: the sheet can be edited and imported again.")),
    ]
