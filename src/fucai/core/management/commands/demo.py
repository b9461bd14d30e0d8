"""`fucai demo`: build the demo province and serve it.

The demo is made by builder steps that each module registers (`demo_builders` in its apps.py,
fucai.core.registry), in their declared order. A builder is any class with
- `label`: what it builds, for the progress display;
- `is_current(ctx) -> bool`: whether the database already holds exactly what it would build;
- `foreign_data(ctx) -> str | None`: a reason not to wipe (data the demo did not make), or None;
- `wipe(ctx)`: remove what it builds;
- `build(ctx)`: build it, reporting `ctx.progress(step, count)`;
and optionally `logins() -> [(username, password, description)]` and `figures() -> str` (what it
built, printed at the end). Later demo data (Party work, grants, …) is added by registering a
builder; wiping runs in reverse order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from fucai.core.demo import DEMO_SEED, DEMO_VERSION
from fucai.core.registry import demo_builders


@dataclass
class DemoContext:
    """What builders share: the seed, the progress display and intermediate results."""

    seed: int
    progress: Callable[[str, int | None], None]
    shared: dict = field(default_factory=dict)


def wipe_demo(seed: int = DEMO_SEED) -> None:
    """Remove everything every builder made, in reverse order, in one transaction (what
    `fucai demo` does before it rebuilds; tests use it to leave no demo data behind)."""
    ctx = DemoContext(seed=seed, progress=lambda step, count=None: None)
    builders = [import_string(path)() for path in demo_builders()]
    with transaction.atomic():
        for builder in reversed(builders):
            builder.wipe(ctx)


class Command(BaseCommand):
    help = (
        "Build the demo province (Jiangxi; a station network with history from 2021, calibrated "
        "to the 2023 report: 5,706 stations open on 2023-09-03, +876 since 2023-01-01), print "
        "its figures and the demo logins, then serve the app on 127.0.0.1:8000 (with the "
        "background worker, see `fucai serve`). The build is "
        "deterministic for a seed. Running it again is safe: if the database already holds the "
        "demo of the same seed and version, nothing is rebuilt; otherwise (another seed, a newer "
        "version, demo data changed) all demo data (stations, owners, managers, territories, "
        "partner groups and the demo users) is wiped and rebuilt in one transaction, so nothing "
        "is ever duplicated. It refuses to touch a database holding stations it did not build."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help=f"random seed (default {DEMO_SEED})"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="build only, do not start the server"
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)"
        )
        parser.add_argument(
            "--rebuild", action="store_true", help="wipe and rebuild even if the demo is current"
        )

    def handle(self, *args, **options) -> None:
        self.started = time.monotonic()
        self.progress(_("migrating the database"))
        call_command("migrate", verbosity=0, interactive=False)
        builders = [import_string(path)() for path in demo_builders()]
        ctx = DemoContext(seed=options["seed"], progress=self.progress)
        self.build(builders, ctx, rebuild=options["rebuild"])
        self.print_figures(builders)
        self.print_logins(builders, options["port"])
        if not options["no_serve"]:
            # runserver with the background worker (web imports), stopped with the server
            call_command("serve", f"127.0.0.1:{options['port']}")

    def build(self, builders: list, ctx: DemoContext, rebuild: bool) -> None:
        if not rebuild and all(builder.is_current(ctx) for builder in builders):
            self.progress(
                _("demo (seed %(seed)s, version %(version)s) already built: nothing to do")
                % {"seed": ctx.seed, "version": DEMO_VERSION}
            )
            return
        reasons = [reason for builder in builders if (reason := builder.foreign_data(ctx))]
        if reasons:
            raise CommandError(_("fucai demo: not building the demo: %s.") % "; ".join(reasons))
        with transaction.atomic():
            for builder in reversed(builders):
                builder.wipe(ctx)
            for builder in builders:
                self.progress(_("building %(label)s") % {"label": builder.label})
                builder.build(ctx)
        self.progress(
            _("demo built (seed %(seed)s, version %(version)s)")
            % {"seed": ctx.seed, "version": DEMO_VERSION}
        )

    def progress(self, step: str, count: int | None = None) -> None:
        """One line on stderr: the step, its count and the time since the command started."""
        figure = f"{count:>9,}" if count is not None else " " * 9
        self.stderr.write(f"[{time.monotonic() - self.started:6.1f}s] {step:<44}{figure}")

    def print_figures(self, builders: list) -> None:
        for builder in builders:
            if hasattr(builder, "figures"):
                self.stdout.write("")
                self.stdout.write(builder.figures())

    def print_logins(self, builders: list, port: int) -> None:
        logins = [
            row for builder in builders if hasattr(builder, "logins") for row in builder.logins()
        ]
        self.stdout.write("")
        self.stdout.write(
            _("Log in at http://127.0.0.1:%(port)s/ (user / password):") % {"port": port}
        )
        width = max(len(f"{username} / {password}") for username, password, _d in logins)
        for username, password, description in logins:
            self.stdout.write(f"  {f'{username} / {password}':<{width}}  {description}")
