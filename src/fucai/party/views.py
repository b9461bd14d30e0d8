"""The Party module's pages: what is due this month, branches, members (masked), meetings (list,
detail, new) and compliance per branch and year (with its Excel export).

Every page needs the Party-affairs capability (403 without it) and reads through
`restrict(user)`: a branch, member or meeting outside the user's branches is the same 404 as a
missing one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fucai.core.attachments import AttachmentRefused, attachments_of, store_attachment
from fucai.core.grant import grant_for
from fucai.party.choices import MeetingType
from fucai.party.compliance import compliance
from fucai.party.forms import ComplianceForm, MeetingForm
from fucai.party.members import member_rows
from fucai.party.models import PARTY_AFFAIRS, Branch, Meeting, Member

PER_PAGE = 100


def lands_on_party(grant) -> bool:
    """Party-affairs officers who edit nothing of the network land on what is due this month."""
    return grant.can(PARTY_AFFAIRS) and grant.change.is_empty


def _branches(request: HttpRequest):
    if not grant_for(request.user).can(PARTY_AFFAIRS):
        raise PermissionDenied(_("Your role does not see Party branches."))
    return Branch.objects.restrict(request.user).select_related("city")


def _branch(request: HttpRequest, branches):
    code = request.GET.get("branch")
    if code:
        return get_object_or_404(branches, code=code)
    return branches.first()


def due_this_month(branches, today) -> list[dict]:
    """For each branch, the meeting types whose current period is not met yet."""
    rows = []
    for branch in branches:
        for item in compliance(branch, today.year, today):
            if item.due is not None:
                rows.append({"branch": branch, "item": item})
    return rows


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    branches = _branches(request)
    today = timezone.localdate()
    context = {
        "rows": due_this_month(branches, today),
        "today": today,
        "pairing": _pairing_due(request.user, today),
    }
    return render(request, "party/home.html", context)


def _pairing_due(user, today):
    """The pairings lasting today without a visit in the last STALE_DAYS days."""
    from fucai.party.models import Pairing
    from fucai.party.pairing import coverage

    pairings = Pairing.objects.restrict(user)
    if not pairings.exists():
        return None
    return coverage(pairings, today)


@login_required
@require_GET
def branch_list(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    on_roll = Member.objects.on_roll().filter(branch=OuterRef("pk")).values("branch")
    count = on_roll.annotate(n=Count("pk")).values("n")
    branches = _branches(request).annotate(n_members=Coalesce(Subquery(count), 0))
    return render(request, "party/branch_list.html", {"branches": branches})


@login_required
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    branches = _branches(request)
    branch = _branch(request, branches)
    members = Member.objects.restrict(request.user).filter(branch=branch)
    former = request.GET.get("former") == "1"  # who left the roll, else who is on it today
    members = members.exclude(pk__in=members.on_roll()) if former else members.on_roll()
    members = members.select_related("group", "user")
    if branch and request.GET.get("format") == "xlsx":  # every member, masked as on the page
        from fucai.core.excel import xlsx_response
        from fucai.party.members import members_workbook

        workbook = members_workbook(branch, member_rows(members))
        return xlsx_response(workbook, f"{_('Party members')}-{branch.code}.xlsx")
    rows = member_rows(members[:PER_PAGE])
    context = {"branches": branches, "branch": branch, "rows": rows, "former": former}
    return render(request, "party/member_list.html", context)


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    branches = _branches(request)
    branch = _branch(request, branches)
    meetings = Meeting.objects.restrict(request.user).filter(branch=branch)
    kind = request.GET.get("type")
    if kind in MeetingType.values:
        meetings = meetings.filter(meeting_type=kind)
    context = {
        "branches": branches,
        "branch": branch,
        "meetings": meetings.select_related("led_by", "group")[:PER_PAGE],
        "types": MeetingType.choices,
        "kind": kind,
    }
    return render(request, "party/meeting_list.html", context)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _branches(request)
    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user).select_related("branch", "led_by", "group"), pk=pk
    )
    context = {
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "absences": list(meeting.absences.select_related("member")),
        "files": attachments_of(meeting),
    }
    return render(request, "party/meeting_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    branches = _branches(request)
    form = MeetingForm(request.POST or None, request.FILES or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                meeting = form.save(commit=False)
                meeting.recorded_by = request.user
                meeting.save()
                form.save_m2m()
                form.save_absences(meeting)
                for upload in form.cleaned_data["files"]:
                    store_attachment(upload, owner=meeting, user=request.user)
        except AttachmentRefused as refused:
            form.add_error("files", str(refused))
        else:
            return redirect("party:meeting_detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "party/meeting_new.html", {"form": form}, status=status)


@login_required
@require_GET
def compliance_page(request: HttpRequest) -> HttpResponse:
    branches = _branches(request)
    branch = _branch(request, branches)
    today = timezone.localdate()
    form = ComplianceForm(request.GET or {"year": today.year})
    year, as_of = form.values()
    items = compliance(branch, year, as_of) if branch else []
    if branch and request.GET.get("format") == "xlsx":
        from fucai.core.excel import xlsx_response
        from fucai.party.exports import compliance_workbook

        workbook = compliance_workbook([(branch, items)], year, as_of)
        return xlsx_response(workbook, f"{_('compliance')}-{branch.code}-{year}.xlsx")
    context = {
        "branches": branches,
        "branch": branch,
        "form": form,
        "year": year,
        "as_of": as_of,
        "items": items,
    }
    return render(request, "party/compliance.html", context)
