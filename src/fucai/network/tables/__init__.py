"""Tables of the network pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from fucai.network.models import Station

STATUS_BADGE = (
    '<span class="fc-status fc-status-{{ record.status }}">{{ record.get_status_display }}</span>'
)


class StationTable(tables.Table):
    """The station list: one row per station, code linked to its detail page."""

    code = tables.Column(linkify=("network:station_detail", {"code": tables.A("code")}))
    status = tables.TemplateColumn(
        STATUS_BADGE, verbose_name=_("Current status"), order_by="status"
    )
    opened_on = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "fc-labelled"}})
    staff_count = tables.Column(attrs={"td": {"class": "num fc-labelled"}, "th": {"class": "num"}})

    class Meta:
        model = Station
        fields = (
            "code",
            "name",
            "city",
            "county",
            "scene",
            "operation",
            "status",
            "opened_on",
            "staff_count",
        )
        order_by = "code"
        # on a phone each station is a short card (fucai.css: .fc-stack-inline)
        template_name = "core/includes/stack_table.html"
        # The list swaps itself with htmx (sorting, pages); links into a station are plain links.
        attrs = {
            "class": "table table-hover table-sm align-middle fc-stack fc-stack-inline",
            "tbody": {"hx-boost": "false"},
        }
        empty_text = _("No station matches these filters.")
