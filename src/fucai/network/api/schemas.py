"""Request and response shapes of the network API. Owners' phone and ID numbers leave the server
masked only; Party identity only as `party_vanguard` (a member who consented to show it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from fucai.core.bounds import BoundedDate, CleanText, OptionalText, SmallCount
from fucai.core.personal import PHONE, mask
from fucai.network.choices import StationOperation, StationScene, StationStatus
from fucai.network.summary import GroupBy


class DivisionRefOut(Schema):
    code: str
    name: str


class PartnerRefOut(Schema):
    id: int
    name: str


class ManagerRefOut(Schema):
    employee_code: str
    name: str


class TerritoryRefOut(Schema):
    code: str
    name: str


class OwnerOut(Schema):
    name: str
    phone_masked: str
    id_number_masked: str
    is_veteran: bool
    party_vanguard: bool

    @staticmethod
    def resolve_party_vanguard(obj) -> bool:
        return obj.is_party_vanguard


class StationOut(Schema):
    code: str
    name: str
    city: DivisionRefOut
    county: DivisionRefOut
    address: str
    lon: float
    lat: float
    scene: str
    scene_label: str
    operation: str
    operation_label: str
    brand: str
    staff_count: int
    terminal_count: int
    status: str
    status_label: str
    opened_on: dt.date | None
    owner: OwnerOut | None
    partner: PartnerRefOut | None

    @staticmethod
    def resolve_scene_label(obj) -> str:
        return str(obj.get_scene_display())

    @staticmethod
    def resolve_operation_label(obj) -> str:
        return str(obj.get_operation_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class StationDetailOut(StationOut):
    manager: ManagerRefOut | None = Field(None, description="Who manages the station today.")
    territory: TerritoryRefOut | None = Field(
        None, description="The territory it belongs to today."
    )
    created: dt.datetime
    updated: dt.datetime


class StationFilterIn(Schema):
    city: OptionalText | None = Field(None, description="City adcode, e.g. 360700 (赣州).")
    county: OptionalText | None = Field(None, description="County adcode, e.g. 360732 (兴国县).")
    scene: StationScene | None = None
    operation: StationOperation | None = None
    status: StationStatus | None = Field(None, description="Current status.")
    q: OptionalText | None = Field(None, description="Part of the code, name or address.")
    party_member: bool | None = Field(
        None, description="Owner is a Party member who consented to show it (党员先锋示范岗)."
    )


class StationWriteFields(Schema):
    """The fields a station is created or changed with (owner and partner by id)."""

    name: CleanText = Field(..., max_length=100)
    county: str = Field(..., description="County adcode.")
    address: CleanText = Field(..., max_length=200)
    lon: Decimal = Field(..., description="Longitude, GCJ-02.")
    lat: Decimal = Field(..., description="Latitude, GCJ-02.")
    scene: StationScene
    operation: StationOperation
    brand: OptionalText = Field("", max_length=40)
    staff_count: SmallCount = 1
    terminal_count: SmallCount = 1
    owner: int | None = Field(None, description="Station owner id.")
    partner: int | None = Field(None, description="Partner organisation id.")


class StationCreateIn(StationWriteFields):
    code: str = Field(..., description="8 digits: 36 + city number + serial, e.g. 36110214.")
    status: StationStatus = Field(
        StationStatus.PLANNED, description="Status the station starts in."
    )
    status_date: BoundedDate | None = Field(
        None, description="Date of that status (2000-01-01 to today); default today."
    )


class StationPatchIn(Schema):
    """Any subset of the writable fields; the code and the status are not changed here."""

    name: CleanText | None = Field(None, max_length=100)
    county: str | None = None
    address: CleanText | None = Field(None, max_length=200)
    lon: Decimal | None = None
    lat: Decimal | None = None
    scene: StationScene | None = None
    operation: StationOperation | None = None
    brand: OptionalText | None = Field(None, max_length=40)
    staff_count: SmallCount | None = None
    terminal_count: SmallCount | None = None
    owner: int | None = None
    partner: int | None = None


class TransitionIn(Schema):
    status: StationStatus
    date: BoundedDate = Field(..., description="2000-01-01 to today.")
    note: OptionalText = Field("", max_length=200)
    override_reason: OptionalText = Field(
        "",
        max_length=200,
        description="Opening a station whose 四帮 site survey is not done: why (needs the "
        "override_onboarding capability).",
    )


class StatusChangeOut(Schema):
    status: str
    status_label: str
    date: dt.date
    note: str
    recorded_by: str | None
    recorded_at: dt.datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return obj.recorded_by.username if obj.recorded_by_id else None


class AssignmentOut(Schema):
    territory: TerritoryRefOut
    manager: ManagerRefOut
    valid_from: dt.date
    valid_to: dt.date | None = Field(None, description="Exclusive; empty while it lasts.")


class StationHistoryOut(Schema):
    code: str
    status_changes: list[StatusChangeOut]
    assignments: list[AssignmentOut]


class TransitionOut(Schema):
    code: str
    status: str
    opened_on: dt.date | None
    change: StatusChangeOut


class SummaryFiguresOut(Schema):
    open_stations: int
    open_at_year_start: int
    net_new_this_year: int
    opened_this_year: int
    closed_this_year: int
    core_urban_new_this_year: int
    jobs_created_this_year: int


class SummaryGroupOut(SummaryFiguresOut):
    code: str
    name: str


class SummaryOut(SummaryFiguresOut):
    as_of: str
    year_start: str
    by: GroupBy | None
    groups: list[SummaryGroupOut]


class ManagerOut(Schema):
    employee_code: str
    name: str
    city: DivisionRefOut
    phone_masked: str
    hired_on: dt.date | None
    status: str
    status_label: str
    territories: list[TerritoryRefOut]
    station_count: int = Field(..., description="Stations assigned today.")

    @staticmethod
    def resolve_phone_masked(obj) -> str:
        return mask(obj.phone, PHONE)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_territories(obj) -> list:
        return list(obj.territories.all())


class TerritoryOut(Schema):
    code: str
    name: str
    city: DivisionRefOut
    manager: ManagerRefOut | None
    station_count: int = Field(..., description="Stations assigned today.")


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    city: DivisionRefOut
    contact_name: str
    partnered_on: dt.date | None
    station_count: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_contact_name(obj) -> str:
        return obj.contact_name_masked  # personal data: masked (fucai.core.personal)
