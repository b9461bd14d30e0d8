"""The province's 四强 checklist is data: superusers revise its items (points, evidence needed,
what an item is checked against) here; a new checklist valid from a later year leaves the
assessments made against the old one as they were."""

from __future__ import annotations

from django.contrib import admin

from fucai.party.models import Checklist, ChecklistItem


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ("dimension", "order", "text", "points", "evidence", "auto_check")


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "source")
    inlines = (ChecklistItemInline,)
