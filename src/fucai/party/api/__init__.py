"""The Party part of the API: /api/party/… — your branches, and their compliance in a year as
of a day (the shape of `fucai party compliance --format json`). Without the Party-affairs
capability: 403; a branch outside your branches: 404."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Router
from ninja.errors import HttpError

from fucai.core.api.auth import auth_user
from fucai.core.bounds import clamp_date
from fucai.core.grant import grant_for

router = Router(tags=["party"])


def _branches(request):
    from fucai.party.models import PARTY_AFFAIRS, Branch

    user = auth_user(request)
    if not grant_for(user).can(PARTY_AFFAIRS):
        raise HttpError(403, "Your role does not see Party branches.")
    return Branch.objects.restrict(user)


@router.get("/branches", summary="Your Party branches")
def list_branches(request) -> list[dict]:
    """The branches you see: code, name, city (adcode; null for the provincial centre's)."""
    return [
        {"code": b.code, "name": b.name, "city": b.city.code if b.city_id else None}
        for b in _branches(request).select_related("city")
    ]


@router.get("/compliance", summary="Organisational life against the rules")
def get_compliance(
    request, year: int, as_of: dt.date | None = None, branch: str | None = None
) -> dict:
    """Per branch (or `branch`, a code) and meeting type: required so far, held, the periods
    missed and what is due next, in `year` as of `as_of` (default: its end, or today)."""
    from fucai.party.compliance import report

    if not 2000 <= year <= 2100:
        raise HttpError(422, "year must be between 2000 and 2100")
    branches = _branches(request)
    if branch:
        branches = branches.filter(code=branch)
        if not branches:
            raise Http404
    if as_of is not None:
        as_of, _notice = clamp_date(as_of)
    return report(list(branches), year, as_of)


# -- 党员先锋示范岗 (fucai.party.vanguard_posts) --------------------------------------------
@router.get("/vanguard", summary="Party-member vanguard posts and their sales")
def list_vanguard(request, as_of: dt.date | None = None) -> dict:
    """The vanguard posts you see on `as_of` (default: the network's last recorded day): each
    station of an owner who consented to show their Party identity (owner name masked), the
    consent's date, its sales from 1 January to `as_of` in yuan, and their total."""
    from fucai.network.forms import default_as_of
    from fucai.party.vanguard_posts import vanguard_posts

    _branches(request)  # Party affairs only (403)
    day, _notice = clamp_date(as_of or default_as_of())
    return vanguard_posts(auth_user(request), day).to_dict()
