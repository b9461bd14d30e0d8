"""Synthetic station × month panels with staggered adoption and a known effect, for the tests
of fucai.party.effect (and for the demo's known +8 % when it is wired).

log(sales) of station i in month t =
    station level (by scene, plus the station's own fixed effect)
    + calendar-month seasonality (Spring Festival high in February, summer low)
    + a city-wide shock of month t (the same for every station of the city)
    + a slow common trend
    + noise (i.i.d. normal)
    + log(1 + effect) for a treated station from its start month on (0 when effect is 0), or
      from `lead_months` earlier (anticipation: the placebo should then catch it).

Treated stations are a share of one scene (商超 by default, as 吉安's pairings are) in every
city; their start months are spread over the middle of the panel (staggered adoption), so
there are pre-periods for every cohort and never-treated stations of the same city and scene.
Everything comes from one seeded numpy Generator: the same arguments give the same panel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

SCENES = ("商超", "社区", "街道")
CITIES = ("吉安", "抚州", "赣州")
SEASON = np.log([1.0, 1.25, 0.95, 0.97, 1.0, 0.98, 0.93, 0.94, 1.0, 1.05, 1.02, 1.08])


@dataclass(frozen=True)
class PanelSpec:
    """What to generate; defaults are a small panel the tests estimate in seconds."""

    stations_per_city_scene: int = 40
    first_month: dt.date = dt.date(2021, 1, 1)
    months: int = 36
    treated_scene: str = "商超"
    treated_share: float = 0.5
    first_start: int = 12  # index of the first cohort's start month
    last_start: int = 27  # index of the last cohort's start month
    effect: float = 0.08  # +8 %: log(1.08) on log sales from the start month on
    lead_months: int = 0  # the effect begins this many months before the recorded start
    noise_sd: float = 0.08
    station_sd: float = 0.5
    city_shock_sd: float = 0.03
    seed: int = 20230903


def month_list(first: dt.date, months: int) -> list[dt.date]:
    """`months` first days of month from `first` on."""
    out, year, month = [], first.year, first.month
    for _ in range(months):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def generate_panel(spec: PanelSpec = PanelSpec()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(panel, stations): panel has station_code, month, log_sales; stations has station_code,
    city, scene, start_month (a date, or None for a never-treated station)."""
    rng = np.random.default_rng(spec.seed)
    months = month_list(spec.first_month, spec.months)
    stations = _stations(spec, rng, months)
    shocks = {c: rng.normal(0, spec.city_shock_sd, spec.months) for c in CITIES}
    scene_level = {s: lvl for s, lvl in zip(SCENES, (9.6, 9.3, 9.9), strict=True)}
    fixed = rng.normal(0, spec.station_sd, len(stations))
    noise = rng.normal(0, spec.noise_sd, (len(stations), spec.months))
    trend = 0.002 * np.arange(spec.months)
    season = SEASON[[m.month - 1 for m in months]]
    rows = []
    for i, st in enumerate(stations.itertuples(index=False)):
        base = scene_level[st.scene] + fixed[i] + season + shocks[st.city] + trend + noise[i]
        start = months.index(st.start_month) if st.start_month is not None else spec.months
        treated = np.arange(spec.months) >= start - spec.lead_months
        y = base + np.where(treated, np.log1p(spec.effect), 0.0)
        rows.append(
            pd.DataFrame({"station_code": st.station_code, "month": months, "log_sales": y})
        )
    return pd.concat(rows, ignore_index=True), stations


def _stations(spec: PanelSpec, rng: np.random.Generator, months: list[dt.date]) -> pd.DataFrame:
    records = []
    for c, city in enumerate(CITIES):
        for s, scene in enumerate(SCENES):
            n = spec.stations_per_city_scene
            treated = round(n * spec.treated_share) if scene == spec.treated_scene else 0
            starts = rng.integers(spec.first_start, spec.last_start + 1, treated)
            for k in range(n):
                code = f"36{c + 1:02d}{s + 1:01d}{k:03d}"
                start = months[int(starts[k])] if k < treated else None
                records.append((code, city, scene, start))
    return pd.DataFrame(records, columns=["station_code", "city", "scene", "start_month"])
