"""福彩公益行 activities and publicity placements, 福彩公益驿站 and their services, and the map of
both. Activities are seen by whoever sees their city (or county) and recorded by the holders of
`record_welfare_activities` there (welfare officers, and the editors where they change the
network); a welfare post's services are changed by whoever may change its station. Out of
scope is the same 404 as missing; the map's JSON holds only what the user sees."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fucai.core.grant import CHANGE, RECORD_WELFARE_ACTIVITIES, grant_for
from fucai.network.choices import StationScene
from fucai.network.models import Station
from fucai.welfare.choices import ActivityKind, PostService
from fucai.welfare.models import WelfareActivity, WelfarePost


def _year(request: HttpRequest) -> tuple[int, str]:
    """`?year=` moved into 2000 … this year as the as-of days are (fucai.core.bounds), with a
    notice when it was moved; by default the year the network's pages open on."""
    from fucai.core.bounds import clamp_date
    from fucai.network.forms import default_as_of

    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default_as_of().year, ""
    day, notice = clamp_date(dt.date(min(max(year, 1), 9999), 1, 1))
    if notice:
        notice = _("There is no year %(year)s here; showing %(shown)s.") % {
            "year": year,
            "shown": day.year,
        }
    return day.year, notice


def year_end(year: int) -> dt.date:
    """The day a year's posts are counted on: its last day, or today in the current year."""
    from fucai.core.bounds import today

    return min(dt.date(year, 12, 31), today())


def may_record(user, city_id: int | None = None) -> bool:
    """May the user record activities (in this city, or anywhere when None)?"""
    reach = grant_for(user).capability(RECORD_WELFARE_ACTIVITIES)
    return not reach.is_empty if city_id is None else reach.includes_place(city_id)


def _require_record(request: HttpRequest) -> None:
    if not may_record(request.user):
        raise PermissionDenied(_("Your role does not record welfare activities."))


def activities_of(user, year: int):
    """The activities of a year the user sees."""
    return (
        WelfareActivity.objects.restrict(user)
        .filter(held_on__year=year)
        .select_related("city", "county")
    )


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    year, notice = _year(request)
    activities = activities_of(request.user, year)
    kind = request.GET.get("kind")
    if kind in ActivityKind.values:
        activities = activities.filter(kind=kind)
    if request.GET.get("format") == "xlsx":
        from fucai.core.excel import xlsx_response
        from fucai.welfare.exports import activity_workbook

        return xlsx_response(activity_workbook(activities, year), f"{_('activities')}-{year}.xlsx")
    totals = activities.aggregate(people=Sum("people_reached"))
    context = {
        "year": year,
        "notice": notice,
        "kind": kind,
        "kinds": ActivityKind.choices,
        "activities": activities,
        "people": totals["people"] or 0,
        "can_record": may_record(request.user),
    }
    return render(request, "welfare/activity_list.html", context)


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from fucai.core.attachments import attachments_of

    activity = get_object_or_404(
        WelfareActivity.objects.restrict(request.user).select_related(
            "city", "county", "recorded_by"
        ),
        pk=pk,
    )
    context = {
        "activity": activity,
        "photos": attachments_of(activity),
        "can_edit": may_record(request.user, activity.city_id),
    }
    return render(request, "welfare/activity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from fucai.core.attachments import store_attachment
    from fucai.welfare.forms import ActivityForm

    _require_record(request)
    activity = None
    if pk is not None:
        activity = get_object_or_404(WelfareActivity.objects.restrict(request.user), pk=pk)
        if not may_record(request.user, activity.city_id):
            raise Http404  # seen but not theirs to change: as absent
    form = ActivityForm(
        request.POST or None, request.FILES or None, instance=activity, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if saved.recorded_by_id is None:
                saved.recorded_by = request.user
            saved.save()
            for photo in form.cleaned_data["photos"]:
                store_attachment(photo, owner=saved, user=request.user)
        messages.success(request, _("The activity is saved."))
        return redirect("welfare:activity_detail", saved.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "activity": activity}
    return render(request, "welfare/activity_form.html", context, status=status)


def posts_of(user, action: str = "view", open_on: dt.date | None = None):
    """Stations that are 福彩公益驿站 (or have a welfare post's services recorded), in scope;
    with `open_on`, only those open on that day (the network's one definition, `open_on`)."""
    stations = Station.objects.restrict(user, action)
    if open_on is not None:
        stations = stations.open_on(open_on)
    return (
        stations.filter(Q(scene=StationScene.WELFARE_POST) | Q(welfare_post__isnull=False))
        .select_related("city", "county", "welfare_post")
        .order_by("city__code", "code")
    )


def _services(station) -> list[str]:
    post = getattr(station, "welfare_post", None)
    return post.service_labels if post else []


@login_required
@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    from fucai.network.forms import AsOfForm

    as_of = AsOfForm.for_request(request)
    stations = posts_of(request.user, open_on=as_of.as_of_date)
    city = request.GET.get("city")
    if city:
        stations = stations.filter(city__code=city)
    if request.GET.get("format") == "xlsx":
        from fucai.core.excel import xlsx_response
        from fucai.welfare.exports import post_workbook

        day = as_of.as_of_date.isoformat()
        return xlsx_response(post_workbook(stations), f"{_('welfare-posts')}-{day}.xlsx")
    rows = [(s, _services(s)) for s in stations]
    changeable = set(posts_of(request.user, CHANGE).values_list("pk", flat=True))
    context = {
        "rows": rows,
        "changeable": changeable,
        "with_services": sum(1 for _s, services in rows if services),
        "as_of": as_of,
        "service_choices": PostService.choices,
    }
    return render(request, "welfare/post_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, code: str) -> HttpResponse:
    from fucai.welfare.forms import PostServicesForm

    station = get_object_or_404(posts_of(request.user, CHANGE), code=code)
    post = getattr(station, "welfare_post", None) or WelfarePost(station=station)
    form = PostServicesForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The welfare post's services are saved."))
        return redirect("welfare:post_list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "station": station}
    return render(request, "welfare/post_form.html", context, status=status)


def _map_config(year: int) -> dict:
    return {
        "year": year,
        "urls": {
            "city": reverse("geo:boundaries", args=["city"]),
            "points": reverse("welfare:map_data") + f"?year={year}",
            "activity": reverse("welfare:activity_detail", args=[999999999]).replace(
                "999999999", "__pk__"
            ),
            "station": reverse("network:station_detail", args=["__code__"]),
        },
        "labels": {
            "loading": _("Loading…"),
            "failed": _("The map could not be loaded"),
            "activities": _("Activities and placements"),
            "posts": _("Welfare posts"),
        },
    }


@login_required
@require_GET
def welfare_map(request: HttpRequest) -> HttpResponse:
    year, notice = _year(request)
    context = {"year": year, "notice": notice, "map_config": _map_config(year)}
    return render(request, "welfare/map.html", context)


@login_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """The activities of the year that have a place and the welfare posts, in the user's
    scope, as compact rows for the map: the posts open at the end of the year (today in the
    current year), so that a year before a post opened does not show it."""
    year, _notice = _year(request)
    activities = (
        activities_of(request.user, year)
        .exclude(lon=None)
        .exclude(lat=None)
        .order_by("held_on", "pk")
        .values_list("lon", "lat", "pk", "title", "kind", "held_on", "people_reached")
    )
    labels = dict(ActivityKind.choices)
    posts = posts_of(request.user, open_on=year_end(year)).values_list("lon", "lat", "code", "name")
    return JsonResponse(
        {
            "year": year,
            "activity_fields": ["lon", "lat", "id", "title", "kind", "date", "people_reached"],
            "activities": [
                [float(lon), float(lat), pk, title, str(labels.get(kind, kind)), day.isoformat(), n]
                for lon, lat, pk, title, kind, day, n in activities
            ],
            "post_fields": ["lon", "lat", "code", "name"],
            "posts": [[float(lon), float(lat), code, name] for lon, lat, code, name in posts],
        }
    )
