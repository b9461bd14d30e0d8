"""Filters for the user list: free text, agency, status and role."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fucai.accounts.choices import Role
from fucai.accounts.models import User
from fucai.core.forms import style_fields
from fucai.geo.models import Division

STATUS_CHOICES = [
    ("active", pgettext_lazy("account", "Active")),
    ("inactive", pgettext_lazy("account", "Deactivated")),
]


class UserFilterSet(django_filters.FilterSet):
    """Search by user name or name, and filter by agency, status and role."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    city = django_filters.ModelChoiceFilter(
        label=_("Agency"), queryset=Division.objects.none(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=_("All"), method="by_status"
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, empty_label=_("All"), method="by_role"
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, cities=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["city"].queryset = cities if cities is not None else Division.objects.none()
        if cities is not None and len(cities) == 1:
            del self.filters["city"]  # one agency: the choice says nothing

    @property
    def form(self):
        form = super().form
        style_fields(form)
        form.fields["q"].widget.attrs.setdefault("placeholder", _("User name or name"))
        return form

    def search(self, queryset, name: str, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value)
            | Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
            | Q(email__icontains=value)
        )

    def by_status(self, queryset, name: str, value: str):
        if not value:
            return queryset
        return queryset.filter(is_active=value == "active")

    def by_role(self, queryset, name: str, value: str):
        if not value:
            return queryset
        return queryset.filter(role_assignments__role=value).distinct()
