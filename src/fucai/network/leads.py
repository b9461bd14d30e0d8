"""Leads (布点机会): recording one against the spacing rules, its dated steps, its conversion into
a station, the point layers' import and the leads' Excel export. Pages, the API and the command
call these; who may do what comes from the grant (fucai.accounts.grants)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fucai.core.grant import CHANGE, EDIT_MASTER_DATA, OVERRIDE_SPACING, grant_for
from fucai.network.choices import LEAD_TRANSITIONS, LeadStatus, StationStatus
from fucai.network.models import LayerPoint, Lead, LeadStatusChange, PointLayer, Station
from fucai.network.spacing import check_site

MAX_LAYER_POINTS = 200_000


def may_override(user, city_id: int) -> bool:
    """May `user` record a lead in this city despite a spacing rule (with a reason)?"""
    return grant_for(user).capability(OVERRIDE_SPACING).includes_place(city_id)


def may_record(user, county) -> bool:
    """May `user` record or change leads in this county (edit master data there)?"""
    grant = grant_for(user)
    return grant.capability(EDIT_MASTER_DATA).includes_place(
        county.parent_id, county.pk
    ) and grant.reach(CHANGE).includes_place(county.parent_id, county.pk)


def lead_violations(lead: Lead) -> list:
    return check_site(lead.lon, lead.lat, lead.operation, lead.scene, lead.county.parent_id)


def hide_unseen(violations: list, user) -> list:
    """The violations as `user` may read them: a station outside the user's view is named only
    "another station" (the site is too near, but which station is there is not the user's to
    know). Without a user (the command line) every offender is named."""
    import dataclasses

    from fucai.network.choices import SpacingTarget
    from fucai.network.models import SpacingRule

    if user is None or not violations:
        return violations
    station_rules = set(
        SpacingRule.objects.filter(
            pk__in=[v.rule_id for v in violations], target=SpacingTarget.STATIONS
        ).values_list("pk", flat=True)
    )
    codes = [v.offender for v in violations if v.rule_id in station_rules]
    seen = set(Station.objects.restrict(user).filter(code__in=codes).values_list("code", flat=True))
    return [
        dataclasses.replace(v, offender=_("another station"))
        if v.rule_id in station_rules and v.offender not in seen
        else v
        for v in violations
    ]


def visible_violations(lead: Lead, user) -> list:
    """The rules the lead's site breaks, offenders named as `user` may read them."""
    return hide_unseen(lead_violations(lead), user)


NEARBY_M = 500  # the lead's map shows the stations the user sees this close


def map_points(lead: Lead, user, violations: list) -> list[dict]:
    """What the lead's map draws around it: the offenders of `violations` (as `user` may read
    them: a station they do not see is not drawn) and the other stations they see within
    NEARBY_M metres (not closed), each with its GCJ-02 position and distance, nearest first."""
    from fucai.network.choices import SpacingTarget
    from fucai.network.models import SpacingRule
    from fucai.network.spacing import bounding_box, distance_m

    lon, lat = float(lead.lon), float(lead.lat)
    layers = dict(
        SpacingRule.objects.filter(
            pk__in=[v.rule_id for v in violations], target=SpacingTarget.LAYER
        ).values_list("pk", "layer_id")
    )
    points = []
    for v in violations:
        if v.rule_id in layers:
            found = LayerPoint.objects.filter(layer_id=layers[v.rule_id], name=v.offender)
        else:
            found = Station.objects.restrict(user).filter(code=v.offender)
        for plon, plat in found.values_list("lon", "lat")[:1]:
            points.append(_point(f"{v.offender} · {v.rule}", plon, plat, "offender", lead))
    offenders = {v.offender for v in violations}
    stations = (
        Station.objects.restrict(user)
        .filter(**bounding_box(lon, lat, NEARBY_M))
        .exclude(status=StationStatus.CLOSED)
        .exclude(code__in=offenders)
    )
    if lead.station_id:
        stations = stations.exclude(pk=lead.station_id)
    for code, name, plon, plat in stations.values_list("code", "name", "lon", "lat")[:50]:
        if distance_m(lon, lat, plon, plat) <= NEARBY_M:
            points.append(_point(f"{code} {name}", plon, plat, "station", lead))
    return sorted(points, key=lambda p: p["distance_m"])


def _point(name: str, lon, lat, kind: str, lead: Lead) -> dict:
    from fucai.network.spacing import distance_m

    metres = round(distance_m(lead.lon, lead.lat, lon, lat))
    label = _("%(name)s, %(metres)s m") % {"name": name, "metres": metres}
    return {"name": label, "lon": float(lon), "lat": float(lat), "kind": kind, "distance_m": metres}


def save_lead(lead: Lead, user, override_reason: str = "") -> list:
    """Save a new or changed lead after checking the spacing rules: refused (ValidationError
    naming each rule and offender) unless the user may override and gives a reason. Returns the
    violations it was recorded despite."""
    if not may_record(user, lead.county):
        raise PermissionDenied(_("You may not record leads there."))
    violations = visible_violations(lead, user)
    if violations:
        if not override_reason.strip():
            raise ValidationError([v.message for v in violations], code="spacing")
        if not may_override(user, lead.county.parent_id):
            raise ValidationError(
                [v.message for v in violations]
                + [_("Recording a lead despite a spacing rule needs the right to override it.")],
                code="spacing",
            )
        lead.spacing_override = override_reason.strip()[:200]
    new = lead.pk is None
    with transaction.atomic():
        if new:
            lead.created_by = user if getattr(user, "pk", None) else None
        lead.save()
        if new:
            LeadStatusChange.objects.create(
                lead=lead,
                status=LeadStatus.NEW,
                date=lead.received_on,
                recorded_by=lead.created_by,
            )
    return violations


def transition_lead(lead: Lead, status: str, date: dt.date, user=None, note: str = ""):
    """Move the lead one step (or to rejected, with a reason in `note`)."""
    from fucai.core.bounds import check_date

    check_date(date)
    if status not in LEAD_TRANSITIONS[lead.status]:
        raise ValidationError(
            _("A %(old)s lead cannot become %(new)s.")
            % {"old": lead.get_status_display(), "new": LeadStatus(status).label}
        )
    if status == LeadStatus.REJECTED and not note.strip():
        raise ValidationError(_("A rejected lead needs the reason it was rejected."))
    if status == LeadStatus.OPENED and lead.station_id is None:
        raise ValidationError(_("Convert the lead into a station before it can be opened."))
    last = lead.status_changes.order_by("-date", "-pk").first()
    if last is not None and date < last.date:
        raise ValidationError(
            _("A status change cannot be dated before the previous one (%(d)s).") % {"d": last.date}
        )
    with transaction.atomic():
        change = LeadStatusChange.objects.create(
            lead=lead, status=status, date=date, note=note.strip()[:200], recorded_by=user
        )
        lead.status = status
        if status == LeadStatus.REJECTED:
            lead.rejection_reason = note.strip()[:200]
        lead.save()
    return change


def convert_lead(lead: Lead, code: str, name: str, date: dt.date, user=None) -> Station:
    """The approved lead becomes a planned station (same place, scene and operation); the lead
    links to it and keeps its history. Its spacing was checked (or overridden) on the lead."""
    from fucai.network.models.station import station_code_errors

    if lead.status != LeadStatus.APPROVED or lead.station_id is not None:
        raise ValidationError(_("Only an approved lead not yet converted becomes a station."))
    errors = station_code_errors(code, lead.county)
    if errors:
        raise ValidationError({"code": errors})
    if Station.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("A station with this code already exists.")]})
    with transaction.atomic():
        station = Station.objects.create(
            code=code,
            name=name,
            county=lead.county,
            address=lead.address,
            lon=lead.lon,
            lat=lead.lat,
            scene=lead.scene,
            operation=lead.operation,
        )
        station.transition(
            StationStatus.PLANNED, date, user, note=_("from lead %(pk)s") % {"pk": lead.pk}
        )
        lead.station = station
        lead.save()
    return station


# -- point layers ---------------------------------------------------------------------------------
def _coordinate(value, what: str, where: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(where)s: %(what)s is not a number.") % locals()) from None
    low, high = (73, 136) if what == "lon" else (3, 54)
    if not low <= number <= high:
        raise ValidationError(_("%(where)s: %(what)s lies outside China.") % locals())
    return number.quantize(Decimal("0.000001"))


def read_layer_points(content: bytes, filename: str) -> list[tuple[str, Decimal, Decimal]]:
    """(name, lon, lat) of a CSV file with columns lon,lat,name or of GeoJSON Point features
    (property `name`), GCJ-02."""
    text = content.decode("utf-8-sig")
    points = []
    if filename.lower().endswith((".geojson", ".json")):
        try:
            data = json.loads(text)
        except ValueError:
            raise ValidationError(_("%(f)s is not GeoJSON.") % {"f": filename}) from None
        features = data.get("features", []) if isinstance(data, dict) else []
        for number, feature in enumerate(features, 1):
            geometry = (feature or {}).get("geometry") or {}
            where = _("feature %(n)s") % {"n": number}
            if geometry.get("type") != "Point":
                raise ValidationError(_("%(where)s is not a point.") % {"where": where})
            lon, lat = geometry.get("coordinates", [None, None])[:2]
            name = str((feature.get("properties") or {}).get("name") or "").strip()
            points.append(
                (name[:100], _coordinate(lon, "lon", where), _coordinate(lat, "lat", where))
            )
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not {"lon", "lat", "name"} <= set(reader.fieldnames or ()):
            raise ValidationError(_("A layer file's columns are lon,lat,name."))
        for number, row in enumerate(reader, 2):
            where = _("row %(n)s") % {"n": number}
            points.append(
                (
                    (row["name"] or "").strip()[:100],
                    _coordinate(row["lon"], "lon", where),
                    _coordinate(row["lat"], "lat", where),
                )
            )
    if not points:
        raise ValidationError(_("%(f)s holds no points.") % {"f": filename})
    if len(points) > MAX_LAYER_POINTS:
        raise ValidationError(_("A layer holds at most %(n)s points.") % {"n": MAX_LAYER_POINTS})
    return points


def import_layer(
    content: bytes, filename: str, name: str, *, synthetic: bool = False, description: str = ""
) -> PointLayer:
    """Replace the points of the layer `name` (made if new) with the file's."""
    points = read_layer_points(content, filename)
    with transaction.atomic():
        layer, _created = PointLayer.objects.get_or_create(name=name.strip()[:60])
        layer.synthetic = synthetic
        layer.description = description[:200]
        layer.save()
        layer.points.all().delete()
        LayerPoint.objects.bulk_create(
            LayerPoint(layer=layer, name=n, lon=lon, lat=lat) for n, lon, lat in points
        )
    return layer


# -- the export -----------------------------------------------------------------------------------
def lead_rows(leads) -> list[dict]:
    """The leads as the list, the export, the command and the API give them (contact masked)."""
    rows = []
    queryset = leads.select_related("city", "county", "station").order_by("-received_on", "-pk")
    for lead in queryset:
        rows.append(
            {
                "id": lead.pk,
                "received_on": lead.received_on.isoformat(),
                "city": lead.city.name,
                "county": lead.county.name,
                "address": lead.address,
                "lon": float(lead.lon),
                "lat": float(lead.lat),
                "scene": lead.scene,
                "operation": lead.operation,
                "source": lead.source,
                "status": lead.status,
                "contact_name": lead.contact_name_masked,
                "contact_phone": lead.contact_phone_masked,
                "rejection_reason": lead.rejection_reason,
                "spacing_override": lead.spacing_override,
                "station": lead.station.code if lead.station_id else "",
            }
        )
    return rows


def leads_workbook(leads, user):
    from fucai.core.excel import DATE_FORMAT, Column, add_notes_sheet, table_workbook
    from fucai.network.choices import LeadSource, StationOperation, StationScene

    columns = [
        Column(_("No."), number_format="0"),
        Column(_("Received on"), number_format=DATE_FORMAT),
        _("City"),
        _("County"),
        _("Address"),
        _("Longitude"),
        _("Latitude"),
        _("Intended scene"),
        _("Operation"),
        _("Source"),
        _("Status"),
        _("Contact"),
        _("Contact phone"),
        _("Rejection reason"),
        _("Spacing override"),
        Column(_("Station"), number_format="@"),
    ]
    rows = [
        [
            r["id"],
            dt.date.fromisoformat(r["received_on"]),
            r["city"],
            r["county"],
            r["address"],
            r["lon"],
            r["lat"],
            str(StationScene(r["scene"]).label),
            str(StationOperation(r["operation"]).label),
            str(LeadSource(r["source"]).label),
            str(LeadStatus(r["status"]).label),
            r["contact_name"],
            r["contact_phone"],
            r["rejection_reason"],
            r["spacing_override"],
            r["station"],
        ]
        for r in lead_rows(leads)
    ]
    wb = table_workbook(columns, rows, title=_("Leads"))
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("Exported by"), getattr(user, "username", "") or _("system")),
            (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ],
    )
    return wb
