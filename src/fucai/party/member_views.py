"""Adding and editing a Party member (of one's own branches; a member outside them is the same
404 as a missing one). Changes are audited by the audit signals, personal values masked."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fucai.party.forms.member import MemberForm
from fucai.party.models import Member
from fucai.party.views import _branches


def _form_page(request: HttpRequest, instance: Member | None = None) -> HttpResponse:
    branches = _branches(request)
    initial = {}
    if instance is None and request.GET.get("branch"):
        initial["branch"] = branches.filter(code=request.GET["branch"]).first()
    form = MemberForm(request.POST or None, instance=instance, initial=initial, branches=branches)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        return redirect(f"{reverse('party:member_list')}?branch={member.branch.code}")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "member": instance}
    return render(request, "party/member_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _branches(request)  # 403 without the capability, before any lookup
    member = get_object_or_404(Member.objects.restrict(request.user), pk=pk)
    return _form_page(request, member)
