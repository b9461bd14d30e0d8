"""Forms of the lead pages: a lead (checked against the spacing rules on submit), a step of its
lifecycle, its conversion into a station, a spacing rule and a point layer's file."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fucai.core.bounds import BoundedDateField, check_upload_size, clean_optional_text, clean_text
from fucai.core.forms import style_fields
from fucai.core.grant import CHANGE, EDIT_MASTER_DATA, grant_for
from fucai.geo.models import Division
from fucai.network.choices import LEAD_TRANSITIONS, LeadStatus, SpacingTarget
from fucai.network.forms import DateInput
from fucai.network.leads import may_override, save_lead
from fucai.network.models import Lead, SpacingRule


def recordable_counties(user):
    """The counties where `user` may record leads (edit master data, change reach)."""
    grant = grant_for(user)
    edit, change = grant.capability(EDIT_MASTER_DATA), grant.reach(CHANGE)
    counties = Division.objects.counties().select_related("parent").order_by("code")
    if edit.everything and change.everything:
        return counties
    return counties.filter(
        pk__in=[
            c.pk
            for c in counties
            if edit.includes_place(c.parent_id, c.pk) and change.includes_place(c.parent_id, c.pk)
        ]
    )


class LeadForm(forms.ModelForm):
    """A lead as entered from a poster's answer, a walk-in or an area walk. On submit the site is
    checked against every spacing rule; a violation is an error naming the rule and the nearest
    offender, unless an override reason is given by someone who may override."""

    override_reason = forms.CharField(
        label=_("Record despite the spacing rules, because"),
        max_length=200,
        required=False,
        help_text=_("Only with the right to override spacing rules; recorded on the lead."),
    )

    class Meta:
        model = Lead
        fields = [
            "contact_name",
            "contact_phone",
            "county",
            "address",
            "lon",
            "lat",
            "scene",
            "operation",
            "source",
            "received_on",
            "notes",
        ]
        widgets = {"received_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.user = user
        self.violations: list = []
        self.fields["county"].queryset = recordable_counties(user)
        style_fields(self)

    def clean_address(self) -> str:
        return clean_text(self.cleaned_data["address"])

    def clean_contact_name(self) -> str:
        return clean_text(self.cleaned_data["contact_name"])

    def clean(self) -> dict:
        data = super().clean()
        county = data.get("county")
        if county is None or data.get("lon") is None or data.get("lat") is None:
            return data
        reason = data.get("override_reason") or ""
        if reason and not may_override(self.user, county.parent_id):
            self.add_error(
                "override_reason", _("You may not record a lead despite the spacing rules.")
            )
        return data

    def save(self, commit: bool = True) -> Lead:
        """Save through fucai.network.leads.save_lead; a refusal becomes the form's error and
        returns None."""
        lead = super().save(commit=False)
        try:
            self.violations = save_lead(lead, self.user, self.cleaned_data["override_reason"])
        except ValidationError as error:
            self.add_error(None, error)
            return None
        return lead


class LeadTransitionForm(forms.Form):
    """The lead's next step; rejecting it needs the reason."""

    status = forms.ChoiceField(label=_("New status"))
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note (the reason, when rejected)"),
        max_length=200,
        required=False,
        validators=[clean_optional_text],
    )

    def __init__(self, *args, lead: Lead, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.lead = lead
        allowed = LEAD_TRANSITIONS[lead.status]
        self.fields["status"].choices = [(s.value, s.label) for s in LeadStatus if s in allowed]
        style_fields(self)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == LeadStatus.REJECTED and not (data.get("note") or "").strip():
            self.add_error("note", _("A rejected lead needs the reason it was rejected."))
        return data


class LeadConvertForm(forms.Form):
    """An approved lead becomes a planned station with this code and name."""

    code = forms.CharField(label=_("Station code"), max_length=8)
    name = forms.CharField(label=_("Station name"), max_length=100, validators=[clean_text])
    date = BoundedDateField(label=_("Planned on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        style_fields(self)


class SpacingRuleForm(forms.ModelForm):
    """A spacing rule, as the provincial centre edits it."""

    class Meta:
        model = SpacingRule
        fields = [
            "name",
            "applies_to",
            "target",
            "target_operation",
            "layer",
            "min_m",
            "city",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = Division.objects.cities().order_by("code")
        style_fields(self)

    def clean_name(self) -> str:
        return clean_text(self.cleaned_data["name"])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("target") == SpacingTarget.LAYER and not data.get("layer"):
            self.add_error("layer", _("A rule against a point layer names the layer."))
        if data.get("target") == SpacingTarget.STATIONS:
            data["layer"] = None
        if data.get("min_m") is not None and not 1 <= data["min_m"] <= 100_000:
            self.add_error("min_m", _("Between 1 and 100,000 metres."))
        return data


class LayerImportForm(forms.Form):
    """A point layer's file: CSV (lon,lat,name) or GeoJSON points, GCJ-02."""

    name = forms.CharField(label=_("Layer name"), max_length=60, validators=[clean_text])
    file = forms.FileField(
        label=_("File (CSV or GeoJSON)"),
        validators=[FileExtensionValidator(["csv", "geojson", "json"]), check_upload_size],
    )
    synthetic = forms.BooleanField(label=_("Synthetic (made-up) points"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class LeadMoveForm(LeadForm):
    """A recorded lead moved or changed (its place, scene, operation, notes): checked against the
    spacing rules again. The contact is not on this form (personal data is not shown in full)."""

    class Meta(LeadForm.Meta):
        fields = ["county", "address", "lon", "lat", "scene", "operation", "source", "notes"]
