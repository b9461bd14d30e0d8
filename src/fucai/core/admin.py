from __future__ import annotations

from django.contrib import admin

from fucai.core.models import ObjectChange


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by signals and never edited."""

    list_display = ("time", "user_name", "source", "action", "object_type", "object_repr")
    list_filter = ("action", "source", "object_type")
    search_fields = ("object_repr", "user_name")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
