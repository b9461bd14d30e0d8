"""The 四强 self-assessment form: the day it is assessed as of, a conclusion and, per checklist
item, the points awarded, a note, the meetings of the branch's year as evidence and files."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fucai.core.attachments import AttachmentsField, store_attachment
from fucai.core.bounds import BoundedDateField, clean_optional_text
from fucai.core.forms import style_fields
from fucai.network.forms import DateInput
from fucai.party.assessment import default_day
from fucai.party.models import Assessment, AssessmentAnswer, Meeting

FIELDS = ("points", "note", "meetings", "files")


def _name(kind: str, item) -> str:
    return f"{kind}_{item.pk}"


class AssessmentForm(forms.Form):
    """One branch's year against the checklist; an item's points default to what the records
    suggest until someone scores it."""

    assessed_on = BoundedDateField(
        label=_("Assessed on"),
        help_text=_("The records are checked up to this day."),
        widget=DateInput(),
    )
    conclusion = forms.CharField(
        label=_("Conclusion"),
        required=False,
        max_length=2000,
        validators=[clean_optional_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, assessment: Assessment, suggestions: dict, **kwargs):
        self.assessment = assessment
        self.items = list(assessment.checklist.items.all())
        answers = (
            {a.item_id: a for a in assessment.answers.prefetch_related("meetings")}
            if assessment.pk
            else {}
        )
        kwargs.setdefault("initial", self._initial(answers, suggestions))
        super().__init__(*args, **kwargs)
        # the branch's meetings of the year, read once and offered to every item
        meetings = Meeting.objects.filter(branch=assessment.branch, held_on__year=assessment.year)
        choices = [(m.pk, str(m)) for m in meetings.order_by("held_on", "pk")]
        for item in self.items:
            self._add_item(item, choices)
        style_fields(self)

    def _initial(self, answers: dict, suggestions: dict) -> dict:
        initial = {
            "assessed_on": self.assessment.assessed_on or default_day(self.assessment.year),
            "conclusion": self.assessment.conclusion,
        }
        for item in self.items:
            answer = answers.get(item.pk)
            if answer is not None:
                initial[_name("points", item)] = answer.points
                initial[_name("note", item)] = answer.note
                initial[_name("meetings", item)] = [m.pk for m in answer.meetings.all()]
            elif item.pk in suggestions:
                initial[_name("points", item)] = suggestions[item.pk].points
        return initial

    def _add_item(self, item, meetings: list[tuple[int, str]]) -> None:
        self.fields[_name("points", item)] = forms.IntegerField(
            label=_("Points awarded"), min_value=0, max_value=item.points, required=False
        )
        self.fields[_name("note", item)] = forms.CharField(
            label=_("Note"), max_length=300, required=False, validators=[clean_optional_text]
        )
        self.fields[_name("meetings", item)] = forms.TypedMultipleChoiceField(
            choices=meetings,
            coerce=int,
            label=_("Meetings as evidence"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4}),
        )
        self.fields[_name("files", item)] = AttachmentsField(
            label=_("Files as evidence"), required=False, photos_only=False
        )

    def item_fields(self, item) -> dict:
        """The bound fields of one item, by kind (points, note, meetings, files)."""
        return {kind: self[_name(kind, item)] for kind in FIELDS}

    def clean_assessed_on(self) -> dt.date:
        day = self.cleaned_data["assessed_on"]
        if day.year < self.assessment.year:
            raise forms.ValidationError(_("An assessment is made in or after its year."))
        return day

    @transaction.atomic
    def save(self, user) -> Assessment:
        """The assessment and its answers; files stored as attachments of each answer
        (AttachmentRefused, raised by store_attachment, rolls everything back)."""
        assessment = self.assessment
        assessment.assessed_on = self.cleaned_data["assessed_on"]
        assessment.conclusion = self.cleaned_data["conclusion"]
        assessment.assessed_by = user
        assessment.save()
        for item in self.items:
            answer, _created = AssessmentAnswer.objects.update_or_create(
                assessment=assessment,
                item=item,
                defaults={
                    "points": self.cleaned_data[_name("points", item)],
                    "note": self.cleaned_data[_name("note", item)],
                },
            )
            answer.meetings.set(self.cleaned_data[_name("meetings", item)])  # meeting ids
            for upload in self.cleaned_data[_name("files", item)]:
                store_attachment(upload, owner=answer, user=user)
        return assessment
