"""Forms of the 四帮 onboarding workflow: completing a task (with the survey's figures, the
layout checklist and photos) and editing the template."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fucai.accounts.models import User
from fucai.core.attachments import AttachmentsField
from fucai.core.bounds import SMALL_INT_MAX, clean_optional_text
from fucai.core.forms import style_fields
from fucai.network.choices import OnboardingPhase, OnboardingTaskState, SurveyRecommendation
from fucai.network.models import (
    MarketManager,
    OnboardingTask,
    OnboardingTemplate,
    OnboardingTemplateTask,
)

SURVEY_FIELDS = ("foot_traffic", "nearby_welfare", "nearby_sports", "rent_yuan", "recommendation")
CHECK_PREFIX = "check_"


class CadreChoiceField(forms.ModelChoiceField):
    """A city's Party cadre (a user), shown by name and login."""

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class OnboardingTaskForm(forms.Form):
    """What the assignee records: the state, notes, the survey's figures (建站前), the layout
    checklist (建站时) and photos. Those who may change the station may also reassign it."""

    state = forms.ChoiceField(label=_("State"), choices=OnboardingTaskState.choices)
    notes = forms.CharField(
        label=_("Completion notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[clean_optional_text],
    )
    skip_reason = forms.CharField(
        label=_("Reason for skipping"),
        max_length=200,
        required=False,
        validators=[clean_optional_text],
    )
    foot_traffic = forms.IntegerField(
        label=_("Foot traffic (people an hour)"), min_value=0, max_value=100000, required=False
    )
    nearby_welfare = forms.IntegerField(
        label=_("Welfare-lottery stations within 500 m"),
        min_value=0,
        max_value=SMALL_INT_MAX,
        required=False,
    )
    nearby_sports = forms.IntegerField(
        label=_("Sports-lottery stations within 500 m"),
        min_value=0,
        max_value=SMALL_INT_MAX,
        required=False,
    )
    rent_yuan = forms.DecimalField(
        label=_("Monthly rent (yuan)"),
        min_value=0,
        max_value=10_000_000,
        decimal_places=2,
        required=False,
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", "—"), *SurveyRecommendation.choices],
        required=False,
    )
    manager = forms.ModelChoiceField(
        label=_("Market manager"), queryset=MarketManager.objects.none(), required=False
    )
    assignee = CadreChoiceField(
        label=_("Party cadre"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— none: the market manager does it —"),
        help_text=_("A Party cadre of the city who does the task instead of the market manager."),
    )
    photos = AttachmentsField(required=False)

    def __init__(self, *args, task: OnboardingTask, can_reassign: bool, **kwargs):
        rent = task.rent_fen / 100 if task.rent_fen is not None else None
        initial = {
            "state": task.state,
            "notes": task.notes,
            "skip_reason": task.skip_reason,
            "foot_traffic": task.foot_traffic,
            "nearby_welfare": task.nearby_welfare,
            "nearby_sports": task.nearby_sports,
            "rent_yuan": rent,
            "recommendation": task.recommendation,
            "manager": task.manager_id,
            "assignee": task.assignee_id,
        }
        for i, item in enumerate(task.checklist):
            initial[f"{CHECK_PREFIX}{i}"] = bool(task.checklist_results.get(item))
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.task = task
        if task.phase != OnboardingPhase.SURVEY:
            for name in SURVEY_FIELDS:
                del self.fields[name]
        for i, item in enumerate(task.checklist):
            self.fields[f"{CHECK_PREFIX}{i}"] = forms.BooleanField(label=item, required=False)
        if can_reassign:
            city = task.plan.station.city_id
            self.fields["manager"].queryset = MarketManager.objects.filter(city_id=city)
            self.fields["assignee"].queryset = assignable_cadres(task)
        else:
            del self.fields["manager"], self.fields["assignee"]
        style_fields(self)

    @property
    def checklist_fields(self):
        return [self[name] for name in self.fields if name.startswith(CHECK_PREFIX)]

    @property
    def survey_fields(self):
        return [self[name] for name in SURVEY_FIELDS if name in self.fields]

    def clean(self):
        data = super().clean()
        state = data.get("state")
        if state == OnboardingTaskState.SKIPPED and not data.get("skip_reason"):
            self.add_error("skip_reason", _("Say why the task is skipped."))
        if state == OnboardingTaskState.DONE and self.task.phase == OnboardingPhase.SURVEY:
            missing = [
                self.fields[n].label
                for n in ("foot_traffic", "recommendation")
                if data.get(n) in (None, "")
            ]
            if missing:
                raise forms.ValidationError(
                    _("A done survey records %(fields)s.")
                    % {"fields": "、".join(str(m) for m in missing)}
                )
        return data

    def apply(self, user) -> OnboardingTask:
        """Copy the form onto the task (not saved; skipping the survey is checked by the view)."""
        task, data = self.task, self.cleaned_data
        was = task.state
        task.state = data["state"]
        task.notes = data["notes"]
        task.skip_reason = data["skip_reason"] if task.state == OnboardingTaskState.SKIPPED else ""
        if task.phase == OnboardingPhase.SURVEY:
            task.foot_traffic = data["foot_traffic"]
            task.nearby_welfare = data["nearby_welfare"]
            task.nearby_sports = data["nearby_sports"]
            rent = data["rent_yuan"]
            task.rent_fen = None if rent is None else int(rent * 100)
            task.recommendation = data["recommendation"] or ""
        if task.checklist:
            task.checklist_results = {
                item: bool(data.get(f"{CHECK_PREFIX}{i}")) for i, item in enumerate(task.checklist)
            }
        if "manager" in data:
            task.manager = data["manager"]
        if "assignee" in data:
            task.assignee = data["assignee"]
        if task.state == OnboardingTaskState.TODO:
            task.completed_on, task.completed_by = None, None
        elif task.state != was or task.completed_on is None:
            task.completed_on, task.completed_by = timezone.localdate(), user
        return task


def assignable_cadres(task: OnboardingTask):
    """The Party cadres a task may be given to: the station's city's (fucai.accounts.grants),
    and whoever holds it now."""
    from fucai.accounts.grants import party_cadres

    cadres = party_cadres(task.plan.station.city_id).values("pk")
    users = User.objects.filter(pk__in=cadres)
    if task.assignee_id:
        users = users | User.objects.filter(pk=task.assignee_id)
    return users.order_by("last_name", "first_name", "username")


class ChecklistField(forms.CharField):
    """A list of checklist items, one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip()[:80] for line in text.splitlines() if line.strip()][:30]


class TemplateTaskForm(forms.ModelForm):
    checklist = ChecklistField(label=_("Checklist items (one a line)"), required=False)
    offset_days = forms.IntegerField(
        label=_("days after that date"), min_value=-365, max_value=730, initial=0
    )

    class Meta:
        model = OnboardingTemplateTask
        fields = ["order", "phase", "title", "anchor", "offset_days", "checklist"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


TemplateTaskFormSet = inlineformset_factory(
    OnboardingTemplate,
    OnboardingTemplateTask,
    form=TemplateTaskForm,
    extra=1,
    can_delete=True,
    max_num=30,
)
