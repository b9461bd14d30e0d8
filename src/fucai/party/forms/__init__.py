"""The Party module's forms: a meeting record (with attachments) and the compliance filter."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fucai.core.attachments import AttachmentsField
from fucai.party.models import Meeting, Member, PartyGroup


class MeetingForm(forms.ModelForm):
    """A meeting of one of the branches the user records for; members and groups of that
    branch only."""

    absent = forms.ModelMultipleChoiceField(
        Member.objects.none(),
        label=_("Absent"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    absence_reason = forms.CharField(
        label=_("Reason for the absence"), max_length=200, required=False
    )
    files = AttachmentsField(label=_("Attachments"), required=False)

    class Meta:
        model = Meeting
        fields = [
            "branch",
            "meeting_type",
            "group",
            "held_on",
            "topic",
            "led_by",
            "attendees",
            "minutes",
            "late_reason",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "attendees": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        # members on the roll now, and those who left within a year (a meeting entered late)
        recent = timezone.localdate() - dt.timedelta(days=366)
        members = Member.objects.filter(branch__in=branches).exclude(left_on__lt=recent)
        self.fields["led_by"].queryset = members
        self.fields["attendees"].queryset = members
        self.fields["absent"].queryset = members
        self.fields["group"].queryset = PartyGroup.objects.filter(branch__in=branches)
        self.instance.entered_on = timezone.localdate()

    def clean(self):
        data = super().clean()
        branch = data.get("branch")
        for name in ("led_by", "group"):
            value = data.get(name)
            if branch and value and value.branch_id != branch.pk:
                self.add_error(name, _("Not of this branch."))
        if branch and any(m.branch_id != branch.pk for m in data.get("attendees") or ()):
            self.add_error("attendees", _("Not of this branch."))
        absent = set(data.get("absent") or ())
        if absent & set(data.get("attendees") or ()):
            self.add_error("absent", _("A member cannot both attend and be absent."))
        if absent and not (data.get("absence_reason") or "").strip():
            self.add_error("absence_reason", _("Say why they were absent."))
        self._check_roll(data)
        return data

    def _check_roll(self, data: dict) -> None:
        """The chair, the attendees and the absent were on the branch's roll on the day."""
        held_on = data.get("held_on")
        if held_on is None:
            return
        for name in ("led_by", "attendees", "absent"):
            value = data.get(name)
            chosen = [value] if isinstance(value, Member) else list(value or ())
            on_roll = set(
                Member.objects.filter(pk__in=[m.pk for m in chosen])
                .on_roll(held_on)
                .values_list("pk", flat=True)
            )
            off = [str(m) for m in chosen if m.pk not in on_roll]
            if off:
                message = _("Not on the branch's roll on %(day)s: %(names)s.")
                self.add_error(name, message % {"day": held_on, "names": "、".join(off)})

    def save_absences(self, meeting) -> None:
        from fucai.party.models import Absence

        reason = self.cleaned_data["absence_reason"].strip()
        for member in self.cleaned_data["absent"]:
            Absence.objects.create(meeting=meeting, member=member, reason=reason)


class ComplianceForm(forms.Form):
    """Which year, as of which day."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def values(self) -> tuple[int, dt.date]:
        today = timezone.localdate()
        if not self.is_valid():
            return today.year, today
        year = self.cleaned_data["year"]
        as_of = self.cleaned_data.get("as_of") or min(today, dt.date(year, 12, 31))
        return year, as_of
