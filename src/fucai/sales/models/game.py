from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.sales.choices import GameCategory


def parse_weekdays(value: str) -> list[int]:
    """ISO weekday numbers from a comma-separated string ("2,4,7" → [2, 4, 7])."""
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    try:
        days = sorted({int(p) for p in parts})
    except ValueError:
        raise ValidationError(
            _("Weekdays are numbers 1 (Monday) to 7 (Sunday), separated by commas.")
        ) from None
    if any(d < 1 or d > 7 for d in days):
        raise ValidationError(
            _("Weekdays are numbers 1 (Monday) to 7 (Sunday), separated by commas.")
        )
    return days


def validate_weekdays(value: str) -> None:
    parse_weekdays(value)


class Game(models.Model):
    """A lottery game the centre sells (双色球, 福彩3D, 七乐彩, 快乐8, 即开票). Sales facts name a
    game by its code; its category (draw game or instant ticket) decides how the Spring-Festival
    suspension applies and how the cockpit splits the figures."""

    code = models.SlugField(
        _("code"),
        max_length=16,
        unique=True,
        help_text=_("As stored in the sales facts, e.g. ssq."),
    )
    name = models.CharField(_("name"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=12, choices=GameCategory.choices)
    draw_weekdays = models.CharField(
        _("draw weekdays"),
        max_length=20,
        blank=True,
        validators=[validate_weekdays],
        help_text=_(
            "Draw games only: ISO weekdays with a draw, 1 = Monday … 7 = Sunday, e.g. 2,4,7."
        ),
    )
    aliases = models.CharField(
        _("other names in feeds"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated names that sales files may use for this game, e.g. SSQ,双色球."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    audit = AuditSpec()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("game")
        verbose_name_plural = _("games")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.category == GameCategory.INSTANT and self.draw_weekdays:
            raise ValidationError({"draw_weekdays": _("Instant tickets have no draws.")})

    @property
    def weekdays(self) -> list[int]:
        return parse_weekdays(self.draw_weekdays)

    def feed_names(self) -> list[str]:
        """Every name a sales file may use for this game, lower-cased: code, name and aliases."""
        names = [self.code, self.name, *self.aliases.split(",")]
        return sorted({n.strip().lower() for n in names if n.strip()})


class InstantBrand(models.Model):
    """A themed series of instant tickets or kiosks (e.g. 临川四梦 in 抚州), kept as a brand of the
    instant category: a sales file may name the brand in its game column, and the sale is recorded
    under the brand's game."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    game = models.ForeignKey(
        Game,
        verbose_name=_("game"),
        on_delete=models.PROTECT,
        related_name="brands",
        limit_choices_to={"category": GameCategory.INSTANT},
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    is_active = models.BooleanField(_("on sale"), default=True)

    audit = AuditSpec()

    class Meta:
        ordering = ["name"]
        verbose_name = _("instant-ticket brand")
        verbose_name_plural = _("instant-ticket brands")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.game_id and self.game.category != GameCategory.INSTANT:
            raise ValidationError({"game": _("A brand belongs to an instant-ticket game.")})
