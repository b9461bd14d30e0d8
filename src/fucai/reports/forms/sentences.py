"""The reports module's forms: the bulletin's day and scope, a sentence template's wording."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fucai.reports.models import BulletinSentence
from fucai.reports.sentences import condition_errors, template_errors


class BulletinSentenceForm(forms.ModelForm):
    """An admin's edit of one sentence template: refused when it names a field its section
    does not have, a format other than 余N, or a condition on an unknown fact."""

    class Meta:
        model = BulletinSentence
        fields = ("template", "condition", "paragraph", "order", "enabled")
        widgets = {
            "template": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            "condition": forms.TextInput(attrs={"class": "form-control"}),
            "paragraph": forms.NumberInput(attrs={"class": "form-control", "min": 1}),
            "order": forms.NumberInput(attrs={"class": "form-control", "min": 0}),
            "enabled": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }

    def clean_template(self) -> str:
        text = self.cleaned_data["template"].strip()
        if not text:
            raise ValidationError(_("The wording is empty."))
        errors = template_errors(text, self.instance.section)
        if errors:
            raise ValidationError(errors)
        return text

    def clean_condition(self) -> str:
        text = " ".join(self.cleaned_data["condition"].split())
        errors = condition_errors(text, self.instance.section) if text else []
        if errors:
            raise ValidationError(errors)
        return text
