"""The `fucai demo` step of evaluation (issue 13 point 6): the two shipped seed schemes stored as
version 1 and, when the indicator part (fucai.evaluation.indicators) is there, their 2023 runs
frozen on the demo's data and published."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

AS_OF = dt.date(2023, 12, 31)


class SchemeDemoBuilder:
    label = gettext_lazy("Evaluation: the seed schemes and their 2023 runs")

    def is_current(self, ctx) -> bool:
        from fucai.evaluation.models import EvaluationScheme
        from fucai.evaluation.schemes_store import SHIPPED

        # the stored version 1 is the shipped file as it is now (a changed seed scheme, e.g.
        # with elimination.grade and partial_period, rebuilds the schemes and their runs)
        stored = set(EvaluationScheme.objects.filter(version=1).values_list("document", flat=True))
        return stored == {p.read_text(encoding="utf-8") for p in SHIPPED.glob("*.yaml")}

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.evaluation.models import EvaluationRun, EvaluationScheme

        EvaluationRun.objects.all().delete()
        EvaluationScheme.objects.all().delete()

    def build(self, ctx) -> None:
        from fucai.core.context import acting_as
        from fucai.network.demo.writer import DEMO_SOURCE

        with acting_as(None, DEMO_SOURCE):
            rows = load_and_run()
        ctx.progress(str(self.label), rows)


def load_and_run() -> int:
    """Store the shipped schemes; freeze and publish their 2023 runs if indicators exist."""
    from django.core.exceptions import ValidationError

    from fucai.evaluation.runs import freeze, new_run, publish, run_scheme
    from fucai.evaluation.schemes_store import load_shipped

    schemes = load_shipped()
    try:
        from fucai.evaluation.indicators import build_inputs
    except ImportError:  # the indicator part is not merged yet
        return len(schemes)
    centre = demo_admin()
    for row in schemes:
        draws = 1000 if row.parsed().robustness is not None else 0
        run = new_run(row, "2023", AS_OF, centre, draws)
        try:
            freeze(run, build_inputs(run_scheme(run), "2023", as_of=AS_OF))
        except ValidationError as exc:
            run.status, run.error = "failed", " ".join(exc.messages)
            run.save(update_fields=["status", "error"])
            continue
        publish(run, centre)
    return len(schemes)


def demo_admin():
    """The demo's provincial administrator (who runs and publishes the seed runs), if any."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="admin").first()
