from __future__ import annotations

from django.contrib import admin

from fucai.geo.models import Division


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "population", "lottery_code")
    list_filter = ("level",)
    search_fields = ("code", "name")
    readonly_fields = (
        "code",
        "level",
        "parent",
        "lon",
        "lat",
        "seat_lon",
        "seat_lat",
        "population",
    )
