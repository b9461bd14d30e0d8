"""Tables of the core pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from fucai.core.models import ObjectChange


class ObjectChangeTable(tables.Table):
    """The audit trail: one row per recorded change, expandable to its field-level before/after."""

    time = tables.DateTimeColumn(format="Y-m-d H:i:s")
    object_type = tables.Column(
        verbose_name=_("Object type"), accessor="object_type", orderable=False
    )
    changes = tables.TemplateColumn(
        template_name="core/includes/change_details.html",
        verbose_name=_("Changes"),
        orderable=False,
    )

    class Meta:
        model = ObjectChange
        fields = ("time", "user_name", "source", "action", "object_type", "object_repr", "changes")
        order_by = "-time"
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No change recorded matches these filters.")

    def render_object_type(self, value) -> str:
        model = value.model_class()
        return str(model._meta.verbose_name) if model else value.model
