"""Who sees which report pack — decided here once, for the archive, the download and the
command: a pack is seen by those whose view reach holds its whole scope (the province's: a
view of everything; a city's: that city — not a county, a market manager's or an owner's
stations). Out of scope is the same 404 as missing. Making a pack now needs
`generate_report_packs` (the provincial centre)."""

from __future__ import annotations

from fucai.core.grant import GENERATE_REPORT_PACKS, grant_for


def visible_packs(user):
    """The packs the user sees: latest period first, the province's before the cities'."""
    from django.db.models import F

    from fucai.reports.models import ReportPack

    order = ("-period", "kind", F("city__code").asc(nulls_first=True))
    return ReportPack.objects.restrict(user).select_related("city", "requested_by").order_by(*order)


def may_see_scope(user, scope) -> bool:
    """The whole scope in the user's view (the province: everything; a city: all of it)."""
    view = grant_for(user).view
    return view.everything or (scope.city_id is not None and view.includes_place(scope.city_id))


def may_generate(user) -> bool:
    return grant_for(user).can(GENERATE_REPORT_PACKS)
