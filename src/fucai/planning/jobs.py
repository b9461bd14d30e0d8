"""Demand layers built from the web (/planning/demand/), run by the background worker
(django-q2, `fucai qcluster`; inline with FUCAI_TASKS_SYNC). The page creates the layer as
`building` and queues the job; the job reports its progress on the layer (counties done) and
leaves it `ready`, or `failed` with the reason (an import's problems, each with file, row and
column). An uploaded CSV is kept under FUCAI_DATA_DIR/planning/uploads/ until its job ends."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from fucai.planning.choices import DemandSource, LayerStatus

logger = logging.getLogger(__name__)


def _upload_path(pk: int) -> Path:
    return Path(settings.DATA_DIR) / "planning" / "uploads" / f"{pk}.csv"


def _new_layer(name: str, source: str):
    from fucai.planning.demand import RESOLUTION
    from fucai.planning.models import DemandLayer

    return DemandLayer.objects.create(
        name=name[:80],
        source=source,
        resolution=RESOLUTION,
        status=LayerStatus.BUILDING,
        progress=0,
    )


def _enqueue(task: str, pk: int) -> None:
    from django_q.tasks import async_task

    language = translation.get_language()
    async_task(
        task, pk, language, task_name=f"demand-{pk}", group="demand", sync=settings.TASKS_SYNC
    )


def start_census_build():
    """A building census layer, queued."""
    layer = _new_layer(_("Census model 2020"), DemandSource.CENSUS)
    _enqueue("fucai.planning.jobs.run_census_build", layer.pk)
    return layer


def start_import(upload, crs: str):
    """A building imported layer from an uploaded CSV, queued."""
    layer = _new_layer(Path(upload.name).stem, DemandSource.IMPORTED)
    layer.note = f"{upload.name}|{crs}"
    layer.save(update_fields=["note"])
    path = _upload_path(layer.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    _enqueue("fucai.planning.jobs.run_import", layer.pk)
    return layer


def _progress_of(pk: int, total: int):
    from fucai.planning.models import DemandLayer

    done = {"n": 0}

    def progress(step: str, count: int | None = None) -> None:
        done["n"] += 1
        DemandLayer.objects.filter(pk=pk).update(progress=min(95, 95 * done["n"] // total))

    return progress


def _fail(layer, reason: str) -> None:
    layer.status, layer.error = LayerStatus.FAILED, reason
    layer.save(update_fields=["status", "error"])


def run_census_build(pk: int, language: str = "zh-hans") -> str:
    """The worker's job: the census model into the building layer `pk`."""
    from fucai.geo.models import Division
    from fucai.planning.demand import build_census_layer
    from fucai.planning.models import DemandLayer

    layer = DemandLayer.objects.get(pk=pk)
    progress = _progress_of(pk, max(1, Division.objects.counties().count()))
    with translation.override(language):
        try:
            build_census_layer(layer.name, progress, layer=layer)
        except Exception as exc:
            logger.exception("demand layer %s failed", pk)
            _fail(layer, str(exc))
            raise
    return layer.status


def run_import(pk: int, language: str = "zh-hans") -> str:
    """The worker's job: the uploaded CSV of the building layer `pk`."""
    from fucai.planning.demand import DemandImportError, import_demand_file
    from fucai.planning.models import DemandLayer

    layer = DemandLayer.objects.get(pk=pk)
    filename, crs = layer.note.rsplit("|", 1)
    path = _upload_path(pk)
    with translation.override(language):
        try:
            import_demand_file(path.read_bytes(), filename, crs, layer.name, layer=layer)
        except DemandImportError as exc:
            _fail(layer, "\n".join(exc.problems))
        finally:
            path.unlink(missing_ok=True)
    return layer.status
