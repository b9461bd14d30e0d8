from __future__ import annotations

from django.contrib import admin

from fucai.core.admin import PersonalDataAdmin
from fucai.network.models import (
    MarketManager,
    PartnerOrganisation,
    Station,
    StationAssignment,
    StationOwner,
    StationStatusChange,
    Territory,
)


class StationStatusChangeInline(admin.TabularInline):
    model = StationStatusChange
    extra = 0
    fields = ("date", "status", "note", "recorded_by")
    readonly_fields = ("recorded_by",)


class StationAssignmentInline(admin.TabularInline):
    model = StationAssignment
    extra = 0
    autocomplete_fields = ("territory", "manager")


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city", "county", "scene", "operation", "status", "opened_on")
    list_filter = ("status", "scene", "operation", "city")
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("owner", "partner")
    readonly_fields = ("city", "status", "opened_on")
    inlines = (StationStatusChangeInline, StationAssignmentInline)


@admin.register(StationOwner)
class StationOwnerAdmin(PersonalDataAdmin):
    list_display = (
        "name",
        "city",
        "phone_masked",
        "is_party_member",
        "is_veteran",
        "party_consent",
    )
    list_filter = ("is_party_member", "is_veteran", "party_consent", "city")
    # consent is recorded with its date by Party affairs (fucai.party.vanguard), not here
    readonly_fields = ("party_consent",)
    search_fields = ("name",)


@admin.register(MarketManager)
class MarketManagerAdmin(PersonalDataAdmin):
    list_display = ("employee_code", "name", "city", "status")
    list_filter = ("status", "city")
    search_fields = ("employee_code", "name")


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city", "manager")
    list_filter = ("city",)
    search_fields = ("code", "name")


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "city", "partnered_on")
    list_filter = ("kind", "city")
    search_fields = ("name",)
