from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.bounds import check_date
from fucai.core.grant import PARTY_AFFAIRS
from fucai.core.personal import ID_NUMBER, PHONE, BlindIndexField, PersonalField, mask
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.network.choices import STATUS_TRANSITIONS, StationOperation, StationScene, StationStatus

STATION_CODE_RE = re.compile(r"^36\d{6}$")


class StationOwner(models.Model):
    """The person who runs a station (站点业主). Phone and ID number are stored for the centre's
    records and masked wherever they are shown; Party identity is shown only with consent."""

    name = models.CharField(_("name"), max_length=40)
    phone = PersonalField(_("phone"), kind=PHONE.name, max_length=20, blank=True)
    id_number = PersonalField(_("ID number"), kind=ID_NUMBER.name, max_length=18, blank=True)
    id_number_index = BlindIndexField(_("ID number index"), source="id_number")
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("registering city"),
        on_delete=models.PROTECT,
        related_name="station_owners",
        limit_choices_to={"level": "prefecture"},
    )
    is_party_member = models.BooleanField(_("Party member"), default=False)
    is_veteran = models.BooleanField(_("veteran"), default=False)
    party_consent = models.BooleanField(
        _("consents to show Party identity"),
        default=False,
        help_text=_("Only then may the station be shown as a 党员先锋示范岗."),
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", persons={"owner": ""})
    # the Party-member flags in the trail: for Party affairs only (as in pages and exports)
    audit = AuditSpec(restricted={"is_party_member": PARTY_AFFAIRS, "party_consent": PARTY_AFFAIRS})

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("station owner")
        verbose_name_plural = _("station owners")
        constraints = [
            # One owner record per person and registering city (the same person may run
            # stations in two cities: each city registers its own record). See imports.stations.
            models.UniqueConstraint(
                fields=["city", "id_number_index"],
                condition=~models.Q(id_number_index=""),
                name="owner_unique_id_number_in_city",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask(self.phone, PHONE)

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number, ID_NUMBER)

    @property
    def is_party_vanguard(self) -> bool:
        """Shown as a Party-member vanguard post (党员先锋示范岗): a member who consented."""
        return self.is_party_member and self.party_consent


class StationQuerySet(RestrictedQuerySet):
    def with_status_on(self, day: dt.date) -> StationQuerySet:
        """Annotate `status_on`: the lifecycle status the station had at the end of `day`."""
        latest = (
            StationStatusChange.objects.filter(station=OuterRef("pk"), date__lte=day)
            .order_by("-date", "-pk")
            .values("status")[:1]
        )
        return self.annotate(status_on=Subquery(latest))

    def open_on(self, day: dt.date) -> StationQuerySet:
        return self.with_status_on(day).filter(status_on=StationStatus.OPEN)


class Station(models.Model):
    """A lottery outlet (投注站) of the provincial network, identified by its 8-digit code
    (36 + 2-digit city + 4-digit serial). Its lifecycle is kept as dated status changes, so the
    network can be reconstructed as of any day."""

    code = models.CharField(_("station code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="city_stations",
        limit_choices_to={"level": "prefecture"},
        editable=False,
    )
    county = models.ForeignKey(
        "geo.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="stations",
        limit_choices_to={"level": "county"},
    )
    address = models.CharField(_("address"), max_length=200)
    lon = models.DecimalField(_("longitude (GCJ-02)"), max_digits=9, decimal_places=6)
    lat = models.DecimalField(_("latitude (GCJ-02)"), max_digits=9, decimal_places=6)
    scene = models.CharField(_("scene"), max_length=24, choices=StationScene.choices)
    operation = models.CharField(_("operation"), max_length=12, choices=StationOperation.choices)
    brand = models.CharField(
        _("brand"), max_length=40, blank=True, help_text=_("e.g. 临川四梦 for themed kiosks")
    )
    staff_count = models.PositiveSmallIntegerField(_("staff"), default=1)
    terminal_count = models.PositiveSmallIntegerField(_("terminals"), default=1)
    owner = models.ForeignKey(
        StationOwner,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stations",
    )
    partner = models.ForeignKey(
        "network.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stations",
    )
    partner_site = models.ForeignKey(
        "network.PartnerSite",
        verbose_name=_("partner site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stations",
        help_text=_("The partner's site (e.g. its shopping complex) the station is in."),
    )
    status = models.CharField(
        _("current status"),
        max_length=12,
        choices=StationStatus.choices,
        default=StationStatus.PLANNED,
        editable=False,
        help_text=_("Kept equal to the latest status change."),
    )
    opened_on = models.DateField(_("first opened on"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = StationQuerySet.as_manager()
    scope_paths = ScopePaths(city="city", county="county", station="")
    audit = AuditSpec()

    class Meta:
        ordering = ["code"]
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        indexes = [
            models.Index(fields=["city", "status"]),
            models.Index(fields=["scene"]),
            models.Index(fields=["lon", "lat"], name="station_lon_lat"),  # spacing checks' box
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        errors = station_code_errors(self.code, self.county if self.county_id else None)
        if errors:
            raise ValidationError({"code": errors})
        # entering or moving a station checks the spacing rules (fucai.network.spacing)
        from fucai.network.spacing import station_violations

        violations = station_violations(self)
        if violations:
            raise ValidationError({"lon": [v.message for v in violations]})

    def save(self, *args, **kwargs) -> None:
        if self.county_id:
            self.city_id = self.county.parent_id
        super().save(*args, **kwargs)

    def transition(
        self, status: str, date: dt.date, user=None, note: str = ""
    ) -> StationStatusChange:
        """Move the station to `status` on `date` (2000-01-01 to today), keeping the change in its
        history."""
        check_date(date)
        allowed = STATUS_TRANSITIONS[self.status]
        last = self.status_changes.order_by("-date", "-pk").first()
        if last is not None and status not in allowed:
            raise ValidationError(
                _("A %(old)s station cannot become %(new)s.")
                % {"old": self.get_status_display(), "new": StationStatus(status).label}
            )
        if last is not None and date < last.date:
            raise ValidationError(
                _("A status change cannot be dated before the previous one (%(d)s).")
                % {"d": last.date}
            )
        change = StationStatusChange.objects.create(
            station=self, status=status, date=date, recorded_by=user, note=note
        )
        return change


def station_code_errors(code: str, county) -> list[str]:
    """Why `code` is not a valid station code for a station in `county` (empty when it is)."""
    if not STATION_CODE_RE.match(code or ""):
        return [str(_("A station code has 8 digits and starts with 36."))]
    prefix = county.station_code_prefix if county is not None else ""
    if prefix and not code.startswith(prefix):
        return [
            str(
                _("Stations of %(city)s have codes starting with %(want)s, not %(got)s.")
                % {"city": county.parent.name, "want": prefix, "got": code[:4]}
            )
        ]
    return []


class StationStatusChange(models.Model):
    """One dated step in a station's lifecycle (e.g. opened on 2023-03-18). The station's status on
    any day is the latest change dated on or before it."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=12, choices=StationStatus.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="station__city", county="station__county", station="station")
    audit = AuditSpec()

    class Meta:
        ordering = ["station", "date", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [
            models.Index(fields=["station", "date"]),
            models.Index(fields=["status", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.station.code} {self.get_status_display()} {self.date}"
