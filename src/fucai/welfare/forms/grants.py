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
# the workflow's sentence (Django's own Chinese one ends with an ASCII full stop)
AMOUNT_ERRORS = {"max_decimal_places": _("An amount has at most two decimals (fen).")}


class Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class StepForm(Styled):
    """Review, approve, reject or pay a grant."""

    step = forms.ChoiceField(
        label=_("Step"),
        choices=[
            ("review", _("Review")),
            ("approval", _("Approval")),
            ("payment", _("Payment")),
            ("rejection", _("Rejection")),
        ],
    )
    on = BoundedDateField(label=_("Day of the step"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False, max_length=2000)
    override_reason = forms.CharField(
        label=_("Reason to go over the budget"),
        widget=NOTE,
        required=False,
        max_length=2000,
        help_text=_("Only when the approval takes the project over its budget."),
    )

    def __init__(self, *args, status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if status is not None:  # offer only the steps the grant's status allows
            from fucai.welfare.workflow import STEP_FROM

            # offered: only these; accepted: any step, so that the workflow's refusal (the one
            # definition, with its sentence) answers a step the status does not allow
            field = self.fields["step"]
            field.widget.choices = [(k, v) for k, v in field.choices if status in STEP_FROM[k]]


class ApplicationForm(Styled):
    """An application: a project of one's cities, a household (new) or an organisation."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        min_value=0.01,
        decimal_places=2,
        max_digits=12,
        error_messages=AMOUNT_ERRORS,
    )
    applied_on = BoundedDateField(label=_("Applied on"), widget=DATE)
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=120,
        help_text=_("For a grant to an organisation; leave empty for a household."),
    )
    village = forms.CharField(label=_("Village or community"), max_length=60)
    name = forms.CharField(label=_("Head of household"), required=False, max_length=40)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    address = forms.CharField(label=_("Address"), required=False, max_length=120)
    circumstances = forms.CharField(
        label=_("Circumstances"), required=False, widget=NOTE, max_length=2000
    )
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False, max_length=2000)

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects.filter(status=ProjectStatus.OPEN)

    def clean(self):
        from fucai.core.personal import id_number_problem, phone_problem

        data = super().clean()
        number = (data.get("id_number") or "").replace(" ", "").strip().upper()
        phone = (data.get("phone") or "").replace(" ", "").strip()
        if "id_number" in data:
            data["id_number"] = number
        if "phone" in data:
            data["phone"] = phone
        if data.get("organisation"):
            if any(data.get(name) for name in HOUSEHOLD_INPUTS):
                self.add_error(
                    "organisation",
                    _(
                        "Fill in either the organisation or the household, not both: a grant "
                        "goes to one recipient."
                    ),
                )
            return data
        for name in ("name", "id_number"):
            if not data.get(name):
                self.add_error(name, _("A household's application needs this."))
        for name, problem in (("id_number", id_number_problem), ("phone", phone_problem)):
            sentence = problem(data.get(name) or "")
            if sentence:
                self.add_error(name, sentence)
        return data


# the household's fields of an application (an organisation's has none of them)
HOUSEHOLD_INPUTS = ("name", "id_number", "phone", "address", "circumstances")


class NoticeForm(Styled):
    """A public notice of the approved grants of one project not noticed yet."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=160)
    starts_on = forms.DateField(label=_("Notice starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Notice ends on"), widget=DATE)
    contact = forms.CharField(label=_("Contact for objections"), max_length=160)

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ObjectionForm(Styled):
    received_on = BoundedDateField(label=_("Received on"), widget=DATE)
    objector = forms.CharField(label=_("Objector (who objected)"), required=False, max_length=40)
    text = forms.CharField(label=_("Objection"), widget=NOTE, max_length=4000)


class ResolveForm(Styled):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ObjectionOutcome.choices)
    resolution = forms.CharField(label=_("Resolution"), widget=NOTE, max_length=4000)
    on = BoundedDateField(label=_("Resolved on"), widget=DATE)


class ProjectForm(Styled):
    """A project's facts (creation and edit); the city among one's welfare cities. Creating
    also asks the first status and day; editing the reason to lower the budget below what the
    grants committed and paid (fucai.welfare.workflow decides whether it is needed)."""

    city = forms.ModelChoiceField(label=_("City"), queryset=None)
    name = forms.CharField(label=_("Project name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    village = forms.CharField(
        label=_("Village or community"),
        max_length=60,
        required=False,
        help_text=_("Where the project is carried out (empty: across the city)."),
    )
    budget = forms.DecimalField(
        label=_("Budget (yuan)"),
        min_value=0.01,
        decimal_places=2,
        max_digits=14,
        error_messages=AMOUNT_ERRORS,
    )
    source_year = forms.IntegerField(
        label=_("Source year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year of the welfare fund the budget comes from."),
    )
    description = forms.CharField(
        label=_("Description"), widget=NOTE, required=False, max_length=4000
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, ProjectStatus(s).label) for s in (ProjectStatus.PLANNED, ProjectStatus.OPEN)],
    )
    on = BoundedDateField(label=_("Day of the status"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False, max_length=2000)
    override_reason = forms.CharField(
        label=_("Reason to lower the budget below committed and paid"),
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

    to_status = forms.ChoiceField(label=_("New status"), choices=ProjectStatus.choices)
    on = BoundedDateField(label=_("Day of the status"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=NOTE, required=False, max_length=2000)

    def __init__(self, *args, status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if status is not None:
            from fucai.welfare.workflow import PROJECT_MOVES

            field = self.fields["to_status"]  # offered: these; refused: by the workflow
            field.widget.choices = [(k, v) for k, v in field.choices if k in PROJECT_MOVES[status]]
