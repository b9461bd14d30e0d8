"""Start-up warm-up of a web server process: what the first visit would otherwise wait for.

A fresh process has not imported the view modules nor the analytics stack (Ibis, DuckDB, pandas:
≈ 1–3 s), has no analytics context (the dimension snapshot and the sales calendar) nor its
connection (made on first need, fucai.analytics.backends) and no rollup slice of the province
in memory. `fucai.wsgi` starts `warm_up` in a background thread, so the
server answers at once and the cockpit's first visit finds all of it ready. Nothing here is
shown to anyone: the context is the process-wide one every request thread shares
(`AnalyticsContext.current`); the province's figures fill the runners' result cache (keyed by
scope, so only a province user's page uses them) and its rollup slice, which is cut for each
user's scope as usual.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Import the views, build the analytics context, compute the province's cockpit for its
    default day and load the page's template."""
    from django.template.loader import get_template
    from django.urls import reverse
    from django.utils import timezone

    reverse("sales:cockpit")  # imports every view module, fills the URL resolver
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.scope import Scope
    from fucai.network.models import Station
    from fucai.sales.cockpit import Cockpit, kept_network_summary, sales_span

    get_template("sales/cockpit.html")
    context = AnalyticsContext.current()
    context.connect()  # Ibis and DuckDB: contexts connect on first need, a page must not wait
    span = sales_span(context)
    if span is None:
        return
    day = min(span.last, timezone.localdate())  # the cockpit's default day (CockpitForm)
    Cockpit(None, day, context=context, scope=Scope.province()).warm()
    kept_network_summary(context, Station.objects.all(), day)


def _run() -> None:
    from django.db import connections

    try:
        warm_up()
    except Exception:  # a warm-up must never stop the server: the first visit does the work
        log.exception("warm-up failed")
    finally:
        connections.close_all()


def start_warm_up() -> threading.Thread:
    thread = threading.Thread(target=_run, name="fucai-warm-up", daemon=True)
    thread.start()
    return thread
