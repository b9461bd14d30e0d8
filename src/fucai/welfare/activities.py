"""Activities and welfare posts as plain rows: the shape of the API and of
`fucai welfare activities|posts --format json` (one definition for both)."""

from __future__ import annotations


def activity_rows(activities) -> list[dict]:
    """One dict per activity (read as tuples, names of the kinds in the active language)."""
    from django.db.models import Count

    from fucai.welfare.choices import ActivityKind

    kinds = dict(ActivityKind.choices)
    rows = (
        activities.order_by("held_on", "pk")
        .annotate(photos=Count("attachments"))
        .values_list(
            "pk", "held_on", "kind", "title", "city__code", "city__name", "county__code",
            "address", "lon", "lat", "people_reached", "note", "photos",
        )
    )  # fmt: skip
    return [
        {
            "id": pk,
            "date": day.isoformat(),
            "kind": kind,
            "kind_label": str(kinds.get(kind, kind)),
            "title": title,
            "city": city,
            "city_name": city_name,
            "county": county,
            "address": address,
            "lon": None if lon is None else str(lon),
            "lat": None if lat is None else str(lat),
            "people_reached": people,
            "note": note,
            "photos": photos,
        }
        for (
            pk, day, kind, title, city, city_name, county, address, lon, lat, people, note, photos
        ) in rows
    ]  # fmt: skip


def activity_summary(activities, year: int) -> dict:
    rows = activity_rows(activities)
    return {
        "year": year,
        "activities": len(rows),
        "people_reached": sum(r["people_reached"] for r in rows),
        "rows": rows,
    }


def post_rows(stations) -> list[dict]:
    """One dict per 福彩公益驿站 (a queryset of stations, fucai.welfare.views_activity.posts_of)."""
    rows = stations.values_list(
        "code", "name", "city__code", "county__code", "status", "welfare_post__services",
        "welfare_post__opening_note",
    )  # fmt: skip
    return [
        {
            "station": code,
            "name": name,
            "city": city,
            "county": county,
            "status": status,
            "services": list(services or []),
            "opening_note": note or "",
        }
        for code, name, city, county, status, services, note in rows
    ]
