"""The contract between the data an evaluation reads and the runs that freeze it (issue 13).

`InputTable` is what a scheme is run on: for one population (city agencies or market managers)
and one period, each alternative's raw value of each indicator, with where it came from.
`fucai.evaluation.indicators.build_inputs(scheme, period, …)` makes one from fucai's data (and a
manual-input sheet for the indicators whose source is `manual`); `fucai.evaluation.runs` freezes
one with its result, so that a past run is reproduced from what it stored, not from today's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

POPULATIONS = ("city_agencies", "market_managers")


@dataclass(frozen=True)
class InputTable:
    """Raw indicator values of a population in a period, ready for the engine.

    - `ids`: the alternatives, in a stable order: a city's adcode ("360700") for city agencies,
      a market manager's employee code (MarketManager.employee_code) for market managers;
    - `labels`: id → the name people read (赣州市, a manager's name);
    - `cities`: id → the adcode of the city the alternative belongs to (the scope of a result);
    - `values`: indicator name (the scheme's `indicators[].name`) → id → the raw value (a float;
      None where it cannot be computed, e.g. no target set), in the scheme's units;
    - `sources`: indicator name → id → a short text or a URL path to the data behind the value
      (e.g. "/sales/cockpit/?city=360700&as_of=2023-12-31"), for the explanation page;
    - `data_version`: what the values were computed from (the sales store's version and the
      network's last change), so that a run says which data it froze.
    """

    population: str
    period: str  # "2023", "2023-Q3" or "2023-07"
    start: dt.date
    end: dt.date  # inclusive: the as-of day
    ids: tuple[str, ...]
    labels: dict[str, str]
    cities: dict[str, str]
    values: dict[str, dict[str, float | None]]
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    data_version: str = ""

    @property
    def elapsed(self) -> float:
        """The elapsed share of the period on the as-of day (`end`): 1 at the period's end
        (fucai.sales.targets.elapsed_share; the engine's `partial_period` uses it)."""
        from fucai.evaluation.indicators import period_bounds
        from fucai.sales.targets import elapsed_share

        start, last = period_bounds(self.period)
        return float(elapsed_share(start, self.end, last))

    def matrix(self, names: list[str]) -> list[list[float | None]]:
        """The values as rows (alternatives, in `ids` order) × columns (`names`)."""
        return [[self.values.get(name, {}).get(ident) for name in names] for ident in self.ids]
