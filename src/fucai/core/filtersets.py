"""Filters for the audit page."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from fucai.core.audit import audited_models
from fucai.core.choices import ChangeAction
from fucai.core.models import ObjectChange


def audited_type_choices() -> list[tuple[int, str]]:
    """(content type id, model name) of every audited model, for the object-type filter."""
    models = audited_models()
    types = ContentType.objects.get_for_models(*models)
    return [(types[m].pk, str(m._meta.verbose_name)) for m in models]


class DateInput(forms.DateInput):
    input_type = "date"


class ObjectChangeFilterSet(django_filters.FilterSet):
    """What changed (object type, action, object), who changed it and when."""

    object_type = django_filters.ChoiceFilter(
        label=_("Object type"), choices=[], empty_label=_("All")
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=ChangeAction.choices, empty_label=_("All")
    )
    object_repr = django_filters.CharFilter(label=_("Object"), lookup_expr="icontains")
    user_name = django_filters.CharFilter(label=_("User"), lookup_expr="icontains")
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="time__date", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="time__date", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = ObjectChange
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["object_type"].extra["choices"] = audited_type_choices()

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if is_select else "form-control form-control-sm",
            )
        return form
