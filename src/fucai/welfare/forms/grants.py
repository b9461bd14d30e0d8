"""Forms of the grant pages: each step, an application (with a new household), a notice, an
objection. They only read input; fucai.welfare.workflow decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fucai.core.bounds import BoundedDateField
from fucai.core.forms import style_fields
from fucai.welfare.choices import ObjectionOutcome, ProjectKind, ProjectStatus

DATE = forms.DateInput(attrs={"type": "date"})
NOTE = forms.Textarea(attrs={"rows": 2})


class Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class StepForm(Styled):
    """Review, approve, reject or pay a grant."""

    step = forms.ChoiceField(
        label=_("step"),
        choices=[
            ("review", _("Review")),
            ("approval", _("Approval")),
            ("payment", _("Payment")),
            ("rejection", _("Rejection")),
        ],
    )
    on = BoundedDateField(label=_("on"), widget=DATE)
    note = forms.CharField(label=_("note"), widget=NOTE, required=False, max_length=2000)
    override_reason = forms.CharField(
        label=_("reason to go over the budget"),
        widget=NOTE,
        required=False,
        max_length=2000,
        help_text=_("Only when the approval takes the project over its budget."),
    )

    def __init__(self, *args, status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if status is not None:  # offer only the steps the grant's status allows
            from fucai.welfare.workflow import STEP_FROM

            field = self.fields["step"]
            field.choices = [(k, v) for k, v in field.choices if status in STEP_FROM[k]]


class ApplicationForm(Styled):
    """An application: a project of one's cities, a household (new) or an organisation."""

    project = forms.ModelChoiceField(label=_("project"), queryset=None)
    amount = forms.DecimalField(
        label=_("amount (yuan)"), min_value=0.01, decimal_places=2, max_digits=12
    )
    applied_on = BoundedDateField(label=_("applied on"), widget=DATE)
    organisation = forms.CharField(
        label=_("organisation"),
        required=False,
        max_length=120,
        help_text=_("For a grant to an organisation; leave empty for a household."),
    )
    village = forms.CharField(label=_("village or community"), max_length=60)
    name = forms.CharField(label=_("head of household"), required=False, max_length=40)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)
    phone = forms.CharField(label=_("phone"), required=False, max_length=20)
    address = forms.CharField(label=_("address"), required=False, max_length=120)
    circumstances = forms.CharField(
        label=_("circumstances"), required=False, widget=NOTE, max_length=2000
    )
    note = forms.CharField(label=_("note"), widget=NOTE, required=False, max_length=2000)

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects.filter(status=ProjectStatus.OPEN)

    def clean(self):
        data = super().clean()
        if not data.get("organisation"):
            for name in ("name", "id_number"):
                if not data.get(name):
                    self.add_error(name, _("A household's application needs this."))
            number = (data.get("id_number") or "").strip().upper()
            if number and (len(number) != 18 or not number[:17].isdigit()):
                self.add_error("id_number", _("An ID number has 18 characters."))
        return data


class NoticeForm(Styled):
    """A public notice of the approved grants of one project not noticed yet."""

    project = forms.ModelChoiceField(label=_("project"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=160)
    starts_on = forms.DateField(label=_("notice starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("notice ends on"), widget=DATE)
    contact = forms.CharField(label=_("contact for objections"), max_length=160)

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ObjectionForm(Styled):
    received_on = BoundedDateField(label=_("received on"), widget=DATE)
    objector = forms.CharField(label=_("objector"), required=False, max_length=40)
    text = forms.CharField(label=_("objection"), widget=NOTE, max_length=4000)


class ResolveForm(Styled):
    outcome = forms.ChoiceField(label=_("outcome"), choices=ObjectionOutcome.choices)
    resolution = forms.CharField(label=_("resolution"), widget=NOTE, max_length=4000)
    on = BoundedDateField(label=_("resolved on"), widget=DATE)


class ProjectForm(Styled):
    """A project's facts (creation and edit); the city among one's welfare cities. Creating
    also asks the first status and day; editing the reason to lower the budget below what the
    grants committed and paid (fucai.welfare.workflow decides whether it is needed)."""

    city = forms.ModelChoiceField(label=_("city"), queryset=None)
    name = forms.CharField(label=_("name"), max_length=120)
    kind = forms.ChoiceField(label=_("kind"), choices=ProjectKind.choices)
    village = forms.CharField(
        label=_("village or community"),
        max_length=60,
        required=False,
        help_text=_("Where the project is carried out (empty: across the city)."),
    )
    budget = forms.DecimalField(
        label=_("budget (yuan)"), min_value=0.01, decimal_places=2, max_digits=14
    )
    source_year = forms.IntegerField(
        label=_("source year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year of the welfare fund the budget comes from."),
    )
    description = forms.CharField(
        label=_("description"), widget=NOTE, required=False, max_length=4000
    )
    status = forms.ChoiceField(
        label=_("status"),
        choices=[(s, ProjectStatus(s).label) for s in (ProjectStatus.PLANNED, ProjectStatus.OPEN)],
    )
    on = BoundedDateField(label=_("on"), widget=DATE)
    note = forms.CharField(label=_("note"), widget=NOTE, required=False, max_length=2000)
    override_reason = forms.CharField(
        label=_("reason to lower the budget below committed and paid"),
        widget=NOTE,
        required=False,
        max_length=2000,
        help_text=_("Only when the new budget is less than what the grants committed and paid."),
    )

    def __init__(self, *args, cities=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        drop = ("status", "on", "note") if editing else ("override_reason",)
        for name in drop:
            del self.fields[name]


class ProjectMoveForm(Styled):
    """Move a project on: only the statuses its status leads to are offered."""

    to_status = forms.ChoiceField(label=_("new status"), choices=ProjectStatus.choices)
    on = BoundedDateField(label=_("on"), widget=DATE)
    note = forms.CharField(label=_("note"), widget=NOTE, required=False, max_length=2000)

    def __init__(self, *args, status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if status is not None:
            from fucai.welfare.workflow import PROJECT_MOVES

            field = self.fields["to_status"]
            field.choices = [(k, v) for k, v in field.choices if k in PROJECT_MOVES[status]]
