"""The vanguard posts' pages (党员先锋示范岗): the list with each station's sales and the total
(`?format=xlsx`: Excel), the map's data, and recording or revoking a consent.

Like every Party page they need the Party-affairs capability (403 without it) and read through
`restrict(user)`: a consent outside the user's branches is the same 404 as a missing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fucai.core.grant import grant_for
from fucai.network.forms import AsOfForm
from fucai.party.forms.vanguard import ConsentForm, RevokeForm
from fucai.party.models import PARTY_AFFAIRS, VanguardConsent
from fucai.party.vanguard import ConsentRefused, record_consent, revoke_consent


def _require_party_affairs(request: HttpRequest) -> None:
    if not grant_for(request.user).can(PARTY_AFFAIRS):
        raise PermissionDenied(_("Your role does not see Party branches."))


def _map_config(as_of) -> dict:
    return {
        "asOf": as_of.isoformat(),
        "urls": {
            "city": reverse("geo:boundaries", args=["city"]),
            "posts": reverse("party:vanguard_map") + f"?as_of={as_of.isoformat()}",
            "station": reverse("network:station_detail", args=["__code__"]),
        },
        "labels": {
            "loading": _("Loading…"),
            "failed": _("The map could not be loaded"),
            "posts": _("Party-member vanguard posts"),
        },
    }


@login_required
@require_GET
def vanguard_list(request: HttpRequest) -> HttpResponse:
    from fucai.party.vanguard_posts import vanguard_posts, vanguard_workbook

    _require_party_affairs(request)
    as_of = AsOfForm.for_request(request)
    posts = vanguard_posts(request.user, as_of.as_of_date)
    if request.GET.get("format") == "xlsx":
        from fucai.core.excel import xlsx_response

        day = as_of.as_of_date.isoformat()
        return xlsx_response(vanguard_workbook(posts), f"{_('vanguard-posts')}-{day}.xlsx")
    context = {
        "as_of_form": as_of,
        "posts": posts,
        "consent_form": ConsentForm(user=request.user),
        "revoke_form": RevokeForm(),
        "map_config": _map_config(as_of.as_of_date),
    }
    return render(request, "party/vanguard_list.html", context)


@login_required
@require_GET
def vanguard_map(request: HttpRequest) -> JsonResponse:
    """The vanguard posts on the as-of day as compact rows for the map."""
    from fucai.party.vanguard_posts import vanguard_stations

    _require_party_affairs(request)
    as_of = AsOfForm.for_request(request).as_of_date
    rows = (
        vanguard_stations(request.user, as_of)
        .order_by("code")
        .values_list("lon", "lat", "code", "name")
    )
    return JsonResponse(
        {
            "as_of": as_of.isoformat(),
            "fields": ["lon", "lat", "code", "name"],
            "posts": [[float(lon), float(lat), code, name] for lon, lat, code, name in rows],
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def vanguard_consent_new(request: HttpRequest) -> HttpResponse:
    _require_party_affairs(request)
    form = ConsentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_consent(data["owner"], data["given_on"], request.user, data["note"])
        except ConsentRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("party:vanguard_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "party/vanguard_consent.html", {"form": form}, status=status)


@login_required
@require_POST
def vanguard_consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_party_affairs(request)
    consent = get_object_or_404(
        VanguardConsent.objects.restrict(request.user).select_related("owner"), pk=pk
    )
    form = RevokeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            revoke_consent(consent, data["revoked_on"], request.user, data["note"])
        except ConsentRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The consent is revoked; the post is no longer shown."))
            return redirect("party:vanguard_list")
    context = {"form": form, "consent": consent}
    return render(request, "party/vanguard_revoke.html", context, status=400)
