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


@router.get("/pairings/coverage", summary="Pairing coverage per city")
def get_pairing_coverage(
    request, as_of: dt.date | None = None, stale_days: int = 90, city: str | None = None
) -> dict:
    """Per city (adcode, or `city` only): cadres and stations paired on `as_of` (default today),
    the city's open stations, visits and visits per pairing per month since 1 January, and the
    pairings without a visit in `stale_days` days (the shape of `fucai party pairing`)."""
    from django.utils import timezone

    from fucai.party.models import Pairing
    from fucai.party.pairing import coverage

    _branches(request)
    user = auth_user(request)
    if not 1 <= stale_days <= 3650:
        raise HttpError(422, "stale_days must be between 1 and 3650")
    as_of, _notice = clamp_date(as_of or timezone.localdate())
    pairings = Pairing.objects.restrict(user)
    if city:
        pairings = pairings.filter(station__city__code=city)
    return coverage(pairings, as_of, stale_days=stale_days, user=user).to_dict()


@router.get("/areas", summary="Cadres' areas with their blank population and open leads")
def list_areas(request, as_of: dt.date | None = None) -> list[dict]:
    """Each area assigned on `as_of` (default today): kind, county (adcode) or H3 cells, the
    cadre's branch, population, not covered, open leads (those you see)."""
    from django.utils import timezone

    from fucai.party.areas import area_contents
    from fucai.party.models import AreaAssignment

    _branches(request)
    user = auth_user(request)
    as_of, _notice = clamp_date(as_of or timezone.localdate())
    areas = (
        AreaAssignment.objects.restrict(user).active_on(as_of).select_related("county", "branch")
    )
    return [
        {
            "id": row.area.pk,
            "branch": row.area.branch.code,
            "kind": row.area.kind,
            "county": row.area.county.code if row.area.county_id else None,
            "name": row.area.name,
            "cells": row.area.cells,
            "population": None if row.population is None else round(row.population),
            "uncovered": None if row.uncovered is None else round(row.uncovered),
            "open_leads": len(row.leads),
        }
        for row in area_contents(areas, as_of, user=user)
    ]


@router.get("/effect-studies/{study_id}", summary="An effect study and its answer")
def get_effect_study(request, study_id: int) -> dict:
    """The study's settings, status and, once done, the answer (the shape of `fucai party effect
    --format json`). A study outside your branches: 404."""
    from fucai.party.models import EffectStudy

    _branches(request)
    study = EffectStudy.objects.restrict(auth_user(request)).filter(pk=study_id).first()
    if study is None:
        raise Http404
    return {
        "id": study.pk,
        "treatment": study.treatment,
        "city": study.city.code,
        "first": study.first.isoformat(),
        "last": study.last.isoformat(),
        "status": study.status,
        "error": study.error,
        **study.result,
    }


@router.get("/assessments", summary="四强 self-assessments")
def list_assessments(request, year: int | None = None, branch: str | None = None) -> list[dict]:
    """Your branches' 四强 self-assessments (or of `year`, of `branch`, a code): the score and
    maximum, per dimension, each item's points, evidence (meeting and attachment ids), what the
    records suggest and what is missing (`not_scored`, `no_evidence`, `short`)."""
    from fucai.party.assessment import evaluate, prefetched
    from fucai.party.models import Assessment
    from fucai.party.models.assessment import FIRST_YEAR, LAST_YEAR

    branches = _branches(request)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise HttpError(422, f"year must be between {FIRST_YEAR} and {LAST_YEAR}")
    if branch:
        branches = branches.filter(code=branch)
        if not branches:
            raise Http404
    assessments = Assessment.objects.restrict(auth_user(request)).filter(branch__in=branches)
    if year is not None:
        assessments = assessments.filter(year=year)
    return [evaluate(a).as_dict() for a in prefetched(assessments)]


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
