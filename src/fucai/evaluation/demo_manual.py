"""The demo's manual-input sheets (人工录入指标) for the two shipped schemes, 2023: for each city
agency and each market manager, the values a centre would enter by hand — compliance incidents
(mostly none), training hours, welfare activities and, for the managers, the stations'
satisfaction score. Drawn from a seeded generator (synthetic), saved as version 1 through the
same code as an import (fucai.evaluation.manual.save_manual)."""

from __future__ import annotations

import random

from django.utils.translation import gettext_lazy

PERIOD = "2023"
SCHEMES = ("city-agencies-2023", "market-managers-2023")
# indicator → how a value is drawn
DRAWS = {
    "compliance_incidents": lambda rng: rng.choices([0, 0, 0, 1, 1, 2, 3], k=1)[0],
    "training_hours": lambda rng: rng.choice(range(8, 49, 2)),
    "station_satisfaction": lambda rng: round(rng.uniform(68, 98), 1),
}
WELFARE = {"city_agencies": (12, 40), "market_managers": (0, 8)}


class ManualDemoBuilder:
    """The manual-input sheets of city-agencies-2023 and market-managers-2023."""

    label = gettext_lazy("Evaluation: manual inputs (demo)")

    def is_current(self, ctx) -> bool:
        from fucai.evaluation.models import ManualInputSet

        return ManualInputSet.objects.filter(period=PERIOD, scheme__in=SCHEMES).count() == len(
            SCHEMES
        )

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.evaluation.models import ManualInputSet

        ManualInputSet.objects.all().delete()

    def build(self, ctx) -> None:
        from fucai.core.context import acting_as
        from fucai.evaluation.indicators import period_bounds, population
        from fucai.evaluation.manual import manual_indicators, save_manual
        from fucai.evaluation.shipped import shipped_schemes
        from fucai.network.demo.writer import DEMO_SOURCE

        schemes = shipped_schemes()
        count = 0
        for name in SCHEMES:
            scheme = schemes[name]
            rng = random.Random(f"{ctx.seed}:manual:{name}")
            people = population(scheme.population, *period_bounds(PERIOD))
            low, high = WELFARE[scheme.population]
            values = {}
            for ident in people.ids:
                row = {}
                for indicator in manual_indicators(scheme):
                    if indicator.name == "welfare_activities":
                        row[indicator.name] = rng.randint(low, high)
                    else:
                        row[indicator.name] = DRAWS[indicator.name](rng)
                values[ident] = row
            with acting_as(None, DEMO_SOURCE):
                save_manual(scheme, PERIOD, values, source="demo")
            count += len(values)
        ctx.progress(str(self.label), count)
