"""The bulletin's sentence templates: wording an admin edits without code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.reports.choices import BulletinLanguage, BulletinSection


class BulletinSentence(models.Model):
    """One sentence of the work bulletin: its wording with named data fields ({sales_yi},
    {jobs_created:余1}), the section and place it is written in, and the condition under which
    it is written (fact names, all true; "not NAME" for false). It is written only when every
    field it names has data on the day and in the scope (fucai.reports.sentences). Published
    wording, not personal; only the provincial centre's editors change it."""

    key = models.SlugField(_("key"), max_length=60, help_text=_("e.g. sales_total"))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=BulletinLanguage.choices,
        default=BulletinLanguage.ZH_HANS,
    )
    section = models.CharField(_("section"), max_length=20, choices=BulletinSection.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    paragraph = models.PositiveSmallIntegerField(
        _("paragraph"),
        default=1,
        help_text=_("Sentences of one section with the same number make one paragraph."),
    )
    template = models.TextField(
        _("wording"),
        help_text=_("Named fields in braces, e.g. {sales_yi}; {jobs_created:余1} writes 1000余."),
    )
    condition = models.CharField(
        _("condition"),
        max_length=200,
        blank=True,
        help_text=_("Facts that must be true, separated by spaces; 'not NAME' for false."),
    )
    default_template = models.TextField(_("shipped wording"), blank=True, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    audit = AuditSpec()

    class Meta:
        ordering = ["language", "section", "order", "key"]
        verbose_name = _("bulletin sentence")
        verbose_name_plural = _("bulletin sentences")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language"], name="reports_bulletinsentence_key_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"
