"""Adding, editing and deleting a Party member (of one's own branches; a member outside them is
the same 404 as a missing one). A member who leaves is given the day and the reason on the edit
form and stays on record; only a member without history (meetings, absences, pairings, areas)
can be deleted. Changes are audited by the audit signals, personal values masked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
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


def member_history(member: Member) -> list[str]:
    """What the record of `member` carries that a deletion would lose (empty: safe to delete)."""
    counts = (
        (member.meetings_attended.count(), _("meetings attended")),
        (member.meetings_led.count(), _("meetings chaired or lectured")),
        (member.absences.count(), _("absences recorded")),
        (member.pairings.count(), _("pairings")),
        (member.areas.count(), _("assigned areas")),
    )
    return [f"{label} {n}" for n, label in counts if n]


@login_required
@require_http_methods(["GET", "POST"])
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a member entered by mistake; a member with a history is not deleted (record the
    day they left instead), so no meeting or pairing loses its people."""
    _branches(request)  # 403 without the capability, before any lookup
    member = get_object_or_404(Member.objects.restrict(request.user), pk=pk)
    history = member_history(member)
    if request.method == "POST" and not history:
        branch_code = member.branch.code
        member.delete()
        messages.success(request, _("The member was deleted."))
        return redirect(f"{reverse('party:member_list')}?branch={branch_code}")
    status = 409 if request.method == "POST" else 200
    context = {"member": member, "history": history}
    return render(request, "party/member_delete.html", context, status=status)
