"""The reports pages: the bulletin (choose the scope and the day, read the text, download it
as Word or PDF) and, for the provincial centre's editors, the sentence templates with the data
fields each may use. A scope outside the user's view is the same 404 as one that does not
exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fucai.reports.models import BulletinSentence

DOWNLOADS = (("docx", "reports:bulletin_docx"), ("pdf", "reports:bulletin_pdf"))


def can_edit_sentences(user) -> bool:
    """The provincial centre's editors (master data over the whole province) edit the wording."""
    from fucai.core.grant import EDIT_MASTER_DATA, grant_for

    return grant_for(user).capability(EDIT_MASTER_DATA).everything


def scope_choices(user) -> list[tuple[str, str]]:
    from fucai.reports.facts import PROVINCE, cities_of, sees_province

    choices = [(PROVINCE, "江西省")] if sees_province(user) else []
    return choices + [(c.code, c.name) for c in cities_of(user)]


def download_links(as_of, scope_code: str) -> list[tuple[str, str]]:
    """(format, url) of the typesetters' downloads that exist in this version."""
    query = urlencode({"as_of": as_of.isoformat(), "scope": scope_code})
    links = []
    for fmt, name in DOWNLOADS:
        try:
            links.append((fmt, f"{reverse(name)}?{query}"))
        except NoReverseMatch:
            continue
    return links


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    from fucai.analytics.backends import AnalyticsContext
    from fucai.reports.bulletin import build_bulletin
    from fucai.reports.facts import resolve_scope
    from fucai.sales.cockpit import sales_span
    from fucai.sales.forms import CockpitForm

    context = AnalyticsContext.current()
    form = CockpitForm(request.GET or None, span=sales_span(context))
    choices = scope_choices(request.user)
    asked = request.GET.get("scope")
    page = {"form": form, "choices": choices, "doc": None, "can_edit": False}
    page["can_edit"] = can_edit_sentences(request.user)
    if choices or asked:
        scope = resolve_scope(asked, request.user)  # not in view: 404
        doc = build_bulletin(form.as_of_date, scope, request.user, context=context)
        page |= {"doc": doc, "scope": scope, "downloads": download_links(doc.as_of, scope.code)}
    return render(request, "reports/home.html", page)


def _require_editor(request: HttpRequest) -> None:
    if not can_edit_sentences(request.user):
        raise PermissionDenied(_("Only the provincial centre edits the bulletin's wording."))


def _with_fields(sentence: BulletinSentence) -> dict:
    from fucai.reports.sentences import fields_for

    fields = fields_for(sentence.section)
    return {
        "sentence": sentence,
        "fields": [(n, f) for n, f in fields.items() if not f.boolean],
        "conditions": [n for n, f in fields.items() if f.boolean],
    }


@login_required
@require_GET
def sentences(request: HttpRequest) -> HttpResponse:
    from fucai.reports.bulletin import sentence_order
    from fucai.reports.bulletin import sentences as shipped

    _require_editor(request)
    shipped("zh-hans")  # the shipped wording, loaded on first use
    rows = [_with_fields(s) for s in sorted(BulletinSentence.objects.all(), key=sentence_order)]
    return render(request, "reports/sentences.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def sentence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from fucai.reports.forms import BulletinSentenceForm

    _require_editor(request)
    sentence = get_object_or_404(BulletinSentence, pk=pk)
    form = BulletinSentenceForm(request.POST or None, instance=sentence)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The sentence is saved."))
        return redirect("reports:sentences")
    status = 400 if request.method == "POST" else 200
    page = {"form": form, **_with_fields(sentence)}
    return render(request, "reports/sentence_form.html", page, status=status)
