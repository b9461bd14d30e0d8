"""The archive of report packs (reports:packs), their download and the form making one now
(fucai.reports.packs; who sees what: fucai.reports.visibility)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fucai.reports.forms import PackForm
from fucai.reports.visibility import may_generate, visible_packs

PAGE_SIZE = 200


def _page(request: HttpRequest, form: PackForm | None, status: int = 200) -> HttpResponse:
    packs = list(visible_packs(request.user)[:PAGE_SIZE])
    context = {
        "packs": packs,
        "form": form,
        "running": any(p.running for p in packs),
    }
    return render(request, "reports/packs.html", context, status=status)


@login_required
@require_GET
def packs(request: HttpRequest) -> HttpResponse:
    return _page(request, PackForm() if may_generate(request.user) else None)


@login_required
@require_POST
def pack_new(request: HttpRequest) -> HttpResponse:
    from fucai.reports.packs import request_pack, scope_for

    if not may_generate(request.user):
        raise PermissionDenied(_("Only the provincial centre makes report packs on request."))
    form = PackForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    pack = request_pack(
        scope_for(data["scope"]), data["kind"], data["period"], data["as_of"], request.user
    )
    messages.success(request, _("Report pack %(period)s queued.") % {"period": pack.period})
    return redirect("reports:packs")


@login_required
@require_GET
def pack_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack's file (a workbook of some hundred kilobytes: sent whole)."""
    from fucai.core.excel import xlsx_bytes_response
    from fucai.reports.packs import download_name

    pack = visible_packs(request.user).filter(pk=pk).first()
    if pack is None or not pack.file:
        raise Http404(_("No such report pack."))
    with pack.file.open("rb") as fh:
        content = fh.read()
    fallback = f"fucai-pack-{pack.scope}-{pack.period}.xlsx"
    return xlsx_bytes_response(content, download_name(pack), fallback)
