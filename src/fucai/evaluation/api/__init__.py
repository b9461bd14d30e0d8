"""The evaluation part of the API: /api/evaluation/… — the runs you see, a run's results (only
the rows you see) and one result's explanation. The same rule as the pages
(fucai.evaluation.visibility): 403 without a role that sees evaluations, 404 out of scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from fucai.core.api.auth import auth_user

router = Router(tags=["evaluation"])


def _user(request):
    from fucai.evaluation.visibility import evaluation_reach

    user = auth_user(request)
    try:
        evaluation_reach(user)
    except PermissionDenied:
        raise HttpError(403, _("Your role does not see evaluations.")) from None
    return user


def _run_dict(run) -> dict:
    return {
        "id": run.pk,
        "scheme": run.scheme.name,
        "version": run.scheme.version,
        "title": run.scheme.title,
        "period": run.period,
        "as_of": run.as_of.isoformat(),
        "status": run.status,
        "variant": run.variant,
        "published": run.published.isoformat() if run.published else None,
        "created": run.created.isoformat(),
    }


@router.get("/runs", summary="Evaluation runs you see")
def list_runs(request) -> list[dict]:
    """The runs of which you see a result (the provincial centre: every run)."""
    from fucai.evaluation.visibility import visible_runs

    return [_run_dict(run) for run in visible_runs(_user(request))[:500]]


@router.get("/runs/{run_id}", summary="A run's results")
def get_run(request, run_id: int) -> dict:
    """The run and, per alternative you see, id, name, city, score, rank, grade, eliminated,
    pay_factor, pay (yuan, a string), with the weights the run used."""
    from fucai.evaluation.visibility import get_run as visible_run
    from fucai.evaluation.visibility import visible_results

    user = _user(request)
    run = visible_run(user, run_id)
    results = visible_results(user, run).select_related("city")
    return {
        **_run_dict(run),
        "weights": run.result.get("weights", {}),
        "results": [
            {
                "result": r.pk,
                "id": r.alternative,
                "name": r.label,
                "city": r.city.code if r.city_id else None,
                "score": r.score,
                "rank": r.rank,
                "grade": r.grade,
                "eliminated": r.eliminated,
                "pay_factor": None if r.pay_factor is None else str(r.pay_factor),
                "pay": None if r.pay is None else str(r.pay),
            }
            for r in results
        ],
    }


@router.get("/results/{result_id}", summary="One result explained")
def get_result(request, result_id: int) -> dict:
    """Each indicator's raw value, source, normalised value, weight and contribution (adding up
    to the score); distances to the next rank, the next grade and the elimination line; TOPSIS'
    distances to the ideal and anti-ideal points."""
    from fucai.evaluation.explain import explain
    from fucai.evaluation.visibility import get_result as visible_result

    result = visible_result(_user(request), result_id)
    return {"run": result.run_id, "name": result.label, **explain(result.run, result.alternative)}
