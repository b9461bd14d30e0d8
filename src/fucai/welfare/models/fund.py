"""Public-welfare fund rates (公益金提取比例): the share of a game's sales that goes to the
welfare fund, per game and period, as the provincial centre records them with their source."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.sales.choices import GameCategory


class FundRate(models.Model):
    """The public-welfare fund's share of the sales of one game — or of a category of games
    (电脑票, 即开票), for its games without a rate of their own on the day — over a period of
    days (both ends included; no end: still in force). Two periods of one game (or one
    category) never overlap, so each sale's day has at most one rate. Published figures, not
    personal: everyone may read them; only the holders of `edit_fund_rates` (the provincial
    centre) change them."""

    game = models.ForeignKey(
        "sales.Game",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_rates",
        verbose_name=_("game"),
        help_text=_("A game, or leave empty and choose a category."),
    )
    category = models.CharField(
        _("category"),
        max_length=12,
        choices=GameCategory.choices,
        blank=True,
        help_text=_("For every game of the category without a rate of its own."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Included; empty: still in force.")
    )
    rate = models.DecimalField(
        _("fund rate"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("0.9999"))],
        help_text=_("Share of sales, e.g. 0.3600 for 36 %."),
    )
    source = models.TextField(
        _("source"), help_text=_("Where the rate is published: the rule or notice, its date.")
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    audit = AuditSpec()

    class Meta:
        ordering = ["category", "game__sort_order", "game__code", "valid_from"]
        verbose_name = _("public-welfare fund rate")
        verbose_name_plural = _("public-welfare fund rates")
        constraints = [
            models.CheckConstraint(
                condition=(Q(game__isnull=False) & Q(category=""))
                | (Q(game__isnull=True) & ~Q(category="")),
                name="welfare_fundrate_game_or_category",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="welfare_fundrate_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.applies_to} {self.valid_from.isoformat()}–{end} {self.rate}"

    @property
    def applies_to(self) -> str:
        """The game's name, or the category's label."""
        return self.game.name if self.game_id else str(self.get_category_display())

    @property
    def pct(self) -> Decimal:
        """The rate in percent, e.g. Decimal('36.00')."""
        return (self.rate * 100).quantize(Decimal("0.01"))

    def overlapping(self) -> models.QuerySet:
        """The game's (or the category's) other periods that share a day with this one."""
        mine = Q(game_id=self.game_id) if self.game_id else Q(game=None, category=self.category)
        others = FundRate.objects.filter(mine).exclude(pk=self.pk)
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        return others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The period ends before it starts.")})
        if bool(self.game_id) == bool(self.category):
            raise ValidationError(_("Choose a game or a category, not both."))
        if not self.valid_from:
            return
        other = self.overlapping().first()
        if other is not None:
            end = other.valid_to.isoformat() if other.valid_to else _("open end")
            raise ValidationError(
                _(
                    "This period overlaps the rate %(rate)s of %(game)s from %(start)s to "
                    "%(end)s: end that period first, or change these dates."
                )
                % {
                    "rate": other.rate,
                    "game": other.applies_to,
                    "start": other.valid_from.isoformat(),
                    "end": end,
                }
            )
