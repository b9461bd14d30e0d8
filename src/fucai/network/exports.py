"""Export of stations to Excel, in the layout of the station file (站点台账), so that an export can
be edited and imported again. Owner phone and ID numbers leave the system masked (138****5678);
the import reads a masked value as "unchanged".

The queryset decides what is exported: start it from `Station.objects.restrict(user)` and filter
it as the list page does.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from fucai.core.excel import (
    DATE_FORMAT,
    TEXT_FORMAT,
    Column,
    StreamedSheet,
    notes_sheet,
    streamed_workbook,
)
from fucai.core.personal import ID_NUMBER, PHONE, mask
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


# The columns read for the file, in one query (no model instances: a row is a tuple).
_PLACE = ("pk", "code", "name", "county__parent__name", "county__name", "address", "lon", "lat")
_BUSINESS = ("scene", "operation", "brand", "staff_count", "terminal_count", "partner__name")
_OWNER = ("owner_id", "owner__name", "owner__phone", "owner__id_number")
_OWNER_FLAGS = ("owner__is_party_member", "owner__is_veteran", "owner__party_consent")
_FIELDS = (*_PLACE, *_BUSINESS, "status", *_OWNER, *_OWNER_FLAGS)


class StationExport(NamedTuple):
    """An exported station file: the .xlsx bytes and how many stations it holds."""

    content: bytes
    count: int


def stations_export(
    queryset: QuerySet[Station], as_of: dt.date | None = None, user=None
) -> StationExport:
    """The stations of `queryset` as an .xlsx file: sheet 站点 in the import layout, sheet 说明
    with when it was made. With `as_of`, 状态/状态日期 are the status on that day, and stations
    with no status by then are left out. Two queries, whatever the number of stations.

    是否党员 and 是否同意公开党员身份 are what `user` may know (fucai.party.vanguard): for anyone
    without Party affairs, 是 for a consenting member (党员先锋示范岗) and empty for every other
    owner, so a member who did not consent looks like anybody else (the import keeps a stored
    Party identity it is not shown). No user: a system command, everything."""
    from fucai.party.vanguard import sees_party_identity

    stations = queryset.order_by("code")
    statuses = status_as_of(stations, as_of)
    rows = stations.values_list(*_FIELDS)
    if as_of is not None:
        rows = [r for r in rows if r[0] in statuses]
    words = _Words(sees_party_identity(user))
    table = [words.row(r, statuses.get(r[0])) for r in rows]
    columns = [Column(c.header, _WIDTHS.get(c.key), _FORMATS.get(c.key)) for c in COLUMNS]
    sheets = [
        StreamedSheet(SHEET_TITLE, columns, table),
        notes_sheet(NOTES_TITLE, _notes(len(table), as_of)),
    ]
    return StationExport(streamed_workbook(sheets), len(table))


def stations_workbook(
    queryset: QuerySet[Station], as_of: dt.date | None = None, user=None
) -> Workbook:
    """`stations_export` read back as an openpyxl workbook (for code that edits it)."""
    content = stations_export(queryset, as_of, user).content
    return load_workbook(io.BytesIO(content))


def status_as_of(stations, as_of: dt.date | None) -> dict[int, tuple[str, dt.date]]:
    """station id -> (status, date) of its latest status change (on or before `as_of`)."""
    changes = StationStatusChange.objects.filter(station__in=stations.values("pk"))
    if as_of is not None:
        changes = changes.filter(date__lte=as_of)
    latest: dict[int, tuple[str, dt.date]] = {}
    rows = changes.order_by("station_id", "date", "pk").values_list("station_id", "status", "date")
    for station_id, status, date in rows:
        latest[station_id] = (status, date)
    return latest


class _Words:
    """The file's words for choices, looked up once per export (not per row)."""

    def __init__(self, party_sight: bool = True) -> None:
        self.scenes, self.operations = scene_names(), operation_names()
        self.party_sight = party_sight

    def row(self, r: tuple, status: tuple[str, dt.date] | None) -> list:
        """One station as a row of the file, in the order of `COLUMNS`."""
        (_pk, code, name, city, county, address, lon, lat, scene, operation, brand) = r[:11]
        staff, terminals, partner, current, owner_id = r[11:16]
        status_value, status_date = status or (current, None)
        values = {
            "code": code,
            "name": name,
            "city": city,
            "county": county,
            "address": address,
            "lon": lon,
            "lat": lat,
            "scene": self.scenes.get(scene, scene),
            "operation": self.operations.get(operation, operation),
            "brand": brand,
            "staff": staff,
            "terminals": terminals,
            "partner": partner or "",
            "status": STATUS_NAMES.get(status_value, status_value),
            "status_date": status_date,
            **_owner_values(owner_id, r[16:], self.party_sight),
        }
        return [values[c.key] for c in COLUMNS]


def _owner_values(owner_id: int | None, owner: tuple, party_sight: bool) -> dict:
    if owner_id is None:
        keys = ("owner_name", "owner_phone", "owner_id", "party", "veteran", "consent")
        return dict.fromkeys(keys, "")
    name, phone, id_number, party, veteran, consent = owner
    values = {
        "owner_name": name,
        "owner_phone": mask(phone, PHONE),
        "owner_id": mask(id_number, ID_NUMBER),
        "party": YES if party else NO,
        "veteran": YES if veteran else NO,
        "consent": YES if consent else NO,
    }
    if not party_sight:  # only a vanguard post's Party identity is shown
        values["party"] = values["consent"] = YES if party and consent else ""
    return values


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
        (
            _("Party identity"),
            _(
                "是否党员 shows a Party member only with their consent (党员先锋示范岗), except to "
                "Party affairs; an empty cell keeps what is stored when the file is imported."
            ),
        ),
        (_("Layout"), _("See docs/station-import.md: the sheet can be edited and imported again.")),
    ]
