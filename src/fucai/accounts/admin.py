from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from fucai.accounts.models import LoginThrottle, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("role", "city", "county", "market_manager", "station_owner", "granted_by")
    readonly_fields = ("granted_by",)
    autocomplete_fields = ("market_manager", "station_owner")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "city", "is_active")
    list_filter = ("city", "is_active", "role_assignments__role")
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Agency"), {"fields": ("city",)}))
    inlines = (RoleAssignmentInline,)


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Failed-login counts and locks; deleting a row unlocks its user name or address."""

    list_display = ("kind", "key", "failures", "last_failure", "locked_until")
    list_filter = ("kind",)
    search_fields = ("key",)
    readonly_fields = ("kind", "key", "failures", "last_failure", "locked_until")
