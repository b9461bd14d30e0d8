from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.network.choices import PartnerKind


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
    contact_name = models.CharField(_("contact name"), max_length=40, blank=True)
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
