"""An effect study (效果评估): the measured effect of a treatment (cadre pairing, a new-channel
outlet nearby) on the station sales of a city, run by the background worker
(fucai.party.studies) and kept with every setting and the whole answer, so a figure quoted in a
report can be traced to the run that made it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.party.choices import StudyStatus, Treatment
from fucai.party.models.branch import PARTY_AFFAIRS, Branch


class EffectStudy(models.Model):
    """One estimate of a treatment's effect on a city's station sales."""

    branch = models.ForeignKey(
        Branch,
        verbose_name=_("Party branch"),
        on_delete=models.CASCADE,
        related_name="studies",
        help_text=_("The city's branch: its Party affairs and the province's see the study."),
    )
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "prefecture"},
    )
    treatment = models.CharField(_("treatment"), max_length=16, choices=Treatment.choices)
    first = models.DateField(_("first month"))
    last = models.DateField(_("last day"))
    radius_m = models.PositiveIntegerField(_("radius (m)"), default=1000)
    control_group = models.CharField(_("controls"), max_length=24)
    status = models.CharField(
        _("status"), max_length=10, choices=StudyStatus.choices, default=StudyStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(branch="branch", capability=PARTY_AFFAIRS)
    audit = AuditSpec(ignored=frozenset({"progress", "step", "result"}))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("effect study")
        verbose_name_plural = _("effect studies")

    def __str__(self) -> str:
        return f"{self.get_treatment_display()} · {self.city_id and self.city.name} · {self.last}"

    @property
    def running(self) -> bool:
        return self.status in (StudyStatus.QUEUED, StudyStatus.RUNNING)
