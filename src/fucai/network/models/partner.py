from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.personal import NAME, PHONE, PersonalField, mask
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.network.choices import PartnerKind, PartnerSiteKind


class PartnerOrganisation(models.Model):
    """A business group the centre partners with (组织联姻), e.g. a shopping-complex operator whose
    malls host dedicated outlets."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=32, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="partners",
        limit_choices_to={"level": "prefecture"},
    )
    contact_name = PersonalField(_("contact name"), kind=NAME.name, max_length=40, blank=True)
    partnered_on = models.DateField(_("partnered on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city")
    audit = AuditSpec()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def contact_name_masked(self) -> str:
        return mask(self.contact_name, NAME)


class PartnerSite(models.Model):
    """A site of a partner organisation (e.g. one of a group's shopping complexes) where outlets
    may be opened with it."""

    organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="sites",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=32, choices=PartnerSiteKind.choices, default=PartnerSiteKind.OTHER
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lon = models.DecimalField(
        _("longitude (GCJ-02)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    lat = models.DecimalField(
        _("latitude (GCJ-02)"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="organisation__city")
    audit = AuditSpec()

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("partner site")
        verbose_name_plural = _("partner sites")
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "name"), name="partner_site_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartnerAgreement(models.Model):
    """An agreement signed with a partner organisation (联姻协议): its dates, terms and the
    organisation's contact for it (personal data, masked wherever shown)."""

    organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    terms = models.TextField(_("terms"), blank=True)
    contact_name = PersonalField(_("contact name"), kind=NAME.name, max_length=40, blank=True)
    contact_phone = PersonalField(_("contact phone"), kind=PHONE.name, max_length=20, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="organisation__city")
    audit = AuditSpec()

    class Meta:
        ordering = ["organisation", "-starts_on", "pk"]
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="partner_agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.starts_on:%Y-%m-%d}"

    @property
    def contact_name_masked(self) -> str:
        return mask(self.contact_name, NAME)

    @property
    def contact_phone_masked(self) -> str:
        return mask(self.contact_phone, PHONE)
