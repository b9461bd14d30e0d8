"""The effect of a treatment with staggered adoption on station sales (issue 11, point 6).

A treatment here is anything that starts for a station on its own date and stays: a cadre–station
pairing (结对), a new-channel outlet. The question is how much it moved the station's monthly
sales, with an honest interval, a parallel-trends check and a placebo.

Estimator. Gardner's two-stage difference-in-differences (did2s), as maintained in pyfixest
(`pyfixest.did2s`): the first stage fits station and month fixed effects on the untreated
observations only (never-treated stations and the not-yet-treated months of treated stations),
the second stage regresses the residualised log sales on the treatment indicator (the average
effect on the treated) or on event-time dummies (the event study). It is robust to staggered
adoption with heterogeneous effects, unlike a naive two-way fixed-effects (TWFE) regression,
which is reported only as a comparison (`twfe_pct`, pyfixest.feols). Standard errors are
clustered by station (did2s's analytic, first-stage-corrected GMM variance; no bootstrap, so
no seed is needed); intervals are 95 %. Log points b are reported as percentages
(e^b − 1) × 100, interval ends transformed the same way.

Why pyfixest and not `differences` (Callaway–Sant'Anna ATT(g,t)): both install on Python 3.11
here and both give an ATT with clustered standard errors, but `differences` 0.3.0 requires
polars (≈ 170 MB) and statsmodels and adds ≈ 225 MB to fucai's environment against ≈ 180 MB
for pyfixest 0.60 (its Rust core, no numba; the weight is matplotlib/seaborn and the
table-rendering stack of maketables); `import differences` took ≈ 8 s cold, pyfixest imports
lazily. pyfixest is the more used of the two, offers did2s, the event study and the TWFE
comparison behind one API, and ships the did2s package's reference panel (df_het, with the
true effects in it) that the tests check against. Neither ships the mpdta data set.

Controls (`EffectSettings.control_group`):
- "matched_never_treated" (default): for each treated station, the `matches` never-treated
  stations of the same city and scene whose mean log sales over the `match_months` months
  before its start are nearest (with replacement across treated stations), plus the
  not-yet-treated months of all treated stations;
- "all_untreated": every never-treated station plus the not-yet-treated months.
Anticipation: `anticipation` months before the start are already counted as treated (0 by
default). Event study: event time clipped to `event_window` (end bins), reference period
`base_period` (−1, the month before the start; never-treated stations sit in it). Placebo:
only observations before each treated station's start are kept, the start is moved
`placebo_shift` months earlier, and the same estimate is made: its interval should contain 0.

Pure: inputs are a panel and station attributes (pandas or pyarrow), output an EffectResult.
`panel_from_sales` builds the panel from fucai's sales analytics.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

NO_EFFECT = "暂无可测量的效果"
CONTROL_GROUPS = ("matched_never_treated", "all_untreated")


@dataclass(frozen=True)
class EffectSettings:
    """Every setting of the estimate, explicit (and echoed in the result)."""

    control_group: str = "matched_never_treated"
    matches: int = 3  # never-treated controls per treated station (matched_never_treated)
    match_months: int = 6  # pre-period months whose mean log sales are matched
    anticipation: int = 0  # months before the start already counted as treated
    base_period: int = -1  # event-study reference (event time of never-treated stations too)
    event_window: tuple[int, int] = (-6, 6)  # event time clipped to this (end bins)
    placebo_shift: int = 6  # months the placebo start is moved earlier
    ramp_up_months: int = 6  # a station's first months after opening are left out
    min_untreated_months: int = 2  # fewer untreated months: no station effect to estimate
    cluster: str = "station_code"  # standard errors clustered by station
    confidence: float = 0.95  # pyfixest's tidy() intervals are 95 %
    bootstrap_seed: int | None = None  # analytic SE: no bootstrap, no seed


@dataclass(frozen=True)
class EffectResult:
    """The effect in % with its 95 % interval, the placebo, the event study and the TWFE
    comparison; `verdict` is plain Chinese ("暂无可测量的效果" when the interval contains 0)."""

    estimate_pct: float
    ci_low_pct: float
    ci_high_pct: float
    placebo_estimate_pct: float | None
    placebo_ci_low_pct: float | None
    placebo_ci_high_pct: float | None
    n_treated: int
    n_control: int
    estimator: str
    verdict: str
    event_study: list[tuple[int, float, float, float]]
    twfe_pct: float
    twfe_ci_low_pct: float
    twfe_ci_high_pct: float
    settings: EffectSettings
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "settings"}
        data["event_study"] = [
            {"k": k, "coef_pct": c, "ci_low_pct": lo, "ci_high_pct": hi}
            for k, c, lo, hi in self.event_study
        ]
        data["settings"] = {
            k: getattr(self.settings, k) for k in self.settings.__dataclass_fields__
        }
        data["settings"]["event_window"] = list(self.settings.event_window)
        return data


class EffectError(ValueError):
    """The panel cannot answer (no treated station with a pre-period, no control)."""


def pct(log_points: float) -> float:
    """Log points as a percentage change, rounded to 0.01."""
    return round(math.expm1(log_points) * 100, 2) + 0.0  # + 0.0: no "-0.0"


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def estimate_effect(panel, stations, settings: EffectSettings = EffectSettings()) -> EffectResult:
    """The effect of the treatment starting at `stations.start_month` on `panel.log_sales`.

    panel: station_code, month (a date in the month), log_sales — one row per station and month;
    stations: station_code, city, scene, start_month (a date, or None/NaT when never treated)
    and optionally opened_month (the month it opened: its ramp-up months are left out)."""
    if settings.control_group not in CONTROL_GROUPS:
        raise EffectError(f"control_group must be one of {CONTROL_GROUPS}")
    data, left_out = prepared(panel, stations, settings)
    data = with_controls(data, settings)
    treated = data.loc[data.g > 0, "station_code"].nunique()
    controls = data.loc[data.g == 0, "station_code"].nunique()
    if not treated or not (controls or data.g.nunique() > 1):
        raise EffectError("the panel needs treated stations with a pre-period and controls")
    b, lo, hi = _att(data, settings)
    placebo = _placebo(data, settings)
    tw, tw_lo, tw_hi = _twfe(data, settings)
    result = dict(
        estimate_pct=pct(b),
        ci_low_pct=pct(lo),
        ci_high_pct=pct(hi),
        placebo_estimate_pct=pct(placebo[0]) if placebo else None,
        placebo_ci_low_pct=pct(placebo[1]) if placebo else None,
        placebo_ci_high_pct=pct(placebo[2]) if placebo else None,
        n_treated=int(treated),
        n_control=int(controls),
        estimator=f"did2s (pyfixest; controls {settings.control_group}, clustered by station)",
        event_study=_event_study(data, settings),
        twfe_pct=pct(tw),
        twfe_ci_low_pct=pct(tw_lo),
        twfe_ci_high_pct=pct(tw_hi),
    )
    return EffectResult(
        **result,
        verdict=verdict(b, lo, hi),
        settings=settings,
        warnings=_warnings(placebo, left_out),
    )


def verdict(b: float, lo: float, hi: float) -> str:
    """Plain Chinese: the direction and size when the interval excludes 0, else no effect."""
    if lo <= 0 <= hi:
        return NO_EFFECT
    direction = "提高" if b > 0 else "降低"
    return (
        f"有可测量的效果：销量约{direction} {abs(pct(b)):.1f}%"
        f"（95% 区间 {pct(lo):.1f}% 至 {pct(hi):.1f}%）"
    )


def _warnings(placebo, left_out: int) -> list[str]:
    out = []
    if placebo is None:
        out.append("安慰剂检验无法进行：处理前的月份不足")
    elif not placebo[1] <= 0 <= placebo[2]:
        out.append("安慰剂检验未通过（处理前出现“效果”），平行趋势存疑")
    if left_out:
        out.append(f"{left_out} 个处理站点在处理开始前的销量月份不足（如开业即处理），未计入")
    return out


# -- preparing the panel --------------------------------------------------------------------------
def _frame(table) -> pd.DataFrame:
    return table.to_pandas() if hasattr(table, "to_pandas") else pd.DataFrame(table)


def prepared(panel, stations, settings: EffectSettings) -> tuple[pd.DataFrame, int]:
    """One row per station and month with t (month index), g (first treated month index with
    anticipation, 0 when never treated within the panel), city and scene; and how many treated
    stations were left out for having too few months of sales before their start (an outlet
    that opened treated, e.g. a new-channel outlet: nothing to compare it with in itself).

    A station's first `ramp_up_months` after its `opened_month` (when the stations frame has
    that column) are left out: a new outlet's growth while it finds its players is not the
    market's trend, and as a control it would pass for one. A station with fewer than
    `min_untreated_months` untreated months is left out too (its own level cannot be
    estimated: a singleton for the first stage)."""
    p = _frame(panel)[["station_code", "month", "log_sales"]]
    frame = _frame(stations)
    columns = ["station_code", "city", "scene", "start_month"]
    s = frame[columns + (["opened_month"] if "opened_month" in frame else [])]
    data = p.merge(s, on="station_code", how="inner").dropna(subset=["log_sales"])
    data["t"] = [month_index(pd.Timestamp(m).date()) for m in data.month]
    if "opened_month" in data:
        opened = [
            month_index(pd.Timestamp(m).date()) if m is not None and not pd.isna(m) else -1
            for m in data.opened_month
        ]
        data = data[data.t >= np.array(opened) + settings.ramp_up_months]
    starts = {
        code: month_index(pd.Timestamp(start).date()) - settings.anticipation
        for code, start in zip(s.station_code, s.start_month, strict=True)
        if start is not None and not pd.isna(start)
    }
    last = data.t.max()
    g = data.station_code.map(starts).fillna(0).astype(int)
    data = data.assign(g=np.where(g > last, 0, g))  # starts after the panel: never treated
    untreated = ((data.g == 0) | (data.t < data.g)).groupby(data.station_code).transform("sum")
    few = untreated < settings.min_untreated_months
    left_out = data.loc[few & (data.g > 0), "station_code"].nunique()
    return data[~few].reset_index(drop=True), int(left_out)


def with_controls(data: pd.DataFrame, settings: EffectSettings) -> pd.DataFrame:
    """The panel restricted to the treated stations and the chosen never-treated controls."""
    if settings.control_group == "all_untreated":
        return data
    means = _pre_means(data, settings.match_months)
    never = data[data.g == 0].groupby("station_code")[["city", "scene"]].first()
    treated = data[data.g > 0].groupby("station_code")[["city", "scene", "g"]].first()
    chosen: set[str] = set()
    wide = data[data.g == 0].pivot_table(index="station_code", columns="t", values="log_sales")
    for code, row in treated.iterrows():
        pool = never[(never.city == row.city) & (never.scene == row.scene)].index
        window = [t for t in range(row.g - settings.match_months, row.g) if t in wide.columns]
        if not len(pool) or not window or code not in means.index:
            continue  # no candidate, or no sales in the matching months: not-yet-treated only
        gap = (wide.loc[pool, window].mean(axis=1) - means[code]).abs()
        chosen.update(gap.nsmallest(settings.matches).index)
    return data[(data.g > 0) | data.station_code.isin(chosen)].reset_index(drop=True)


def _pre_means(data: pd.DataFrame, months: int) -> pd.Series:
    pre = data[(data.g > 0) & (data.t < data.g) & (data.t >= data.g - months)]
    return pre.groupby("station_code")["log_sales"].mean()


# -- the estimates --------------------------------------------------------------------------------
FIRST_STAGE = "~ 0 | station_code + t"


@contextmanager
def _quiet():
    """pyfixest 0.60 calls pandas with inplace=, which pandas 3.1 deprecates: not our warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The inplace keyword")
        yield


def identified(frame: pd.DataFrame, min_untreated: int) -> pd.DataFrame:
    """The rows whose station and month effects the first stage can estimate: stations with
    `min_untreated` untreated months or more, months with an untreated row (pyfixest's did2s
    drops the others in one stage and not the other, and fails)."""
    untreated = ~frame.treat
    counts = untreated.groupby(frame.station_code).transform("sum")
    frame = frame[counts >= min_untreated]
    months = set(frame.t[~frame.treat])
    return frame[frame.t.isin(months)]


def _did2s(data: pd.DataFrame, second_stage: str, settings: EffectSettings) -> pd.DataFrame:
    import pyfixest as pf

    frame = data.assign(treat=(data.g > 0) & (data.t >= data.g))
    frame = identified(frame, settings.min_untreated_months)
    with _quiet():
        fit = pf.did2s(
            frame,
            yname="log_sales",
            first_stage=FIRST_STAGE,
            second_stage=second_stage,
            treatment="treat",
            cluster=settings.cluster,
        )
        return fit.tidy()


def _att(data: pd.DataFrame, settings: EffectSettings) -> tuple[float, float, float]:
    row = _did2s(data, "~ 0 + treat", settings).iloc[0]
    return float(row["Estimate"]), float(row["2.5%"]), float(row["97.5%"])


def _event_study(data: pd.DataFrame, settings: EffectSettings):
    low, high = settings.event_window
    rel = np.where(data.g > 0, np.clip(data.t - data.g, low, high), settings.base_period)
    tidy = _did2s(data.assign(rel=rel), f"~ i(rel, ref={settings.base_period})", settings)
    series = [
        (int(name.split("::")[1]), pct(r["Estimate"]), pct(r["2.5%"]), pct(r["97.5%"]))
        for name, r in tidy.iterrows()
    ]
    return sorted(series)


def _placebo(data: pd.DataFrame, settings: EffectSettings):
    """The same estimate before the treatment: treated stations' months before their start
    only, the start moved `placebo_shift` months earlier; None when no cohort has room."""
    pre = data[(data.g == 0) | (data.t < data.g)]
    pre = pre[pre.t < data.loc[data.g > 0, "g"].max()]
    fake = np.where(pre.g > 0, pre.g - settings.placebo_shift, 0)
    pre = pre.assign(g=fake)
    pre = pre[~((pre.g > 0) & (pre.g <= pre.t.min()))]
    if not (pre.g > 0).any() or not ((pre.g > 0) & (pre.t >= pre.g)).any():
        return None
    return _att(pre, settings)


def _twfe(data: pd.DataFrame, settings: EffectSettings) -> tuple[float, float, float]:
    import pyfixest as pf

    frame = data.assign(treat=((data.g > 0) & (data.t >= data.g)).astype(int))
    with _quiet():
        fit = pf.feols(
            "log_sales ~ treat | station_code + t", frame, vcov={"CRV1": settings.cluster}
        )
        row = fit.tidy().loc["treat"]
    return float(row["Estimate"]), float(row["2.5%"]), float(row["97.5%"])


# -- the panel from fucai's sales -----------------------------------------------------------------
def first_treated_month(start: dt.date) -> dt.date:
    """A treatment starting on the 1st counts from that month, one starting later in the month
    from the next (the first whole month treated; the partial month is left out of the panel:
    counted untreated it would lift the month effects the controls estimate)."""
    if start.day == 1:
        return start
    return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)


def panel_from_sales(
    starts: dict[str, dt.date],
    first: dt.date,
    last: dt.date,
    scope=None,
    context=None,
    opened: dict[str, dt.date] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(panel, stations) for estimate_effect from the sales analytics: every station of the
    scope with sales, log of its monthly amount (fen) for each month of [first, last] in which
    it sold (months without sales are left out, not zero; so is a last month that `last` does
    not end), its city and scene codes, and its
    first treated month from `starts` (station code → treatment start date; absent: never)
    and its opening month from `opened` (station code → opening day; absent: unknown).

    Months come from SeriesRunner.monthly grouped by city, scene and station (one call per
    year, read from the ytd rollup), so the scope (Scope.province() by default, or a city's or
    a user's) is applied by the analytics as everywhere else."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.runners import SeriesRunner
    from fucai.analytics.scope import Scope

    runner = SeriesRunner(context or AnalyticsContext.current(), scope or Scope.province())
    if (last + dt.timedelta(days=1)).month == last.month:  # a partial last month is left out
        last = last.replace(day=1) - dt.timedelta(days=1)
    rows, attributes = [], {}
    partial = {(code, day.replace(day=1)) for code, day in starts.items() if day.day != 1}
    for year in range(first.year, last.year + 1):
        series = runner.monthly(min(last, dt.date(year, 12, 31)), by="city,scene,station")
        for p in series.points:
            if p.period.year != year or not first <= p.period <= last or p.amount_fen <= 0:
                continue
            city, scene, code = p.key.split("/")
            attributes[code] = (city, scene)
            if (code, p.period) in partial:
                continue  # the month a treatment started in, after the 1st
            rows.append((code, p.period, math.log(p.amount_fen)))
    panel = pd.DataFrame(rows, columns=["station_code", "month", "log_sales"])
    opened = opened or {}
    stations = pd.DataFrame(
        [
            (
                code,
                city,
                scene,
                first_treated_month(starts[code]) if code in starts else None,
                opened[code].replace(day=1) if opened.get(code) else None,
            )
            for code, (city, scene) in sorted(attributes.items())
        ],
        columns=["station_code", "city", "scene", "start_month", "opened_month"],
    )
    return panel, stations
