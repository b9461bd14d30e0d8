"""The form asking for a report pack now (the archive page, fucai.reports.views_packs)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fucai.core.filtersets import DateInput
from fucai.core.forms import style_fields
from fucai.reports.choices import PackKind


def scope_choices() -> list[tuple[str, str]]:
    from fucai.core.reporting import PROVINCE
    from fucai.geo.choices import DivisionLevel
    from fucai.geo.models import Division

    cities = Division.objects.filter(level=DivisionLevel.PREFECTURE).order_by("code")
    return [(PROVINCE, str(_("Whole province"))), *((c.code, c.name) for c in cities)]


class PackForm(forms.Form):
    """Scope, kind, period and (optionally) the as-of day of a pack."""

    scope = forms.ChoiceField(label=_("Scope"))
    kind = forms.ChoiceField(label=_("Kind"), choices=PackKind.choices)
    period = forms.CharField(
        label=_("Period"), max_length=7, help_text=_("2023-08 (monthly) or 2023-Q3 (quarterly)")
    )
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices()
        style_fields(self)

    def clean(self):
        from fucai.reports.packs import PackError, period_bounds

        data = super().clean()
        if data.get("kind") and data.get("period"):
            try:
                start, _end = period_bounds(data["kind"], data["period"])
            except PackError as exc:
                raise ValidationError({"period": str(exc)}) from None
            as_of = data.get("as_of")
            if as_of is not None and as_of < start:
                raise ValidationError({"as_of": _("The day is before the period begins.")})
        return data
