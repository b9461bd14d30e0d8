"""Who may see what of evaluation — the ONE function every page, export, JSON answer and API
operation calls (`visible_results`), and what follows from it:

- the provincial centre (see evaluations everywhere) sees every run, published or not, every row;
- a city agency (see evaluations over its city) sees its own city's row of a city evaluation once
  published, and its own city's managers in a manager evaluation (published or not: it owns
  their assessment);
- a market manager (see evaluations over their own record) only their own result, once published;
- anybody else nothing: 403. A run or result outside what one sees is the same 404 as a missing
  one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from fucai.core.grant import RUN_EVALUATIONS, SEE_EVALUATIONS, Reach, grant_for
from fucai.evaluation.choices import Population, RunStatus


def evaluation_reach(user) -> Reach:
    """The reach of the user's evaluation role; PermissionDenied (403) without one."""
    reach = grant_for(user).capability(SEE_EVALUATIONS)
    if reach.is_empty:
        raise PermissionDenied(_("Your role does not see evaluations."))
    return reach


def visible_results(user, run=None):
    """The frozen results the user may see (of `run`, if given)."""
    from fucai.evaluation.models import EvaluationResult

    reach = evaluation_reach(user)
    results = EvaluationResult.objects.all()
    if run is not None:
        results = results.filter(run=run)
    if reach.everything:
        return results
    published = Q(run__published__isnull=False)
    q = Q(pk__in=[])
    if reach.cities:
        managers = Q(run__scheme__population=Population.MARKET_MANAGERS)
        q |= Q(city_id__in=sorted(reach.cities)) & (managers | published)
    own = reach.persons_of("manager")
    if own:
        q |= Q(market_manager_id__in=sorted(own)) & published
    return results.filter(q)


def visible_runs(user):
    """The runs of which the user sees a result (the province: every run, running ones too)."""
    from fucai.evaluation.models import EvaluationRun

    runs = EvaluationRun.objects.select_related("scheme", "created_by", "published_by")
    if evaluation_reach(user).everything:
        return runs
    return runs.filter(pk__in=visible_results(user).values("run"))


def get_run(user, pk):
    run = visible_runs(user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def get_result(user, pk):
    result = visible_results(user).select_related("run__scheme", "city").filter(pk=pk).first()
    if result is None:
        raise Http404
    return result


def visible_ids(user, run) -> set[str]:
    """The alternatives of `run` the user may see (what JSON and exports keep)."""
    return set(visible_results(user, run).values_list("alternative", flat=True))


def sees_whole_run(user) -> bool:
    return evaluation_reach(user).everything


def may_run(user) -> bool:
    """Run a period, publish a run, edit a scheme, save a what-if: the provincial centre."""
    return grant_for(user).capability(RUN_EVALUATIONS).everything


def may_object(user, result) -> bool:
    """The person evaluated, on their own published result: a market manager on theirs, a city
    agency on its city's row of a city evaluation."""
    run = result.run
    if run.published is None or run.status != RunStatus.DONE:
        return False
    reach = grant_for(user).capability(SEE_EVALUATIONS)
    if run.scheme.population == Population.MARKET_MANAGERS:
        return result.market_manager_id in reach.persons_of("manager")
    return result.city_id in reach.cities


def may_resolve(user, result) -> bool:
    """The scheme's owners: the provincial centre; a city agency for its own managers."""
    if may_run(user):
        return True
    reach = grant_for(user).capability(SEE_EVALUATIONS)
    managers = result.run.scheme.population == Population.MARKET_MANAGERS
    return managers and result.city_id in reach.cities
