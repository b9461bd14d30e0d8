"""The form that makes a siting scenario: N, the area (a city the user may plan in, or the
province for the provincial centre), the day, the new sites' operation, the radii, quotas per
county ("临川区 = 10", one a line) and excluded counties."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fucai.core.bounds import clamp_date
from fucai.geo.models import Division
from fucai.network.choices import StationOperation
from fucai.planning.models import SitingScenario

MAX_NEW = 2000
QUOTA_LINE = re.compile(r"^\s*(?P<county>[^=:：＝]+?)\s*[=:：＝]\s*(?P<n>\d+)\s*$")


def rule_names() -> list[str]:
    """The names of the active spacing rules (a city's override shares its rule's name)."""
    from fucai.network.models import SpacingRule

    names = SpacingRule.objects.filter(active=True).values_list("name", flat=True)
    return sorted(set(names))


class SitingScenarioForm(forms.ModelForm):
    """A scenario's settings; `cities` are the cities the user may plan in, `province` whether
    the whole province may be chosen (city left empty)."""

    quotas_text = forms.CharField(
        label=gettext_lazy("Quotas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}),
        help_text=gettext_lazy("At most so many new sites in a county, one a line: 临川区 = 10"),
    )
    excluded = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Excluded counties"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select form-select-sm", "size": 5}),
        help_text=gettext_lazy("No new site there (their population still counts)."),
    )

    rules = forms.MultipleChoiceField(
        label=gettext_lazy("Spacing rules applied"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Untick a rule to see the plan without it."),
    )

    class Meta:
        model = SitingScenario
        fields = [
            "name",
            "city",
            "as_of",
            "new",
            "operation",
            "radius_urban_m",
            "radius_town_m",
            "radius_rural_m",
            "use_leads",
            "time_limit_s",
        ]
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, cities=None, province: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = cities if cities is not None else Division.objects.none()
        self.fields["city"].queryset = self.cities
        self.fields["city"].required = not province
        self.fields["city"].empty_label = _("The whole province") if province else None
        if not province:
            self.fields["city"].help_text = ""
        self.fields["operation"].choices = StationOperation.choices
        self.fields["operation"].initial = StationOperation.DEDICATED
        names = rule_names()
        self.fields["rules"].choices = [(n, n) for n in names]
        self.fields["rules"].widget.attrs["class"] = "form-check-input"
        self.initial.setdefault("rules", names)
        self.fields["excluded"].queryset = Division.objects.filter(
            level="county", parent__in=self.cities
        ).order_by("code")
        self.fields["new"].min_value = 1
        self.fields["new"].max_value = MAX_NEW
        self.fields["time_limit_s"].min_value = 1
        self.fields["time_limit_s"].max_value = 600
        for name in ("radius_urban_m", "radius_town_m", "radius_rural_m"):
            self.fields[name].min_value = 50
            self.fields[name].max_value = 50_000
        if not self.is_bound:
            self.initial.setdefault("as_of", timezone.localdate())
            self.initial.setdefault("new", 10)
            self.initial.setdefault("radius_urban_m", settings.PLANNING_RADIUS_URBAN_M)
            self.initial.setdefault("radius_town_m", settings.PLANNING_RADIUS_TOWN_M)
            self.initial.setdefault("radius_rural_m", settings.PLANNING_RADIUS_RURAL_M)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue  # drawn as form-check rows by the template
            if isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean_as_of(self):
        day, _notice = clamp_date(self.cleaned_data["as_of"])
        return day

    def clean(self):
        data = super().clean()
        city = data.get("city")
        counties = Division.objects.filter(level="county", parent__in=self.cities)
        if city is not None:
            counties = counties.filter(parent=city)
        data["quotas"] = self._quotas(data.get("quotas_text") or "", counties)
        excluded = data.get("excluded") or []
        stray = [c.name for c in excluded if city is not None and c.parent_id != city.pk]
        if stray:
            self.add_error(
                "excluded",
                _("Not in the chosen city: %(names)s") % {"names": "、".join(stray)},
            )
        return data

    def _quotas(self, text: str, counties) -> dict[str, int]:
        by_name = {c.name: c.code for c in counties}
        codes = set(by_name.values())
        quotas: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            match = QUOTA_LINE.match(line)
            county = match and match["county"].strip()
            code = county if county in codes else by_name.get(county or "")
            if not match or code is None:
                self.add_error(
                    "quotas_text",
                    _("Line %(n)s: “%(line)s” is not “county = number” for a county of the area")
                    % {"n": number, "line": line.strip()},
                )
                continue
            quotas[code] = int(match["n"])
        return quotas

    def save(self, commit: bool = True):
        scenario = super().save(commit=False)
        scenario.quotas = self.cleaned_data.get("quotas") or {}
        scenario.excluded_counties = [c.code for c in self.cleaned_data.get("excluded") or []]
        applied = set(self.cleaned_data.get("rules") or [])
        scenario.ignored_rules = [n for n in rule_names() if n not in applied]
        if commit:
            scenario.save()
        return scenario
