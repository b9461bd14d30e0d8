from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.network.choices import StationOperation
from fucai.planning.choices import ScenarioStatus


class SitingScenario(models.Model):
    """A siting scenario (选址方案): N new stations in a city (or the province) as of a day, with
    its radii, quotas, excluded counties and rules, run in the background worker
    (fucai.planning.jobs); once done it carries the solver's answer and its chosen sites. A city
    plans in its city: the scenario is seen where its city is (a province-wide one, city empty,
    by the province only)."""

    name = models.CharField(_("name"), max_length=80)
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="siting_scenarios",
        limit_choices_to={"level": "prefecture"},
        help_text=_("Empty: the whole province."),
    )
    as_of = models.DateField(_("as of"))
    new = models.PositiveIntegerField(_("new sites"))
    operation = models.CharField(
        _("operation of the new sites"), max_length=12, choices=StationOperation.choices
    )
    radius_urban_m = models.PositiveIntegerField(_("radius, urban (m)"))
    radius_town_m = models.PositiveIntegerField(_("radius, town (m)"))
    radius_rural_m = models.PositiveIntegerField(_("radius, rural (m)"))
    quotas = models.JSONField(_("quotas (county → at most)"), default=dict, blank=True)
    excluded_counties = models.JSONField(_("excluded counties"), default=list, blank=True)
    use_leads = models.BooleanField(_("open leads as candidates"), default=True)
    ignored_rules = models.JSONField(_("spacing rules set aside"), default=list, blank=True)
    time_limit_s = models.PositiveSmallIntegerField(_("time limit (s)"), default=30)

    status = models.CharField(
        _("status"), max_length=10, choices=ScenarioStatus.choices, default=ScenarioStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)
    population = models.BigIntegerField(_("population"), null=True, blank=True)
    covered_before = models.BigIntegerField(_("covered before"), null=True, blank=True)
    covered_after = models.BigIntegerField(_("covered after"), null=True, blank=True)
    upper_bound = models.BigIntegerField(_("upper bound"), null=True, blank=True)
    gap_pct = models.FloatField(_("gap (%)"), null=True, blank=True)
    solver = models.CharField(_("solver"), max_length=80, blank=True)
    solver_status = models.CharField(_("solver status"), max_length=60, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="city")
    audit = AuditSpec()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("siting scenario")
        verbose_name_plural = _("siting scenarios")

    def __str__(self) -> str:
        return self.name

    @property
    def finished_ok(self) -> bool:
        return self.status == ScenarioStatus.DONE

    @property
    def running(self) -> bool:
        return self.status in (ScenarioStatus.QUEUED, ScenarioStatus.RUNNING)

    @property
    def newly_covered(self) -> int | None:
        if self.covered_after is None or self.covered_before is None:
            return None
        return self.covered_after - self.covered_before

    @property
    def radii(self) -> dict[str, int]:
        return {
            "urban": self.radius_urban_m,
            "town": self.radius_town_m,
            "rural": self.radius_rural_m,
        }


class SitingSite(models.Model):
    """One site a scenario chose: where (GCJ-02, its H3 cell, county), the population it newly
    covers given the stations and the sites ranked before it, the open lead it was (if any), and
    the lead made from it (it then goes through the leads pipeline)."""

    scenario = models.ForeignKey(
        SitingScenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="sites"
    )
    rank = models.PositiveIntegerField(_("rank"))
    lon = models.DecimalField(_("longitude (GCJ-02)"), max_digits=9, decimal_places=6)
    lat = models.DecimalField(_("latitude (GCJ-02)"), max_digits=9, decimal_places=6)
    cell = models.CharField(_("H3 cell"), max_length=16)
    county = models.ForeignKey(
        "geo.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    new_population = models.PositiveIntegerField(_("newly covered population"))
    source_lead = models.ForeignKey(
        "network.Lead",
        verbose_name=_("open lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead = models.ForeignKey(
        "network.Lead",
        verbose_name=_("lead made from it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="siting_sites",
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="county__parent", county="county")
    audit = AuditSpec()

    class Meta:
        ordering = ["scenario", "rank"]
        verbose_name = _("chosen site")
        verbose_name_plural = _("chosen sites")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "rank"], name="siting_site_unique_rank")
        ]

    def __str__(self) -> str:
        return f"{self.scenario} #{self.rank}"
