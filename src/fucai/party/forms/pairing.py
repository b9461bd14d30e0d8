"""Forms for pairing (结对), area assignment (分片挂点) and effect studies."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fucai.core.bounds import BoundedDateField
from fucai.party.choices import Treatment
from fucai.party.effect import CONTROL_GROUPS
from fucai.party.effect_build import NEAR_M, PANEL_FIRST
from fucai.party.models import Member, Pairing, PairingScheme
from fucai.party.pairing import STALE_DAYS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CadreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.branch.name}"


class PairingForm(forms.ModelForm):
    """A cadre of a scheme's branch paired with a station (by its code)."""

    station = forms.CharField(label=_("Station code"), max_length=8)

    class Meta:
        model = Pairing
        fields = ["scheme", "member", "station", "started_on", "ended_on", "note"]
        field_classes = {"member": CadreChoiceField}
        widgets = {"started_on": DATE, "ended_on": DATE}

    def __init__(self, *args, branches, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"
        self.fields["scheme"].queryset = PairingScheme.objects.filter(branch__in=branches)
        cadres = Member.objects.filter(branch__in=branches, is_cadre=True)
        members = cadres.on_roll() | cadres.filter(pk=self.instance.member_id)  # kept on an edit
        self.fields["member"].queryset = members.select_related("branch")

    def clean_station(self):
        from fucai.network.models import Station

        code = self.cleaned_data["station"].strip()
        station = Station.objects.restrict(self.user).filter(code=code).first()
        if station is None:  # out of scope or missing: the same answer
            raise forms.ValidationError(_("No station %(code)s in your scope.") % {"code": code})
        return station

    def clean(self):
        data = super().clean()
        scheme, station = data.get("scheme"), data.get("station")
        city = scheme.branch.city_id if scheme else None
        if city and station is not None and station.city_id != city:
            self.add_error("station", _("The station is not in the scheme's city."))
        return data


class CoverageForm(forms.Form):
    """As of which day, visits counted from when, how many days make a pairing stale."""

    as_of = BoundedDateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    stale_days = forms.IntegerField(
        label=_("No visit in (days)"), min_value=1, max_value=3650, required=False
    )

    def values(self) -> tuple[dt.date, int]:
        today = timezone.localdate()
        if not self.is_valid():
            return today, STALE_DAYS
        return (
            self.cleaned_data.get("as_of") or today,
            self.cleaned_data.get("stale_days") or STALE_DAYS,
        )


class StudyForm(forms.Form):
    """What to measure: the treatment, the city, the months."""

    treatment = forms.ChoiceField(label=_("Treatment"), choices=Treatment.choices)
    city = forms.ModelChoiceField(queryset=None, label=_("City"))
    first = BoundedDateField(label=_("From"), initial=PANEL_FIRST, widget=DATE)
    last = BoundedDateField(label=_("Until"), widget=DATE)
    radius_m = forms.IntegerField(
        label=_("Nearby means within (m)"), initial=NEAR_M, min_value=100, max_value=10_000
    )
    control_group = forms.ChoiceField(
        label=_("Controls"),
        choices=[
            (CONTROL_GROUPS[0], _("Matched never-treated stations (same city and scene)")),
            (CONTROL_GROUPS[1], _("Every never-treated station")),
        ],
    )

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        self.fields["last"].initial = timezone.localdate()
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and last <= first:
            self.add_error("last", _("The study ends after it starts."))
        return data
