"""Importing the station file: every row is validated first, then all rows are written in one
transaction, or none when any row has an error.

Rows are matched to stations by 站点编号. A row equal to the station changes nothing (no audit
row, no status change), so a file can be imported again. A changed row updates the station in
place; a changed 状态/状态日期 appends a later status change through `Station.transition()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fucai.core.context import acting_as
from fucai.core.grant import grant_for
from fucai.core.personal import ID_NUMBER, PHONE, equal_to
from fucai.core.scope import CHANGE
from fucai.network.choices import STATUS_TRANSITIONS, StationStatus
from fucai.network.imports import cells
from fucai.network.imports.cells import CellError, Masked
from fucai.network.imports.layout import (
    COLUMN_BY_KEY,
    COLUMNS,
    OWNER_KEYS,
    STATUS_NAMES,
    operation_lookup,
    operation_names,
    scene_lookup,
    scene_names,
    status_lookup,
)
from fucai.network.imports.places import DivisionIndex, jiangxi_bbox, km_outside_county
from fucai.network.imports.reading import FileProblem, Sheet, read_sheet
from fucai.network.models import PartnerOrganisation, Station, StationOwner, StationStatusChange
from fucai.network.models.station import station_code_errors
from fucai.network.onboarding import opening_refusal


class _Keep:
    """Marks a value the file does not give (its column is absent): keep what is stored."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
OWNER_FIELDS = ("name", "phone", "id_number", "is_party_member", "is_veteran", "party_consent")
STATION_FIELDS = {  # file column key -> Station field, for the plain fields
    "name": "name",
    "county": "county",
    "address": "address",
    "lon": "lon",
    "lat": "lat",
    "scene": "scene",
    "operation": "operation",
    "brand": "brand",
    "staff": "staff_count",
    "terminals": "terminal_count",
    "partner": "partner",
}
DEFAULTS = {"brand": "", "staff": 1, "terminals": 1, "partner": None}


@dataclass(frozen=True)
class RowError:
    """One problem with the file: where (file, row as Excel shows it, column header) and why."""

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row:
            where.append(_("row %(n)d") % {"n": self.row})
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ImportResult:
    """What an import did (with dry_run: would do): row counts, or the errors that stopped it."""

    filename: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        if not self.ok:
            return _("%(file)s: %(n)d error(s); nothing was changed.") % {
                "file": self.filename,
                "n": len(self.errors),
            }
        text = _(
            "%(file)s: %(rows)d stations — %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged."
        )
        text %= {
            "file": self.filename,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        return text + (" " + _("Dry run: nothing was saved.") if self.dry_run else "")


@dataclass
class OwnerPlan:
    """The owner a row names: an existing StationOwner (maybe with changed details) or a new one."""

    key: tuple
    row: int
    owner: StationOwner | None
    values: dict[str, Any]
    city: Any

    @property
    def changed(self) -> bool:
        return self.owner is None or any(
            getattr(self.owner, k) != v for k, v in self.values.items()
        )


@dataclass
class StationPlan:
    """What one row does to its station."""

    row: int
    station: Station | None
    fields: dict[str, Any]
    changed_fields: list[str]
    owner: OwnerPlan | _Keep | None
    owner_changed: bool
    transition: tuple[str, dt.date] | None

    @property
    def action(self) -> str:
        if self.station is None:
            return CREATED
        dirty = self.changed_fields or self.owner_changed or self.transition
        if not dirty and isinstance(self.owner, OwnerPlan) and self.owner.changed:
            dirty = True
        return UPDATED if dirty else UNCHANGED


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)

    def ok(self, *keys: str) -> bool:
        return not any(k in self.bad for k in keys)


class RowFailed(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row, self.message = row, message


def import_stations(fileobj, filename: str, user, dry_run: bool = False) -> ImportResult:
    """Import a station file (CSV or .xlsx) as `user`: all rows or none.

    Raises PermissionDenied for roles that may not import. See docs/station-import.md."""
    check_can_import(user)
    result = ImportResult(filename=filename, dry_run=dry_run)
    try:
        sheet = read_sheet(fileobj, filename)
    except FileProblem as problem:
        result.errors.append(RowError(filename, problem.row, problem.column, problem.message))
        return result
    importer = StationFileImporter(filename, user)
    plans = importer.plan(sheet)
    result.errors = importer.errors
    if result.errors:
        return result
    for plan in plans:
        setattr(result, plan.action, getattr(result, plan.action) + 1)
    if not dry_run:
        _write(importer, plans, result)
    return result


def _write(importer: StationFileImporter, plans: list[StationPlan], result: ImportResult) -> None:
    try:
        with acting_as(importer.user, "import"), transaction.atomic():
            importer.apply(plans)
    except RowFailed as failure:
        result.errors.append(RowError(result.filename, failure.row, "", failure.message))
    except IntegrityError as exc:
        result.errors.append(
            RowError(
                result.filename, None, "", _("The database refused the import: %(e)s") % {"e": exc}
            )
        )
    if result.errors:
        result.created = result.updated = result.unchanged = 0


def check_can_import(user) -> None:
    """Only the provincial centre and city agencies import stations (None: a system command)."""
    if user is None:
        return
    if not user.is_active or not user.can_edit_master_data:
        raise PermissionDenied(
            _("Only the provincial centre and city agencies may import stations.")
        )


def header(key: str) -> str:
    return COLUMN_BY_KEY[key].header


class StationFileImporter:
    """Validates the rows of one file against the database and applies them."""

    def __init__(self, filename: str, user) -> None:
        self.filename, self.user = filename, user
        # where the user may import: None for a system command (no --user)
        self.reach = None if user is None else grant_for(user).change
        self.errors: list[RowError] = []
        self.places = DivisionIndex()
        self.stations: dict[str, Station] = {}
        self.last_change: dict[int, tuple[str, dt.date]] = {}
        self.owners_by_id: dict[str, StationOwner] = {}
        self.partners: dict[tuple[int, str], PartnerOrganisation] = {}
        self.parsers: dict[str, Callable[[Any], Any]] = {}

    def error(self, row: int | None, key: str, message: str) -> None:
        self.errors.append(RowError(self.filename, row, header(key) if key else "", str(message)))

    # -- validation ---------------------------------------------------------------------------

    def plan(self, sheet: Sheet) -> list[StationPlan]:
        self._check_columns(sheet)
        if self.errors:
            return []
        if not sheet.rows:
            self.errors.append(
                RowError(self.filename, None, "", _("The file has no station rows."))
            )
            return []
        self.parsers = self._cell_parsers()
        parsed = [self._parse(sheet, number, row) for number, row in sheet.rows]
        self._check_duplicate_codes(parsed)
        self._load(parsed)
        plans = [plan for row in parsed if (plan := self._plan(row)) is not None]
        self._check_owner_conflicts(plans)
        self.errors.sort(key=_error_order)
        return plans

    def _check_columns(self, sheet: Sheet) -> None:
        for column in COLUMNS:
            if column.required and not sheet.has(column.key):
                self.error(
                    sheet.header_row,
                    column.key,
                    _("This required column is missing from the header."),
                )
        if not sheet.has("owner_name"):
            for key in OWNER_KEYS:
                if sheet.has(key):
                    self.error(
                        sheet.header_row,
                        key,
                        _("Owner columns need the column %(col)s.") % {"col": header("owner_name")},
                    )

    def _cell_parsers(self) -> dict[str, Callable[[Any], Any]]:
        """Column key -> the function that reads its cell (or raises CellError)."""
        low_lon, low_lat, high_lon, high_lat = jiangxi_bbox()
        return {
            "code": cells.station_code,
            "name": lambda v: cells.required_text(v, 100),
            "city": lambda v: self.places.city(v) if cells.cell_text(v) else None,
            "county": self.places.county,
            "address": lambda v: cells.required_text(v, 200),
            "lon": lambda v: cells.coordinate(v, low_lon, high_lon),
            "lat": lambda v: cells.coordinate(v, low_lat, high_lat),
            "scene": lambda v: cells.choice(v, scene_lookup(), scene_names().values()),
            "operation": lambda v: cells.choice(v, operation_lookup(), operation_names().values()),
            "brand": lambda v: cells.optional_text(v, 40),
            "staff": lambda v: cells.count(v, DEFAULTS["staff"]),
            "terminals": lambda v: cells.count(v, DEFAULTS["terminals"]),
            "owner_name": lambda v: cells.optional_text(v, 40),
            "owner_phone": cells.phone,
            "owner_id": cells.id_number,
            "party": cells.yes_no,
            "veteran": cells.yes_no,
            "consent": cells.yes_no,
            "partner": lambda v: cells.optional_text(v, 100),
            "status": lambda v: cells.choice(v, status_lookup(), STATUS_NAMES.values()),
            "status_date": cells.status_date,
        }

    def _parse(self, sheet: Sheet, number: int, cells_: list) -> ParsedRow:
        row = ParsedRow(number)
        for key, parse in self.parsers.items():
            if not sheet.has(key):
                row.values[key] = KEEP
                continue
            try:
                row.values[key] = parse(sheet.value(cells_, key))
            except CellError as problem:
                row.bad.add(key)
                self.error(number, key, str(problem))
        return row

    def _check_duplicate_codes(self, parsed: list[ParsedRow]) -> None:
        rows_by_code: dict[str, list[ParsedRow]] = {}
        for row in parsed:
            if row.ok("code"):
                rows_by_code.setdefault(row.values["code"], []).append(row)
        for code, rows in rows_by_code.items():
            if len(rows) < 2:
                continue
            numbers = ", ".join(str(r.number) for r in rows)
            for row in rows:
                row.bad.add("code")
                self.error(
                    row.number,
                    "code",
                    _("Station code %(code)s appears more than once in the file (rows %(rows)s).")
                    % {"code": code, "rows": numbers},
                )

    def _load(self, parsed: list[ParsedRow]) -> None:
        """Fetch in bulk what the rows refer to: stations, their last status, owners, partners."""
        codes = [r.values["code"] for r in parsed if r.ok("code")]
        # Only what the user may change: another city's station looks like a new code.
        stations = self._changeable(Station.objects).filter(code__in=codes)
        self.stations = {s.code: s for s in stations.select_related("owner", "county__parent")}
        changes = StationStatusChange.objects.filter(station__code__in=codes).order_by(
            "station_id", "date", "pk"
        )
        for station_id, status, date in changes.values_list("station_id", "status", "date"):
            self.last_change[station_id] = (status, date)
        ids = [r.values.get("owner_id") for r in parsed if r.ok("owner_id")]
        full_ids = [i for i in ids if isinstance(i, str) and i]
        # Keyed by (registering city, ID number): see _resolve_owner for why the city is part.
        self.owners_by_id = {
            (o.city_id, ID_NUMBER.normalise(o.id_number)): o
            for o in StationOwner.objects.filter(equal_to(StationOwner, "id_number", full_ids))
        }
        partners = self._changeable(PartnerOrganisation.objects)
        self.partners = {(p.city_id, p.name): p for p in partners}

    def _changeable(self, objects):
        """The rows of `objects` the importing user may change (all for a system command)."""
        return objects.all() if self.user is None else objects.restrict(self.user, CHANGE)

    def _plan(self, row: ParsedRow) -> StationPlan | None:
        errors_before = len(self.errors)
        values = row.values
        station = self.stations.get(values["code"]) if row.ok("code") else None
        self._check_code_and_scope(row, station)
        self._check_city_column(row)
        self._check_coordinates(row)
        partner = self._partner(row)
        owner = self._owner(row, station)
        transition = self._transition(row, station)
        if len(self.errors) > errors_before or row.bad:
            return None
        fields = self._station_fields(values, station, partner)
        changed = (
            [] if station is None else [f for f, v in fields.items() if _differs(station, f, v)]
        )
        owner_changed = station is not None and _owner_link_changed(station, owner)
        return StationPlan(row.number, station, fields, changed, owner, owner_changed, transition)

    def _check_code_and_scope(self, row: ParsedRow, station: Station | None) -> None:
        values = row.values
        county = values.get("county")
        if row.ok("code", "county"):
            for message in station_code_errors(values["code"], county):
                self.error(row.number, "code", message)
        if self.reach is None or self.reach.everything:
            return
        if row.ok("code") and not values["code"].startswith(self._own_code_prefixes):
            # Whether or not such a station exists: the answer must not tell (_load).
            self.error(row.number, "code", _("The station code does not belong to your city."))
        if row.ok("county") and not self.reach.includes_place(county.parent_id, county.pk):
            self.error(
                row.number,
                "county",
                _("%(county)s is in %(city)s; you may import only stations of your own city.")
                % {"county": county.name, "city": county.parent.name},
            )

    @cached_property
    def _own_code_prefixes(self) -> tuple[str, ...]:
        """What the codes of the stations the user may import start with (36 + the number of
        each city of their reach, or of their counties' cities)."""
        from django.db.models import Q

        from fucai.geo.models import Division

        reach = self.reach
        cities = Division.objects.filter(
            Q(pk__in=reach.cities) | Q(children__pk__in=reach.counties)
        )
        return tuple({city.station_code_prefix for city in cities}) or ("-",)

    def _check_city_column(self, row: ParsedRow) -> None:
        city, county = row.values.get("city"), row.values.get("county")
        if city in (None, KEEP) or not row.ok("city", "county"):
            return
        if county.parent_id != city.pk:
            self.error(
                row.number,
                "city",
                _("%(county)s is in %(real)s, not in %(city)s.")
                % {"county": county.name, "real": county.parent.name, "city": city.name},
            )

    def _check_coordinates(self, row: ParsedRow) -> None:
        if not row.ok("lon", "lat", "county"):
            return
        county, lon, lat = row.values["county"], row.values["lon"], row.values["lat"]
        km = km_outside_county(county.code, lon, lat)
        if km is not None:
            self.error(
                row.number,
                "lon",
                _(
                    "The point (%(lon)s, %(lat)s) lies about %(km).1f km outside "
                    "%(county)s; check the coordinates (GCJ-02) and the county."
                )
                % {"lon": lon, "lat": lat, "km": km, "county": county.name},
            )

    def _partner(self, row: ParsedRow):
        name = row.values.get("partner")
        if name is KEEP:
            return KEEP
        if not name or not row.ok("partner", "county"):
            return None
        county = row.values["county"]
        partner = self.partners.get((county.parent_id, name))
        if partner is None:
            self.error(
                row.number,
                "partner",
                _("No partner organisation “%(name)s” in %(city)s.")
                % {"name": name, "city": county.parent.name},
            )
        return partner

    def _station_fields(self, values: dict, station: Station | None, partner) -> dict[str, Any]:
        fields = {"code": values["code"]} if station is None else {}
        for key, name in STATION_FIELDS.items():
            value = partner if key == "partner" else values[key]
            if value is KEEP:
                if station is not None:
                    continue
                value = DEFAULTS[key]
            fields[name] = value
        return fields

    # -- owners ---------------------------------------------------------------------------------

    def _owner(self, row: ParsedRow, station: Station | None) -> OwnerPlan | _Keep | None:
        values = row.values
        name = values["owner_name"]
        if name is KEEP or not row.ok("owner_name", *OWNER_KEYS):
            return KEEP
        if not name:
            self._check_no_owner_details(row)
            return None
        current = station.owner if station is not None else None
        owner, key = self._resolve_owner(row, current)
        if key is None:
            return None
        details = self._owner_details(row, owner, name)
        if details is None:
            return None
        city = values["county"].parent if row.ok("county") else None
        return OwnerPlan(key, row.number, owner, details, city)

    def _check_no_owner_details(self, row: ParsedRow) -> None:
        for key in OWNER_KEYS:
            value = row.values[key]
            if value not in (KEEP, "", False):
                self.error(
                    row.number,
                    key,
                    _("Given without an owner: fill in %(col)s too, or leave this empty.")
                    % {"col": header("owner_name")},
                )

    def _resolve_owner(self, row: ParsedRow, current: StationOwner | None):
        """(existing owner or None for a new one, dedup key); key None after an error."""
        given = row.values["owner_id"]
        if isinstance(given, Masked):
            if current is not None and given.stands_for(current.id_number, ID_NUMBER):
                return current, ("pk", current.pk)
            self._masked_refused(row, "owner_id")
            return None, None
        if given:
            # An owner is matched only among those registered in the row's own city: a city agency
            # must not learn whether an ID number is known elsewhere (an oracle), so an ID number
            # registered in another city is a new owner record of this city, at dry run and at
            # commit alike (uniqueness is per registering city). The same person may thus be an
            # owner in two cities, each city keeping its own record.
            city_id = row.values["county"].parent_id if row.ok("county") else None
            found = self.owners_by_id.get((city_id, ID_NUMBER.normalise(given)))
            return found, ("pk", found.pk) if found is not None else ("id", city_id, given)
        if current is not None:
            return current, ("pk", current.pk)
        return None, ("row", row.number)

    def _owner_details(self, row: ParsedRow, owner: StationOwner | None, name: str) -> dict | None:
        values = row.values
        details = {"name": name}
        for column, field_name in (("owner_phone", "phone"), ("owner_id", "id_number")):
            value = values[column]
            stored = getattr(owner, field_name) if owner is not None else ""
            kind = PHONE if field_name == "phone" else ID_NUMBER
            if isinstance(value, Masked) and not value.stands_for(stored, kind):
                self._masked_refused(row, column)
                return None
            keep = (
                value is KEEP or isinstance(value, Masked) or (column == "owner_id" and not value)
            )
            details[field_name] = stored if keep else value
        for column, field_name in (
            ("party", "is_party_member"),
            ("veteran", "is_veteran"),
            ("consent", "party_consent"),
        ):
            value = values[column]
            details[field_name] = (
                (getattr(owner, field_name) if owner else False) if value is KEEP else value
            )
        return self._party_identity(row, owner, details)

    def _party_identity(self, row: ParsedRow, owner: StationOwner | None, details: dict):
        """Party identity of a row (fucai.party.vanguard). A new owner's consent is recorded
        with the import's day; an existing owner's is changed only by Party affairs (with its
        date), never by a file. A stored membership is kept when the importer is not shown it
        (else the import would tell who the non-consenting members are)."""
        from fucai.party.vanguard import sees_party_identity

        if owner is not None and details["party_consent"] != owner.party_consent:
            self.error(
                row.number,
                "consent",
                _(
                    "Consent to show Party identity is recorded by Party affairs, with its date "
                    "(党员先锋示范岗); leave this column as it is."
                ),
            )
            return None
        if owner is not None and not sees_party_identity(self.user):
            details["is_party_member"] = owner.is_party_member
        if details["party_consent"] and not details["is_party_member"]:
            self.error(
                row.number, "consent", _("Only a Party member can consent to show Party identity.")
            )
            return None
        return details

    def _masked_refused(self, row: ParsedRow, column: str) -> None:
        """One answer for every masked value that is not exactly the export's: whether a guessed
        hidden digit is right or wrong must not show (no oracle)."""
        self.error(
            row.number,
            column,
            _(
                "A value with * is read as “unchanged” only when it is exactly the masked value "
                "an export of this station wrote; write the full value instead."
            ),
        )

    def _check_owner_conflicts(self, plans: list[StationPlan]) -> None:
        first: dict[tuple, OwnerPlan] = {}
        for plan in plans:
            owner = plan.owner
            if not isinstance(owner, OwnerPlan):
                continue
            seen = first.setdefault(owner.key, owner)
            if seen is not owner and seen.values != owner.values:
                different = [f for f in OWNER_FIELDS if seen.values.get(f) != owner.values.get(f)]
                self.error(
                    plan.row,
                    "owner_name",
                    _("The same owner is given in row %(row)d with different details (%(fields)s).")
                    % {"row": seen.row, "fields": ", ".join(different)},
                )

    # -- status ---------------------------------------------------------------------------------

    def _transition(self, row: ParsedRow, station: Station | None) -> tuple[str, dt.date] | None:
        if not row.ok("status", "status_date"):
            return None
        status, date = row.values["status"], row.values["status_date"]
        last = self.last_change.get(station.pk) if station is not None else None
        if date is None:
            if last is None and status == StationStatus.PLANNED:
                return None
            self.error(row.number, "status_date", _("This column must be filled in (YYYY-MM-DD)."))
            return None
        if last is None:
            return status, date
        if last == (status, date):
            return None
        later = self._later_transition(row, last, status, date)
        refusal = opening_refusal(station, status) if later is not None else None
        if refusal:  # 四帮: a station opens only with its survey done (fucai.network.onboarding)
            self.error(row.number, "status", refusal)
            return None
        return later

    def _later_transition(
        self, row: ParsedRow, last: tuple[str, dt.date], status: str, date: dt.date
    ):
        last_status, last_date = last
        was = {"status": STATUS_NAMES[last_status], "date": last_date}
        if status == last_status:
            self.error(
                row.number,
                "status_date",
                _(
                    "The station has been %(status)s since %(date)s; an import "
                    "cannot change the date of a past status."
                )
                % was,
            )
        elif date < last_date:
            self.error(
                row.number,
                "status_date",
                _(
                    "The station became %(status)s on %(date)s; a new status "
                    "cannot be dated earlier (no going back in time)."
                )
                % was,
            )
        elif status not in STATUS_TRANSITIONS[last_status]:
            self.error(
                row.number,
                "status",
                _("A station that is %(old)s cannot become %(new)s.")
                % {"old": STATUS_NAMES[last_status], "new": STATUS_NAMES[status]},
            )
        else:
            return status, date
        return None

    # -- writing --------------------------------------------------------------------------------

    def apply(self, plans: list[StationPlan]) -> None:
        owners: dict[tuple, StationOwner] = {}
        for plan in plans:
            if plan.action == UNCHANGED:
                continue
            try:
                self._apply(plan, owners)
            except ValidationError as exc:
                raise RowFailed(plan.row, "; ".join(exc.messages)) from exc

    def _apply(self, plan: StationPlan, owners: dict[tuple, StationOwner]) -> None:
        station = plan.station or Station()
        for name, value in plan.fields.items():
            setattr(station, name, value)
        if plan.owner is not KEEP:
            station.owner = self._save_owner(plan.owner, owners)
        if plan.station is None or plan.changed_fields or plan.owner_changed:
            station.save()
        if plan.transition is not None:
            status, date = plan.transition
            note = _("Imported from %(file)s") % {"file": self.filename}
            station.transition(status, date, user=self.user, note=note[:200])

    def _save_owner(
        self, plan: OwnerPlan | None, owners: dict[tuple, StationOwner]
    ) -> StationOwner | None:
        if plan is None:
            return None
        if plan.key in owners:
            return owners[plan.key]
        owner = plan.owner or StationOwner(city=plan.city)
        if plan.changed:
            for name, value in plan.values.items():
                setattr(owner, name, value)
            owner.save()
            if plan.owner is None and owner.party_consent:  # a new owner's consent, dated today
                from fucai.party.vanguard import consent_from_import

                consent_from_import(owner, self.user, self.filename)
        owners[plan.key] = owner
        return owner


_COLUMN_ORDER = {c.header: index for index, c in enumerate(COLUMNS)}


def _error_order(error: RowError) -> tuple[int, int]:
    """Errors as the user reads the file: by row, then by column from left to right."""
    return error.row or 0, _COLUMN_ORDER.get(error.column, -1)


def _differs(station: Station, field_name: str, value) -> bool:
    if field_name in ("county", "partner"):
        return getattr(station, f"{field_name}_id") != (value.pk if value is not None else None)
    return getattr(station, field_name) != value


def _owner_link_changed(station: Station, owner: OwnerPlan | _Keep | None) -> bool:
    """Whether the row gives the station another owner (a new person, another one, or none)."""
    if owner is KEEP:
        return False
    if owner is None:
        return station.owner_id is not None
    return owner.owner is None or owner.owner.pk != station.owner_id
