"""Is the background worker taking the jobs queued from the web? (django-q2 with the database as
its queue, `fucai qcluster`; `fucai serve` starts one beside the web server.)

A running cluster takes a queued task within a poll (a fraction of a second): it locks the
task's queue row (`OrmQ.lock` moved RETRY seconds ahead) and keeps it until the task ends. So a
job still queued after STALE_SECONDS, while no queue row is locked, was taken by nobody: no
worker runs. With a row locked the worker is busy with other jobs (or one was killed while
holding it — the message says to ask about it if it lasts). The worker's own statistics live in
its process's cache, not seen by the web, hence the queue itself.

A page with such a job asks `queue_state(job.created)` while the job is queued and shows
`core/includes/worker_waiting.html` with the answer."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

STALE_SECONDS = 15  # a queued job older than this, untouched: the worker is not taking jobs
STOPPED = "stopped"  # nothing takes the queue: no worker runs
BUSY = "busy"  # the worker holds other jobs


def queue_state(queued_at: dt.datetime, now: dt.datetime | None = None) -> str | None:
    """For a job queued at `queued_at` and not started yet: None while it is fresh (or jobs run
    inside the request, FUCAI_TASKS_SYNC), BUSY when the worker holds other jobs, STOPPED when
    nothing has taken the queue."""
    from django_q.models import OrmQ

    now = now or timezone.now()
    if settings.TASKS_SYNC or now - queued_at < dt.timedelta(seconds=STALE_SECONDS):
        return None
    return BUSY if OrmQ.objects.filter(lock__gt=now).exists() else STOPPED
