"""WSGI entry point. Loading it (a WSGI server, `fucai serve`) starts the warm-up of the process
in the background (fucai.core.warmup)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fucai.settings")
application = get_wsgi_application()

from fucai.core.warmup import start_warm_up  # noqa: E402 — needs the application's settings

start_warm_up()
