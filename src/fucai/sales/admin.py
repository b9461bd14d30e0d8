from __future__ import annotations

from django.contrib import admin

from fucai.sales.models import Game, InstantBrand, MofReport, SalesImport, SalesSuspension


class InstantBrandInline(admin.TabularInline):
    model = InstantBrand
    extra = 0
    fields = ("name", "description", "launched_on", "is_active")


@admin.register(Game)
class GameAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "category",
        "draw_weekdays",
        "aliases",
        "sort_order",
        "is_active",
    )
    list_filter = ("category", "is_active")
    search_fields = ("code", "name", "aliases")
    inlines = (InstantBrandInline,)


@admin.register(InstantBrand)
class InstantBrandAdmin(admin.ModelAdmin):
    list_display = ("name", "game", "launched_on", "is_active")
    search_fields = ("name",)


@admin.register(SalesSuspension)
class SalesSuspensionAdmin(admin.ModelAdmin):
    """The sales calendar: editing a closure changes which draw-game sales imports accept and the
    selling-day comparison; facts already imported are not re-checked."""

    list_display = (
        "name",
        "kind",
        "start",
        "end",
        "draw_games_stop",
        "instant_stops",
        "source_url",
    )
    list_filter = ("kind", "draw_games_stop", "instant_stops")
    date_hierarchy = "start"


@admin.register(SalesImport)
class SalesImportAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "started_at",
        "file_name",
        "kind",
        "status",
        "rows",
        "fact_rows",
        "first_day",
        "last_day",
        "error_count",
        "user_name",
    )
    list_filter = ("status", "kind")
    search_fields = ("file_name", "file_sha256", "user_name")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MofReport)
class MofReportAdmin(admin.ModelAdmin):
    list_display = (
        "year",
        "month",
        "region",
        "lottery",
        "month_amount_fen",
        "ytd_amount_fen",
        "ytd_yoy_pct",
    )
    list_filter = ("year", "lottery")
    search_fields = ("region",)
