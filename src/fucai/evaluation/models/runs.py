"""Evaluation's records (issue 13 points 2–3): schemes as versioned documents, runs that freeze
a scheme version with its inputs and result, each alternative's frozen result (the row people
are scoped to) and the objections filed against a published result.

Who sees what is decided in ONE place, fucai.evaluation.visibility; `scope_paths` below serve
`restrict()` for the audit and the admin (a result hangs off its city and its market manager)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.grant import SEE_EVALUATIONS
from fucai.core.scope import RestrictedQuerySet, ScopePaths
from fucai.evaluation.choices import ObjectionStatus, Population, RunStatus

USER = settings.AUTH_USER_MODEL


class EvaluationScheme(models.Model):
    """One version of a scheme document (YAML or JSON, validated by fucai.evaluation.scheme on
    save). Editing a scheme makes a new version; the old ones are kept for the runs that used
    them."""

    name = models.CharField(_("name"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    population = models.CharField(_("who is evaluated"), max_length=20, choices=Population.choices)
    valid_from = models.DateField(_("effective from"))
    valid_to = models.DateField(_("effective to"), null=True, blank=True)
    document = models.TextField(_("document"), help_text=_("The scheme in YAML or JSON."))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(capability=SEE_EVALUATIONS)
    audit = AuditSpec()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="evaluation_scheme_version")
        ]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def parsed(self):
        """The validated scheme (fucai.evaluation.scheme.Scheme) of this version's document."""
        from fucai.evaluation.schemes_store import stored_scheme

        return stored_scheme(self)

    @property
    def shown_title(self) -> str:
        """The title in the active language (the document's `title_en` in English)."""
        return self.parsed().shown_title()


class EvaluationRun(models.Model):
    """A scheme version run for a period, frozen: its inputs (the InputTable), the engine's
    result (and robustness if asked), who and when. Reproduced from what it stored, whatever the
    data later. Published separately; only a published run is seen by the people evaluated."""

    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="runs"
    )
    period = models.CharField(_("period"), max_length=10)
    as_of = models.DateField(_("as of"))
    variant = models.JSONField(
        _("variant"),
        default=dict,
        blank=True,
        help_text=_("Weights or aggregation changed from the scheme's (a saved what-if)."),
    )
    robustness_draws = models.PositiveIntegerField(_("robustness draws"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=60, blank=True)
    error = models.TextField(_("error"), blank=True)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    data_version = models.CharField(_("data version"), max_length=200, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    robustness = models.JSONField(_("robustness"), default=dict, blank=True)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    published_by = models.ForeignKey(
        USER,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published = models.DateTimeField(_("published"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(city="results__city", capability=SEE_EVALUATIONS)
    audit = AuditSpec(ignored=frozenset({"progress", "step", "result", "inputs", "robustness"}))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")

    def __str__(self) -> str:
        return f"{self.scheme.title} · {self.period}"

    @property
    def running(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class EvaluationResult(models.Model):
    """One alternative's frozen result in a run (a city agency or a market manager): what the
    scoping of pages, exports and the API is decided on (fucai.evaluation.visibility)."""

    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="results"
    )
    alternative = models.CharField(_("alternative"), max_length=20)
    label = models.CharField(_("name"), max_length=80)
    city = models.ForeignKey(
        "geo.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    market_manager = models.ForeignKey(
        "network.MarketManager",
        verbose_name=_("market manager"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    grade = models.CharField(_("grade"), max_length=40)
    eliminated = models.BooleanField(_("eliminated"), default=False)
    pay_factor = models.DecimalField(
        _("pay factor"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    pay = models.DecimalField(
        _("pay (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(
        city="city", persons={"manager": "market_manager"}, capability=SEE_EVALUATIONS
    )
    audit = AuditSpec()

    class Meta:
        ordering = ["run", "rank", "alternative"]
        constraints = [
            models.UniqueConstraint(fields=["run", "alternative"], name="evaluation_result_once")
        ]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")

    def __str__(self) -> str:
        return f"{self.label} · {self.run_id}"


class EvaluationObjection(models.Model):
    """An objection (异议) against a published result, filed by the person evaluated (the market
    manager, or the city agency for a city evaluation) and resolved with a note by the scheme's
    owners (the provincial centre; a city agency for its own managers)."""

    result = models.ForeignKey(
        EvaluationResult,
        verbose_name=_("result"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    text = models.TextField(_("objection"))
    filed_by = models.ForeignKey(
        USER, verbose_name=_("filed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filed = models.DateTimeField(_("filed"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        USER,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ScopePaths(
        city="result__city",
        persons={"manager": "result__market_manager"},
        capability=SEE_EVALUATIONS,
    )
    audit = AuditSpec()

    class Meta:
        ordering = ["-filed", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.result} · {self.get_status_display()}"
