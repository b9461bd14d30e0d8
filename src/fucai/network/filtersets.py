"""Filters for the station list. Every choice offered is limited to the user's scope."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fucai.geo.api.scope import visible_city_codes
from fucai.geo.models import Division
from fucai.network.choices import StationOperation, StationScene, StationStatus
from fucai.network.models import PartnerOrganisation, Station

YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


def scoped_cities(user):
    """The cities whose stations and boundaries `user` may see (fucai.geo.api.scope)."""
    codes = visible_city_codes(user)
    cities = Division.objects.cities()
    return cities if codes is None else cities.filter(code__in=codes)


class StationFilterSet(django_filters.FilterSet):
    """The station list's filters: where, what kind, which status, who, and free text."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    city = django_filters.ModelChoiceFilter(
        label=_("City"), queryset=Division.objects.none(), empty_label=_("All")
    )
    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=Division.objects.none(), empty_label=_("All")
    )
    scene = django_filters.ChoiceFilter(
        label=_("Scene"), choices=StationScene.choices, empty_label=_("All")
    )
    operation = django_filters.ChoiceFilter(
        label=_("Operation"), choices=StationOperation.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Current status"), choices=StationStatus.choices, empty_label=_("All")
    )
    party_owner = django_filters.BooleanFilter(
        label=_("Party-member owner"),
        method="party_owner_filter",
        widget=forms.Select(choices=YES_NO),
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner organisation"),
        queryset=PartnerOrganisation.objects.none(),
        empty_label=_("All"),
    )

    class Meta:
        model = Station
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        user = request.user if request is not None else None
        cities = scoped_cities(user)
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["city"].queryset = cities
        self.filters["partner"].queryset = PartnerOrganisation.objects.restrict(user).order_by(
            "name"
        )
        counties = Division.objects.counties().filter(parent__in=cities).order_by("code")
        city = self._chosen(cities, "city")
        if city is not None:
            counties = counties.filter(parent=city)
        if self.data.get("county") and self._chosen(counties, "county") is None:
            self.data = self.data.copy()
            self.data.pop("county")
        self.filters["county"].queryset = counties
        if len(cities) == 1:
            del self.filters["city"]  # a one-city scope: the city choice says nothing

    def _chosen(self, queryset, name: str):
        value = self.data.get(name) if self.data else None
        if not value or not str(value).isdigit():
            return None
        return queryset.filter(pk=value).first()

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if is_select else "form-control form-control-sm",
            )
        form.fields["q"].widget.attrs.setdefault("placeholder", _("Code, name or address"))
        return form

    def party_owner_filter(self, queryset, name: str, value: bool | None):
        """Party-member owners as the user may know them (fucai.party.vanguard): every member
        for Party affairs, the consenting ones (党员先锋示范岗) for everyone else."""
        from fucai.party.vanguard import party_member_q, vanguard_q

        if value is None:
            return queryset
        if self.request is None:  # no user: what anybody may know
            members = vanguard_q(prefix="owner")
        else:
            members = party_member_q(self.request.user, prefix="owner")
        return queryset.filter(members) if value else queryset.exclude(members)

    def search(self, queryset, name: str, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(address__icontains=value)
        )
