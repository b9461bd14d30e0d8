from __future__ import annotations

from django.contrib import admin

from fucai.core.models import ObjectChange
from fucai.core.personal import personal_fields
from fucai.core.signals import personal_data_viewed


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


class PersonalDataAdmin(admin.ModelAdmin):
    """An admin whose change form shows the object's personal fields in full: every such view
    sends `personal_data_viewed`, so it is recorded in the audit trail."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        fields = list(personal_fields(type(obj))) if obj is not None else []
        if fields and request.method == "GET":
            personal_data_viewed.send(
                sender=type(obj), instance=obj, fields=fields, reason="admin form"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
