"""`fucai serve`: Django's development server together with the background worker.

Long jobs started from the web (sales imports) run in django-q2's worker; without it they would
wait forever. This command starts `fucai qcluster` in a child process, serves with `runserver`
(no autoreloader) in this one, and stops the worker when the server stops — on Ctrl-C, SIGTERM
or SIGHUP; on Linux the worker also gets SIGTERM if this process is killed outright. With
FUCAI_TASKS_SYNC=true jobs run inside the web request and no worker is started.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

STOP_GRACE_SECONDS = 20
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _death_signal():
    """A function for the child, run before exec: SIGTERM when the parent dies (Linux's prctl,
    looked up here in the parent; elsewhere None)."""
    libc_name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    if not libc_name:
        return None
    prctl = ctypes.CDLL(libc_name, use_errno=True).prctl
    return lambda: prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_worker() -> subprocess.Popen:
    """`fucai qcluster` in a child process, with this process's environment and settings."""
    command = [sys.executable, "-m", "fucai", "qcluster"]
    return subprocess.Popen(command, preexec_fn=_death_signal())


def _exit_on_signal(signum, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through `finally`, which stops the worker


def stop_worker(worker: subprocess.Popen | None) -> None:
    """Ask the worker to finish (SIGTERM: django-q2 lets running tasks end), then make sure."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = (
        "Serve fucai on ADDRPORT (default 127.0.0.1:8000) with Django's development server and "
        "run the background worker (fucai qcluster) alongside it, stopping it on exit."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker", action="store_true", help="serve only (a worker runs elsewhere)"
        )

    def handle(self, *args, **options) -> None:
        stops = (signal.SIGTERM, signal.SIGHUP)
        previous = {signum: signal.signal(signum, _exit_on_signal) for signum in stops}
        worker = None
        if not options["no_worker"] and not settings.TASKS_SYNC:
            worker = start_worker()
            self.stderr.write(f"background worker started (fucai qcluster, pid {worker.pid})")
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            stop_worker(worker)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
