"""The effect estimate (fucai.party.effect) on generated panels with a known effect, on
pyfixest's shipped reference panel, and on a panel built from fucai's sales analytics."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from importlib.resources import files

import pandas as pd
import pytest

from fucai.party.effect import (
    NO_EFFECT,
    EffectSettings,
    _att,
    estimate_effect,
    first_treated_month,
    panel_from_sales,
)
from fucai.party.effect_panels import PanelSpec, generate_panel
from fucai.sales.tests.test_analytics import HISTORY  # the conftest network's hand-worked sales


@pytest.fixture(scope="module")
def with_effect():
    return estimate_effect(*generate_panel(PanelSpec(effect=0.08)))


@pytest.fixture(scope="module")
def without_effect():
    return estimate_effect(*generate_panel(PanelSpec(effect=0.0)))


def test_the_generated_panel_is_seeded_and_staggered():
    panel, stations = generate_panel()
    again, _ = generate_panel()
    assert panel.equals(again)
    assert (len(panel), len(stations)) == (360 * 36, 360)  # 3 cities × 3 scenes × 40, 36 months
    treated = stations.dropna(subset=["start_month"])
    assert len(treated) == 60 and set(treated.scene) == {"商超"}  # half of each city's 商超
    assert treated.start_month.nunique() > 10  # staggered: many start months


def test_a_known_8_percent_effect_is_recovered_within_the_95_percent_interval(with_effect):
    r = with_effect
    assert r.ci_low_pct <= 8.0 <= r.ci_high_pct
    assert (r.estimate_pct, r.ci_low_pct, r.ci_high_pct) == (8.66, 7.56, 9.76)
    assert (r.n_treated, r.n_control) == (60, 55)  # 3 matched never-treated each, shared
    assert r.verdict == "有可测量的效果：销量约提高 8.7%（95% 区间 7.6% 至 9.8%）"
    assert r.estimator.startswith("did2s (pyfixest")


def test_the_placebo_before_treatment_has_an_interval_containing_zero(with_effect):
    r = with_effect
    assert r.placebo_ci_low_pct <= 0 <= r.placebo_ci_high_pct
    assert (r.placebo_estimate_pct, r.placebo_ci_low_pct, r.placebo_ci_high_pct) == (
        0.11,
        -1.05,
        1.29,
    )
    assert r.warnings == []


def test_the_event_study_is_flat_before_the_start_and_near_8_percent_after(with_effect):
    series = {k: (c, lo, hi) for k, c, lo, hi in with_effect.event_study}
    assert sorted(series) == [-6, -5, -4, -3, -2, 0, 1, 2, 3, 4, 5, 6]  # -1 is the base
    # parallel-trends check: four of the five pre-period intervals contain 0 (−5 just misses)
    assert sum(lo <= 0 <= hi for k, (_, lo, hi) in series.items() if k < 0) == 4
    assert all(lo <= 8.0 <= hi for k, (_, lo, hi) in series.items() if k >= 0 and k != 4)
    assert series[0] == (9.27, 6.71, 11.88)


def test_with_the_effect_switched_off_the_verdict_is_no_measurable_effect(without_effect):
    r = without_effect
    assert r.verdict == NO_EFFECT == "暂无可测量的效果"
    assert (r.estimate_pct, r.ci_low_pct, r.ci_high_pct) == (0.61, -0.41, 1.63)
    assert r.placebo_ci_low_pct <= 0 <= r.placebo_ci_high_pct


def test_a_naive_twfe_comparison_is_reported(with_effect, without_effect):
    assert (with_effect.twfe_pct, with_effect.twfe_ci_low_pct, with_effect.twfe_ci_high_pct) == (
        8.49,
        7.44,
        9.56,
    )
    assert without_effect.twfe_pct == 0.46


def test_the_result_says_every_setting_and_serialises(with_effect):
    data = with_effect.to_dict()
    assert data["settings"] == {
        "control_group": "matched_never_treated",
        "matches": 3,
        "match_months": 6,
        "anticipation": 0,
        "base_period": -1,
        "event_window": [-6, 6],
        "placebo_shift": 6,
        "ramp_up_months": 6,
        "min_untreated_months": 2,
        "cluster": "station_code",
        "confidence": 0.95,
        "bootstrap_seed": None,
    }
    assert data["event_study"][0] == {
        "k": -6,
        "coef_pct": 0.06,
        "ci_low_pct": -0.18,
        "ci_high_pct": 0.31,
    }
    assert {"estimate_pct", "placebo_ci_high_pct", "n_control", "verdict"} <= set(data)


def test_did2s_recovers_the_true_effect_of_the_did2s_reference_panel():
    """pyfixest ships df_het, the did2s package's simulated staggered panel (1,500 units × 31
    years, effects growing with time since treatment) with the true effects in its columns:
    their mean over treated rows is the true ATT. Its first 500 units (15,500 rows, all 40
    states as clusters) keep the test fast; on all of it the estimate is 2.2305 [2.1821,
    2.2789] for a true 2.2202."""
    df = pd.read_csv(files("pyfixest.did") / "data" / "df_het.csv")
    df = df[df.unit <= 500]
    truth = (df.te + df.te_dynamic)[df.treat].mean()
    data = df.rename(columns={"unit": "station_code", "year": "t", "dep_var": "log_sales"})
    b, lo, hi = _att(data, dataclasses.replace(EffectSettings(), cluster="state"))
    assert round(truth, 4) == 2.2175
    assert lo <= truth <= hi
    assert (round(b, 4), round(lo, 4), round(hi, 4)) == (2.2432, 2.1736, 2.3128)


def test_an_effect_that_starts_before_the_recorded_date_fails_the_placebo_until_declared():
    panel, stations = generate_panel(PanelSpec(lead_months=3))
    naive = estimate_effect(panel, stations)
    assert not naive.placebo_ci_low_pct <= 0 <= naive.placebo_ci_high_pct
    assert (naive.placebo_estimate_pct, naive.placebo_ci_low_pct) == (3.95, 2.73)
    assert naive.warnings == ["安慰剂检验未通过（处理前出现“效果”），平行趋势存疑"]
    pre = {k: lo for k, _, lo, _ in naive.event_study if k in (-3, -2)}
    assert pre == {-3: 3.88, -2: 4.1}  # the event study's pre-periods show it too
    assert naive.estimate_pct == 5.04  # and the estimate is biased towards 0
    declared = estimate_effect(panel, stations, EffectSettings(anticipation=3))
    assert declared.ci_low_pct <= 8.0 <= declared.ci_high_pct
    assert declared.placebo_ci_low_pct <= 0 <= declared.placebo_ci_high_pct
    assert declared.warnings == []
    assert (declared.estimate_pct, declared.ci_low_pct, declared.ci_high_pct) == (7.41, 6.33, 8.51)


def test_a_treatment_starting_mid_month_counts_from_the_next_month():
    assert first_treated_month(dt.date(2023, 3, 1)) == dt.date(2023, 3, 1)
    assert first_treated_month(dt.date(2023, 3, 15)) == dt.date(2023, 4, 1)
    assert first_treated_month(dt.date(2023, 12, 2)) == dt.date(2024, 1, 1)


def test_the_panel_is_built_from_the_sales_analytics_per_station_and_month(
    network,
    store,
    write_csv,
):
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.scope import Scope
    from fucai.sales.ingest.importer import import_files

    assert import_files(
        [write_csv("history.csv", HISTORY)], store=store, today=dt.date(2023, 12, 31)
    ).ok
    context = AnalyticsContext(backend="duckdb", store=store)
    panel, stations = panel_from_sales(
        {"36110214": dt.date(2023, 1, 20)},
        dt.date(2022, 1, 1),
        dt.date(2023, 9, 3),  # September not whole: left out
        context=context,
    )
    fen = [(r.station_code, r.month, round(math.exp(r.log_sales))) for r in panel.itertuples()]
    # 36110214 sold 300 yuan in January 2023, the month its pairing began (on the 20th): that
    # partial month is left out, neither treated nor untreated
    assert sorted(fen) == [
        ("36040001", dt.date(2022, 1, 1), 400_00),
        ("36040001", dt.date(2022, 3, 1), 3000_00),
        ("36040001", dt.date(2022, 9, 1), 10_499_00),
        ("36040001", dt.date(2023, 2, 1), 2500_00),
        ("36110001", dt.date(2023, 3, 1), 1000_00),
        ("36110214", dt.date(2022, 6, 1), 1500_00),
        ("36110214", dt.date(2023, 6, 1), 1700_00),
    ]
    assert stations.values.tolist() == [
        ["36040001", "360400", "street", None, None],
        ["36110001", "360700", "shopping_complex", None, None],
        ["36110214", "360700", "street", dt.date(2023, 2, 1), None],
    ]
    city, _ = panel_from_sales(
        {}, dt.date(2022, 1, 1), dt.date(2023, 12, 31), Scope.city("360700"), context
    )
    assert sorted(set(city.station_code)) == ["36110001", "36110214"]  # the scope applies


def test_arrow_input_and_all_untreated_controls_give_the_effect_too():
    import pyarrow as pa

    panel, stations = generate_panel()
    r = estimate_effect(
        pa.Table.from_pandas(panel),
        pa.Table.from_pandas(stations),
        EffectSettings(control_group="all_untreated"),
    )
    assert (r.n_treated, r.n_control) == (60, 300)  # every never-treated station of 9 cells
    assert r.ci_low_pct <= 8.0 <= r.ci_high_pct
    assert (r.estimate_pct, r.ci_low_pct, r.ci_high_pct) == (8.35, 7.44, 9.27)
    assert r.placebo_ci_low_pct <= 0 <= r.placebo_ci_high_pct


def test_treated_stations_without_a_month_before_their_start_are_left_out_and_said():
    panel, stations = generate_panel()
    opened_treated = set(stations.dropna(subset=["start_month"]).station_code[:5])
    starts = dict(zip(stations.station_code, stations.start_month, strict=True))
    before = panel.station_code.isin(opened_treated) & (
        panel.month < panel.station_code.map(starts)
    )
    r = estimate_effect(panel[~before], stations)
    assert (r.n_treated, r.warnings) == (
        55,
        ["5 个处理站点在处理开始前的销量月份不足（如开业即处理），未计入"],
    )
    assert r.ci_low_pct <= 8.0 <= r.ci_high_pct
