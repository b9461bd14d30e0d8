"""Siting scenarios (选址方案): made on the web, run by the background worker (django-q2,
`fucai qcluster`; inline with FUCAI_TASKS_SYNC), each chosen site a row that can become a lead.

`start_scenario(scenario)` queues `run_scenario(pk)`, which runs `siting_build.run_siting` with
the scenario's settings, moving its progress as the steps go (demand, coverage, spacing,
solving, checking), and stores the answer and the sites. `site_to_lead(site, user)` makes a lead
of a chosen site through the network's own `save_lead` (the spacing check runs again: a site
the network has since filled is refused with the rule and the offender)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fucai.planning.choices import ScenarioStatus
from fucai.planning.models import SitingScenario, SitingSite

logger = logging.getLogger(__name__)
TASK = "fucai.planning.scenarios.run_scenario"


def default_radii() -> dict[str, int]:
    return {
        "urban": settings.PLANNING_RADIUS_URBAN_M,
        "town": settings.PLANNING_RADIUS_TOWN_M,
        "rural": settings.PLANNING_RADIUS_RURAL_M,
    }


def request_for(scenario: SitingScenario):
    from fucai.planning.siting_build import SitingRequest

    return SitingRequest(
        new=scenario.new,
        as_of=scenario.as_of,
        cities=[scenario.city.code] if scenario.city_id else None,
        operation=scenario.operation,
        radii=scenario.radii,
        quotas={str(k): int(v) for k, v in (scenario.quotas or {}).items()},
        excluded_counties=[str(c) for c in scenario.excluded_counties or []],
        use_leads=scenario.use_leads,
        ignored_rules=[str(name) for name in scenario.ignored_rules or []],
        time_limit=float(scenario.time_limit_s),
    )


def start_scenario(scenario: SitingScenario) -> str:
    """Queue the scenario's run for the worker (inline with TASKS_SYNC)."""
    from django_q.tasks import async_task

    return async_task(
        TASK,
        scenario.pk,
        task_name=f"siting-{scenario.pk}",
        group="planning-siting",
        sync=settings.TASKS_SYNC,
    )


def _progress(pk: int):
    def report(step: str, pct: int) -> None:
        SitingScenario.objects.filter(pk=pk).update(
            status=ScenarioStatus.RUNNING, step=step, progress=pct
        )

    return report


def run_scenario(pk: int) -> dict:
    """The worker's job: plan the scenario and keep its answer and sites."""
    from fucai.planning.demand import NoDemandLayer
    from fucai.planning.siting_build import SitingRefused, run_siting

    scenario = SitingScenario.objects.select_related("city").get(pk=pk)
    _progress(pk)("started", 1)
    try:
        answer = run_siting(request_for(scenario), progress=_progress(pk))
    except (SitingRefused, NoDemandLayer) as exc:
        return _failed(scenario, str(exc))
    except Exception as exc:
        _failed(scenario, _("The run stopped: %(error)s") % {"error": exc})
        raise
    _store(scenario, answer)
    return {"scenario": pk, "sites": len(answer["sites"]), "gap_pct": answer["gap_pct"]}


def _failed(scenario: SitingScenario, reason: str) -> dict:
    SitingScenario.objects.filter(pk=scenario.pk).update(
        status=ScenarioStatus.FAILED, error=reason, finished=timezone.now()
    )
    return {"scenario": scenario.pk, "error": reason}


@transaction.atomic
def _store(scenario: SitingScenario, answer: dict) -> None:
    from fucai.geo.models import Division

    counties = dict(
        Division.objects.filter(code__in={s["county"] for s in answer["sites"]}).values_list(
            "code", "pk"
        )
    )
    scenario.sites.all().delete()
    SitingSite.objects.bulk_create(
        SitingSite(
            scenario=scenario,
            rank=site["rank"],
            lon=f"{site['lon']:.6f}",
            lat=f"{site['lat']:.6f}",
            cell=site["cell"],
            county_id=counties[site["county"]],
            new_population=site["new_population"],
            source_lead_id=site["lead"],
        )
        for site in answer["sites"]
    )
    for field in ("population", "covered_before", "covered_after", "upper_bound", "gap_pct"):
        setattr(scenario, field, answer[field])
    scenario.solver = answer["solver"][:80]
    scenario.solver_status = answer["status"][:60]
    scenario.seconds = answer["seconds"]
    scenario.details = {
        k: answer[k] for k in ("bound", "candidates", "candidates_allowed", "demand_cells", "rules")
    }
    scenario.status = ScenarioStatus.DONE
    scenario.progress, scenario.step, scenario.error = 100, "done", ""
    scenario.finished = timezone.now()
    scenario.save()


def site_to_lead(site: SitingSite, user, scene: str = "", received_on: dt.date | None = None):
    """Make a lead (source: siting) of a chosen site, through the network's `save_lead`; returns
    (lead or None, refusals: the spacing check's sentences). A site that already is a lead (or
    came from one) returns that lead."""
    from django.core.exceptions import ValidationError

    from fucai.network.choices import LeadSource, LeadStatus, StationScene
    from fucai.network.leads import save_lead
    from fucai.network.models import Lead

    if site.lead_id:
        return site.lead, []
    if site.source_lead_id:
        return site.source_lead, []
    scenario = site.scenario
    lead = Lead(
        contact_name=_("To be found"),
        county=site.county,
        address=_("Site %(rank)s of scenario “%(name)s” (cell %(cell)s)")
        % {"rank": site.rank, "name": scenario.name, "cell": site.cell},
        lon=site.lon,
        lat=site.lat,
        scene=scene if scene in StationScene.values else StationScene.STREET,
        operation=scenario.operation,
        source=LeadSource.SITING,
        status=LeadStatus.NEW,
        received_on=received_on or timezone.localdate(),
        notes=_("Chosen by siting scenario “%(name)s”: newly covers %(people)s people.")
        % {"name": scenario.name, "people": site.new_population},
    )
    try:
        save_lead(lead, user)
    except ValidationError as exc:
        return None, exc.messages
    site.lead = lead
    site.save(update_fields=["lead"])
    return lead, []


def plannable_cities(user):
    """(the cities `user` may plan in, whether the whole province may be planned): the reach of
    edit_master_data (the right to record leads), within what the user sees."""
    from fucai.core.grant import CHANGE, EDIT_MASTER_DATA, grant_for
    from fucai.network.filtersets import scoped_cities

    grant = grant_for(user)
    reach = grant.capability(EDIT_MASTER_DATA)
    change = grant.reach(CHANGE)
    cities = scoped_cities(user).order_by("code")
    if reach.everything and change.everything:
        return cities, True
    allowed = [c.pk for c in cities if reach.includes_place(c.pk) and change.includes_place(c.pk)]
    return cities.filter(pk__in=allowed), False
