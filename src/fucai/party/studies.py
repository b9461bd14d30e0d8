"""Effect studies on the web: made on the page, run by the background worker (django-q2,
`fucai qcluster`; inline with FUCAI_TASKS_SYNC). `start_study(study)` queues `run_study(pk)`,
which reads the panel through the creator's scope, estimates (fucai.party.effect) and keeps the
whole answer (`EffectResult.to_dict()`, the shape of `fucai party effect --format json`)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from fucai.party.choices import StudyStatus
from fucai.party.models import EffectStudy

logger = logging.getLogger(__name__)
TASK = "fucai.party.studies.run_study"


def start_study(study: EffectStudy) -> str:
    """Queue the study's run for the worker (inline with TASKS_SYNC)."""
    from django_q.tasks import async_task

    return async_task(
        TASK,
        study.pk,
        task_name=f"effect-{study.pk}",
        group="party-effect",
        sync=settings.TASKS_SYNC,
    )


def _step(pk: int, step: str, pct: int) -> None:
    EffectStudy.objects.filter(pk=pk).update(status=StudyStatus.RUNNING, step=step, progress=pct)


def request_for(study: EffectStudy):
    from fucai.party.effect import EffectSettings
    from fucai.party.effect_build import EffectRequest

    return EffectRequest(
        treatment=study.treatment,
        city=study.city.code,
        first=study.first,
        last=study.last,
        radius_m=study.radius_m,
        settings=EffectSettings(control_group=study.control_group),
    )


def run_study(pk: int) -> dict:
    """The worker's job: estimate and keep the answer (or why it could not)."""
    from fucai.party.effect import EffectError
    from fucai.party.effect_build import run_effect

    study = EffectStudy.objects.select_related("city", "created_by").get(pk=pk)
    _step(pk, _("reading the sales"), 10)
    try:
        result = run_effect(
            request_for(study), study.created_by, progress=lambda s, p: _step(pk, s, p)
        )
    except EffectError as exc:
        return _finish(pk, StudyStatus.FAILED, error=_("No estimate: %(why)s") % {"why": exc})
    except Exception as exc:
        _finish(pk, StudyStatus.FAILED, error=_("The run stopped: %(error)s") % {"error": exc})
        raise
    data = result.to_dict()
    _finish(pk, StudyStatus.DONE, result=data)
    return {"study": pk, "estimate_pct": data["estimate_pct"]}


def _finish(pk: int, status: str, error: str = "", result: dict | None = None) -> dict:
    EffectStudy.objects.filter(pk=pk).update(
        status=status,
        error=error,
        result=result or {},
        progress=100,
        step="",
        finished=timezone.now(),
    )
    return {"study": pk, "error": error}
