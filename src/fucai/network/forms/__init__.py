"""Forms of the network pages: the as-of date, station edits, status transitions, imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fucai.core.bounds import (
    SMALL_INT_MAX,
    BoundedDateField,
    check_upload_size,
    clamp_date,
    clean_optional_text,
    clean_text,
)
from fucai.core.forms import style_fields
from fucai.network.choices import STATUS_TRANSITIONS, StationStatus
from fucai.network.models import PartnerOrganisation, Station, StationStatusChange
from fucai.network.onboarding import check_may_open

IMPORT_EXTENSIONS = ["csv", "xlsx"]


def default_as_of() -> dt.date:
    """Today, but never later than the last day the network's records reach: a history that stops
    earlier (the demo stops on 2023-09-03) opens on its last recorded day. That day is taken over
    the whole network, not the user's scope, so that an owner whose station last changed in 2015
    still sees today's figures; it is a date, not a row, and reveals nothing of other stations."""
    today = timezone.localdate()
    latest = StationStatusChange.objects.aggregate(day=Max("date"))["day"]
    return min(today, latest) if latest else today


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AsOfForm(forms.Form):
    """The "as of" day of a page's figures; falls back to `default_as_of` when absent or invalid,
    and is clamped into 2000-01-01 … today (fucai.core.bounds), with a `notice` saying so."""

    as_of_date: dt.date
    notice: str = ""

    as_of = forms.DateField(
        label=_("As of"), widget=DateInput(attrs={"class": "form-control form-control-sm"})
    )

    @classmethod
    def for_request(cls, request) -> AsOfForm:
        form = cls(request.GET if request.GET.get("as_of") else None)
        fallback = default_as_of()
        wanted = form.cleaned_data["as_of"] if form.is_bound and form.is_valid() else fallback
        form.as_of_date, form.notice = clamp_date(wanted)
        if not form.is_bound:
            form.initial = {"as_of": fallback}
        elif form.notice:  # show the day actually used, not what was typed
            form.data = form.data.copy()
            form.data["as_of"] = form.as_of_date.isoformat()
        return form


_style = style_fields  # Bootstrap's small controls (fucai.core.forms)


class StationForm(forms.ModelForm):
    """What an editor may change on a station's detail page. Code, county and status are not here:
    the code is the station's identity and the status changes only by a dated transition."""

    class Meta:
        model = Station
        fields = [
            "name",
            "address",
            "lon",
            "lat",
            "scene",
            "operation",
            "brand",
            "staff_count",
            "terminal_count",
            "partner",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = PartnerOrganisation.objects.restrict(user).order_by(
            "name"
        )
        for name in ("staff_count", "terminal_count"):  # SQLite itself would store any number
            self.fields[name].max_value = SMALL_INT_MAX
            self.fields[name].validators.append(MaxValueValidator(SMALL_INT_MAX))
            self.fields[name].widget.attrs["max"] = SMALL_INT_MAX
        _style(self)

    def clean_name(self) -> str:
        return clean_text(self.cleaned_data["name"])

    def clean_address(self) -> str:
        return clean_text(self.cleaned_data["address"])

    def clean_brand(self) -> str:
        return clean_optional_text(self.cleaned_data["brand"])

    def clean(self) -> dict:
        data = super().clean()
        lon, lat = data.get("lon"), data.get("lat")
        if lon is None or lat is None or not self.instance.county_id:
            return data
        if not _inside_county(self.instance.county.code, lon, lat):
            raise ValidationError(
                _("The point (%(lon)s, %(lat)s) lies outside %(county)s."),
                params={"lon": lon, "lat": lat, "county": self.instance.county.name},
            )
        return data


def _inside_county(county_code: str, lon: Decimal, lat: Decimal) -> bool:
    from shapely.geometry import Point

    from fucai.geo.loader import boundary_shapes

    shape = boundary_shapes("county").get(county_code)
    return shape is None or shape.contains(Point(float(lon), float(lat)))


class StationTransitionForm(forms.Form):
    """A dated status change of one station (e.g. open → suspended on 2023-08-01)."""

    status = forms.ChoiceField(label=_("New status"))
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), max_length=200, required=False, validators=[clean_optional_text]
    )
    override_reason = forms.CharField(
        label=_("Why it opens without its site survey (四帮)"),
        max_length=200,
        required=False,
        validators=[clean_optional_text],
        help_text=_("Only when opening a station whose survey is not done."),
    )

    def __init__(self, *args, station: Station, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.station = station
        allowed = (
            STATUS_TRANSITIONS[station.status]
            if station.status_changes.exists()
            else StationStatus.values
        )
        self.fields["status"].choices = [
            (s.value, s.label) for s in StationStatus if s.value in allowed
        ]
        _style(self)

    def save(self, user) -> StationStatusChange | None:
        """Record the transition; on a rule violation, add the error to the form and return None."""
        try:
            check_may_open(
                self.station,
                self.cleaned_data["status"],
                user,
                self.cleaned_data.get("override_reason", ""),
            )
            return self.station.transition(
                self.cleaned_data["status"],
                self.cleaned_data["date"],
                user,
                note=self.cleaned_data["note"],
            )
        except ValidationError as error:
            self.add_error(None, error)
            return None


class StationImportForm(forms.Form):
    """A station file (CSV or Excel, in the layout of docs/) and whether only to check it."""

    file = forms.FileField(
        label=_("Station file (CSV or Excel)"),
        validators=[FileExtensionValidator(IMPORT_EXTENSIONS), check_upload_size],
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run): validate every row and change nothing"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
