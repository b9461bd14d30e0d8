"""Consent to show a Party-member owner's Party identity (党员先锋示范岗).

A station owner who is a Party member is shown as a Party-member vanguard post only with their
consent: a `VanguardConsent` records when it was given, by whom it was recorded, and when it was
revoked. `StationOwner.party_consent` is the current state of these records (kept in step by
fucai.party.vanguard, the one place that writes them); `fucai.party.vanguard.vanguard_q` is the
one definition of "a vanguard on day D". The records are Party affairs' (capability
PARTY_AFFAIRS): a city's Party affairs see the consents of their city's owners, the province's
every consent."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.party.models.branch import PARTY_AFFAIRS


class VanguardConsent(models.Model):
    """One consent of a Party-member owner to be shown as a 党员先锋示范岗: from `given_on`,
    until `revoked_on` (the day it stops counting) if revoked."""

    owner = models.ForeignKey(
        "network.StationOwner",
        verbose_name=_("station owner"),
        on_delete=models.CASCADE,
        related_name="vanguard_consents",
    )
    given_on = models.DateField(_("consent given on"))
    revoked_on = models.DateField(_("consent revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocation recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="owner__city__party_branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec()

    class Meta:
        ordering = ["owner_id", "-given_on", "-pk"]
        verbose_name = _("vanguard consent")
        verbose_name_plural = _("vanguard consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True)
                | models.Q(revoked_on__gte=models.F("given_on")),
                name="vanguard_consent_revoked_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_on}–{self.revoked_on or ''}"

    def clean(self) -> None:
        if self.revoked_on is not None and self.revoked_on < self.given_on:
            raise ValidationError({"revoked_on": _("A consent is revoked after it was given.")})
