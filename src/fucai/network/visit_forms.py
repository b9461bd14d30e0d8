"""Forms of the field visits: recording one (the phone page, also posted by its offline queue) and
the filters of the visit lists."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fucai.core.attachments import AttachmentsField
from fucai.core.bounds import EARLIEST_DATE, BoundedDateField, clean_optional_text
from fucai.network.choices import VisitPurpose

MAX_NOTE = 4000


class VisitForm(forms.Form):
    """One visit. The station is a code among those the user may record visits at (the view
    looks it up: another's is a 404); the position is the phone's (WGS-84), optional — a phone
    that refuses to give it still records the visit, without a distance."""

    idempotency_key = forms.UUIDField(label=_("Idempotency key"))
    station = forms.CharField(label=_("Station"), max_length=8)
    visited_on = BoundedDateField(label=_("Visited on"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=VisitPurpose.choices)
    findings = forms.CharField(label=_("Findings"), required=False, max_length=MAX_NOTE)
    advice = forms.CharField(label=_("Sales advice"), required=False, max_length=MAX_NOTE)
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=2000)
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    accuracy_m = forms.IntegerField(
        label=_("Accuracy (m)"), required=False, min_value=0, max_value=1_000_000
    )
    photos = AttachmentsField(required=False, max_files=10)

    def clean_station(self) -> str:
        return self.cleaned_data["station"].strip()

    def _text(self, name: str) -> str:
        return clean_optional_text(self.cleaned_data.get(name) or "")

    def clean_findings(self) -> str:
        return self._text("findings")

    def clean_advice(self) -> str:
        return self._text("advice")

    def clean_next_step(self) -> str:
        return self._text("next_step")

    def clean(self):
        data = super().clean()
        follow, visited = data.get("follow_up_on"), data.get("visited_on")
        if follow and visited and follow < visited:
            self.add_error("follow_up_on", _("The follow-up cannot be before the visit."))
        if follow and follow > dt.date.today() + dt.timedelta(days=366 * 2):
            self.add_error("follow_up_on", _("The follow-up is more than two years ahead."))
        if (data.get("lon") is None) != (data.get("lat") is None):
            raise ValidationError(_("A position needs both longitude and latitude."))
        return data

    def visit_data(self) -> dict:
        """What fucai.network.visits.record_visit stores."""
        data = self.cleaned_data
        return {
            key: data.get(key)
            for key in (
                "visited_on",
                "purpose",
                "findings",
                "advice",
                "next_step",
                "follow_up_on",
                "lon",
                "lat",
                "accuracy_m",
            )
        }


class VisitFilterForm(forms.Form):
    """The visit lists' filters: a station, a person, a territory, a city, dates, far only."""

    station = forms.CharField(label=_("Station"), required=False, max_length=8)
    manager = forms.ChoiceField(label=_("Person"), required=False)
    territory = forms.ChoiceField(label=_("Territory"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("Until"), required=False)
    far = forms.BooleanField(label=_("Far visits only"), required=False)

    def __init__(self, data=None, *, managers=(), territories=(), cities=()):
        super().__init__(data)
        everyone = [("", _("All"))]
        self.fields["manager"].choices = everyone + [
            (str(m.pk), f"{m.name} ({m.employee_code})") for m in managers
        ]
        self.fields["territory"].choices = everyone + [(str(t.pk), t.name) for t in territories]
        self.fields["city"].choices = everyone + [(c.code, c.name) for c in cities]
        if len(cities) <= 1:
            del self.fields["city"]
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else ""
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            if isinstance(field, forms.BooleanField):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css or "form-control form-control-sm")

    def value(self, name: str):
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get(name) or None

    def clean_since(self):
        day = self.cleaned_data.get("since")
        return max(day, EARLIEST_DATE) if day else None
