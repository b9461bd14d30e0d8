"""The overview (network figures as of a day) and the audit trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from fucai.core.excel import Column, add_notes_sheet, table_workbook, xlsx_response
from fucai.core.filtersets import ObjectChangeFilterSet
from fucai.core.models import ObjectChange
from fucai.core.tables import ObjectChangeTable
from fucai.core.templatetags.fucai_ui import describe_changes
from fucai.network.filtersets import scoped_cities
from fucai.network.forms import AsOfForm
from fucai.network.models import Station
from fucai.network.summary import network_summary

PER_PAGE = 50
GROUPINGS = {
    "city": gettext_lazy("City"),
    "county": gettext_lazy("County"),
    "scene": gettext_lazy("Scene"),
}
FIGURES = (
    ("open_stations", gettext_lazy("Open stations")),
    ("net_new_this_year", gettext_lazy("Net new since 1 January")),
    ("opened_this_year", gettext_lazy("Opened this year")),
    ("closed_this_year", gettext_lazy("Closed this year")),
    ("core_urban_new_this_year", gettext_lazy("New in core urban scenes")),
    ("jobs_created_this_year", gettext_lazy("Jobs created this year")),
    ("open_at_year_start", gettext_lazy("Open at start of year")),
)


def _grouping(request: HttpRequest) -> str:
    """By city when the user sees several cities, else by county; `?by=` overrides."""
    wanted = request.GET.get("by")
    if wanted in GROUPINGS:
        return wanted
    return "city" if scoped_cities(request.user).count() > 1 else "county"


def _overview_workbook(summary, by: str, user):
    columns = [Column(_("Code"), number_format="@"), str(GROUPINGS[by])] + [
        str(label) for _k, label in FIGURES
    ]
    rows = [[g.code, g.name] + [getattr(g, key) for key, _l in FIGURES] for g in summary.groups]
    rows.append(["", _("Total")] + [getattr(summary, key) for key, _l in FIGURES])
    wb = table_workbook(columns, rows, title=_("Network figures"))
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("As of"), summary.as_of),
            (_("Scope"), user.scope_label),
            (_("Exported by"), user.username),
            (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ],
    )
    return wb


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    as_of_form = AsOfForm.for_request(request)
    as_of = as_of_form.as_of_date
    by = _grouping(request)
    summary = network_summary(Station.objects.restrict(request.user), as_of, by=by)
    if request.GET.get("format") == "xlsx":
        filename = _("network figures %(day)s") % {"day": as_of.isoformat()}
        return xlsx_response(_overview_workbook(summary, by, request.user), filename + ".xlsx")
    chart = {
        "names": [g.name for g in summary.groups],
        "open": [g.open_stations for g in summary.groups],
        "opened": [g.opened_this_year for g in summary.groups],
        "labels": {"open": _("Open stations"), "opened": _("Opened this year")},
    }
    context = {
        "as_of_form": as_of_form,
        "as_of": as_of,
        "summary": summary,
        "by": by,
        "by_label": GROUPINGS[by],
        "groupings": GROUPINGS,
        "chart": chart,
    }
    return render(request, "core/overview.html", context)


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    changes = ObjectChange.objects.restrict(request.user).select_related("object_type", "user")
    filterset = ObjectChangeFilterSet(request.GET or None, queryset=changes, request=request)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_audit_workbook(filterset.qs), _("change records") + ".xlsx")
    table = ObjectChangeTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "core/audit.html", {"filter": filterset, "table": table})


def _audit_workbook(changes):
    columns = [
        _("Time"),
        _("User"),
        _("Source"),
        _("Action"),
        _("Object type"),
        _("Object"),
        _("Changes"),
    ]
    cache: dict = {}
    rows = []
    for change in changes.order_by("-time", "-pk").iterator(chunk_size=2000):
        model = change.object_type.model_class()
        fields = "; ".join(
            f"{r['field']}: {r['before']} → {r['after']}" for r in describe_changes(change, cache)
        )
        rows.append(
            [
                timezone.localtime(change.time).strftime("%Y-%m-%d %H:%M:%S"),
                change.user_name,
                change.source,
                change.get_action_display(),
                str(model._meta.verbose_name) if model else change.object_type.model,
                change.object_repr,
                fields,
            ]
        )
    return table_workbook(columns, rows, title=_("Change records"))
