"""The home page (sends each person to their landing page) and the audit trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from fucai.core.excel import table_workbook, xlsx_response
from fucai.core.filtersets import ObjectChangeFilterSet
from fucai.core.grant import grant_for
from fucai.core.models import ObjectChange
from fucai.core.registry import landings
from fucai.core.tables import ObjectChangeTable
from fucai.core.templatetags.fucai_ui import describe_all, describe_changes

PER_PAGE = 50


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The first landing page (fucai.core.registry) the user's grant allows."""
    grant = grant_for(request.user)
    for landing in landings():
        if landing.allows(grant):
            return redirect(landing.url_name)
    raise Http404


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    changes = ObjectChange.objects.restrict(request.user).select_related("object_type", "user")
    filterset = ObjectChangeFilterSet(request.GET or None, queryset=changes, request=request)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            _audit_workbook(filterset.qs, request.user), _("change records") + ".xlsx"
        )
    table = ObjectChangeTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    describe_all((row.record for row in table.page.object_list), request.user)
    return render(request, "core/audit.html", {"filter": filterset, "table": table})


def _change_text(row: dict) -> str:
    """A described field of a record as one cell's text: shown (a view), or before → after."""
    return row["shown"] if row.get("viewed") else f"{row['before']} → {row['after']}"


def _audit_workbook(changes, user):
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
            f"{r['field']}: {_change_text(r)}" for r in describe_changes(change, cache, user)
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
