from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import AuditSpec
from fucai.core.signals import bulk_replaced
from fucai.sales.choices import MofLottery


class MofReportQuerySet(models.QuerySet):
    def replace_month(self, year: int, month: int, rows: list, source: str = "") -> None:
        """Replace the month's figures by `rows` (unsaved MofReports) in bulk; the replacement is
        recorded in the audit trail as one row (signal `bulk_replaced`)."""
        old = self.filter(year=year, month=month)
        deleted = old.count()
        old._raw_delete(old.db)  # no per-row signals: the batch is audited below, once
        created = self.bulk_create(rows)
        bulk_replaced.send(
            sender=self.model,
            label=f"{year}-{month:02d}",
            deleted=deleted,
            created=len(created),
            source=source,
        )


class MofReport(models.Model):
    """One cell group of the Ministry of Finance's monthly table 各地区彩票销售情况: for a region
    (a province, or 全国) and a lottery (welfare, sports or both), the month's sales and the
    year-to-date sales, each with its year-on-year change as published. Used for the welfare
    lottery's market share in the province and the province's national rank."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    region = models.CharField(
        _("region"),
        max_length=20,
        help_text=_("Short name as in the table, e.g. 江西; 全国 for the total."),
    )
    lottery = models.CharField(_("lottery"), max_length=10, choices=MofLottery.choices)
    month_amount_fen = models.BigIntegerField(_("month sales (fen)"), null=True, blank=True)
    month_yoy_pct = models.DecimalField(
        _("month YoY (%)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    ytd_amount_fen = models.BigIntegerField(_("year-to-date sales (fen)"), null=True, blank=True)
    ytd_yoy_pct = models.DecimalField(
        _("year-to-date YoY (%)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(
        _("source note"),
        max_length=200,
        blank=True,
        help_text=_(
            "The table's own line on where its figures come from (来源), e.g. synthetic (demo)."
        ),
    )
    source = models.ForeignKey(
        "sales.SalesImport",
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mof_rows",
    )

    objects = MofReportQuerySet.as_manager()
    audit = AuditSpec()

    class Meta:
        ordering = ["year", "month", "region", "lottery"]
        verbose_name = _("Ministry of Finance figure")
        verbose_name_plural = _("Ministry of Finance figures")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "region", "lottery"], name="mof_unique_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.region} {self.get_lottery_display()}"
