"""Forms of the welfare pages: a public-welfare fund rate (its overlap check is the model's)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fucai.core.attachments import AttachmentsField
from fucai.core.filtersets import DateInput
from fucai.core.forms import style_fields
from fucai.welfare.choices import PostService
from fucai.welfare.models import FundRate, WelfareActivity, WelfarePost


class FundRateForm(forms.ModelForm):
    """A rate of one game over a period, with its source (FundRate.clean refuses an overlap)."""

    class Meta:
        model = FundRate
        fields = ["game", "category", "valid_from", "valid_to", "rate", "source"]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "source": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ActivityForm(forms.ModelForm):
    """A 福彩公益行 activity or publicity placement, with photos; its city among those where the
    user records activities (`record_welfare_activities`), its county within that city."""

    photos = AttachmentsField(required=False)

    class Meta:
        model = WelfareActivity
        fields = [
            "kind",
            "title",
            "held_on",
            "city",
            "county",
            "address",
            "lon",
            "lat",
            "people_reached",
            "note",
        ]
        widgets = {"held_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs) -> None:
        from fucai.core.grant import RECORD_WELFARE_ACTIVITIES, grant_for
        from fucai.geo.models import Division

        super().__init__(*args, **kwargs)
        reach = grant_for(user).capability(RECORD_WELFARE_ACTIVITIES)
        cities = Division.objects.filter(level="prefecture").order_by("code")
        if not reach.everything:
            cities = cities.filter(pk__in=reach.cities)
        self.fields["city"].queryset = cities
        if self.instance.pk is None and len(cities) == 1:  # a city's officer: their city
            self.fields["city"].initial = cities[0].pk
        self.fields["county"].queryset = Division.objects.filter(
            level="county", parent__in=cities
        ).order_by("code")
        style_fields(self)

    def clean(self):
        data = super().clean()
        city, county = data.get("city"), data.get("county")
        if city and county and county.parent_id != city.pk:
            self.add_error("county", _("This county is not in the city chosen."))
        if (data.get("lon") is None) != (data.get("lat") is None):
            self.add_error("lat", _("Give both longitude and latitude, or neither."))
        return data


class PostServicesForm(forms.ModelForm):
    """The services a 福彩公益驿站 offers and its opening note."""

    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=PostService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = WelfarePost
        fields = ["services", "opening_note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
