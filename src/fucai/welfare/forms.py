"""Forms of the welfare pages: a public-welfare fund rate (its overlap check is the model's)."""

from __future__ import annotations

from django import forms

from fucai.core.filtersets import DateInput
from fucai.core.forms import style_fields
from fucai.welfare.models import FundRate


class FundRateForm(forms.ModelForm):
    """A rate of one game over a period, with its source (FundRate.clean refuses an overlap)."""

    class Meta:
        model = FundRate
        fields = ["game", "valid_from", "valid_to", "rate", "source"]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "source": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
