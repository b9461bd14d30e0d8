"""The cockpit's as-of form: a day inside the sales data, the comparison rule, and presets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fucai.core.bounds import clamp_date
from fucai.network.forms import DateInput

COMPARE_CHOICES = [
    ("calendar", gettext_lazy("Same dates last year")),
    ("selling_days", gettext_lazy("Same number of selling days (Spring Festival)")),
]
# Days the centre has published figures for (the seed's bulletin: 截至9月3日 …); offered as a
# one-click preset when the sales data cover them.
BULLETIN_DAYS = (dt.date(2023, 9, 3),)


@dataclass(frozen=True)
class SalesSpan:
    """The days the sales data (in the user's scope) reach: first year's 1 January to the last
    day with a sale."""

    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Preset:
    label: str
    day: dt.date


class CockpitForm(forms.Form):
    """As-of day and comparison of the cockpit. The day is clamped into the sales data: a day
    after the last sale shows the last sale's day (and says so), none given shows the latest day
    (never later than today)."""

    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
    )
    compare = forms.ChoiceField(
        label=gettext_lazy("Compare with"),
        choices=COMPARE_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, data=None, *, span: SalesSpan | None = None) -> None:
        super().__init__(data)
        self.span = span
        self.as_of_date: dt.date = timezone.localdate()
        self.compare_rule = "calendar"
        self.notice = ""
        self._resolve()

    @classmethod
    def for_request(cls, request, span: SalesSpan | None) -> CockpitForm:
        return cls(request.GET if request.GET else None, span=span)

    def _resolve(self) -> None:
        today = timezone.localdate()
        valid = self.is_bound and self.is_valid()
        wanted = self.cleaned_data.get("as_of") if valid else None
        self.compare_rule = (self.cleaned_data.get("compare") if valid else None) or "calendar"
        if self.is_bound and not valid and "as_of" in self.errors:
            self.notice = _("That is not a date; showing the latest day instead.")
        if wanted is not None:  # within 2000-01-01 … today first (fucai.core.bounds)
            wanted, self.notice = clamp_date(wanted)
        if self.span is None:
            self.as_of_date = wanted or today
        else:
            latest = min(self.span.last, today)
            self.as_of_date = self._clamp(wanted or latest, latest)
            self.fields["as_of"].widget.attrs.update(
                {"min": self.span.first.isoformat(), "max": latest.isoformat()}
            )
        self.initial = {"as_of": self.as_of_date, "compare": self.compare_rule}
        if self.is_bound:  # show the day actually used, not what was typed
            self.data = self.data.copy()
            self.data["as_of"] = self.as_of_date.isoformat()
            self.data["compare"] = self.compare_rule

    def _clamp(self, day: dt.date, latest: dt.date) -> dt.date:
        assert self.span is not None
        if day > latest:
            self.notice = _("The sales data reach %(day)s; showing that day.") % {
                "day": latest.isoformat()
            }
            return latest
        if day < self.span.first:
            self.notice = _("The sales data begin on %(day)s; showing that day.") % {
                "day": self.span.first.isoformat()
            }
            return self.span.first
        return day

    def presets(self) -> list[Preset]:
        """One-click days: the latest, the bulletin days and the ends of earlier years."""
        if self.span is None:
            return []
        latest = min(self.span.last, timezone.localdate())
        presets = [Preset(_("Latest (%(day)s)") % {"day": latest.isoformat()}, latest)]
        for day in BULLETIN_DAYS:
            if self.span.first <= day <= latest and day != latest:
                # ISO like the other presets' days, in every language
                label = _("Bulletin (%(day)s)") % {"day": day.isoformat()}
                presets.append(Preset(label, day))
        for year in range(latest.year - 1, self.span.first.year - 1, -1):
            end = dt.date(year, 12, 31)
            presets.append(Preset(_("End of %(year)s") % {"year": year}, end))
        return presets
