"""A scheme run on a small decision matrix: scores, grades, elimination, pay, contributions, and
rank robustness under Dirichlet-perturbed weights."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from fucai.evaluation.engine import dirichlet_weights, evaluate, prepare, robustness, topsis_many
from fucai.evaluation.scheme import validate_scheme
from fucai.evaluation.tests.conftest import tzeng_huang


def managers_matrix(m: int = 10, seed: int = 7) -> tuple[list[str], np.ndarray]:
    """m managers' 12 indicators around the goalposts; the last one weak everywhere."""
    rng = np.random.default_rng(seed)
    columns = [
        rng.uniform(0.7, 1.2, m),  # target completion
        rng.uniform(-0.15, 0.2, m),
        rng.uniform(-0.1, 0.3, m),
        rng.integers(-1, 7, m),
        rng.integers(0, 4, m),
        rng.integers(0, 4, m),  # closures (cost)
        rng.uniform(0.8, 2.2, m),
        rng.integers(0, 3, m),  # overdue (cost)
        rng.integers(0, 2, m),  # incidents (cost)
        rng.uniform(10, 40, m),
        rng.integers(0, 7, m),
        rng.uniform(70, 100, m),
    ]
    matrix = np.column_stack(columns).astype(float)
    matrix[-1] = [0.55, -0.2, -0.2, -2, 0, 5, 0.5, 20, 3, 0, 0, 60]
    return [f"M{i:02d}" for i in range(m)], matrix


def test_manager_scores_are_the_sum_of_their_contributions_and_grades_follow_the_quotas(managers):
    scheme = validate_scheme(managers)
    ids, matrix = managers_matrix()
    result = evaluate(scheme, ids, matrix)
    rows = result["alternatives"]
    for row in rows:
        assert sum(row["contributions"].values()) == pytest.approx(row["score"])
    ranked = sorted(rows, key=lambda r: r["rank"])
    # by score, 10 managers: 20 % → 2, 30 % → 3, 40 % → 4, the rest 1
    by_score = ["一级"] * 2 + ["二级"] * 3 + ["三级"] * 4 + ["四级"]
    assert [r["grade_by_score"] for r in ranked] == by_score
    # ranks 6–10 score below 60: eliminated, graded 不合格; the quotas among the other 5:
    # 20 % → 1, 30 % → 1.5 → 2 (half up), 40 % → 2, 四级 the rest 0
    assert [round(r["score"], 2) for r in ranked[4:6]] == [61.75, 58.96]
    assert [r["eliminated"] for r in ranked] == [False] * 5 + [True] * 5
    assert [r["grade"] for r in ranked] == ["一级"] + ["二级"] * 2 + ["三级"] * 2 + ["不合格"] * 5
    weakest = next(r for r in rows if r["id"] == "M09")
    assert weakest["score"] == pytest.approx(0.0)
    assert weakest["eliminated"] and weakest["rank"] == 10


def test_quotas_among_all_keep_the_others_grades_by_rank_and_elimination_still_overrides(
    managers,
):
    managers["elimination"]["quotas"] = "among_all"
    managers["elimination"]["grade"] = "四级"  # a band's name: no label of its own
    scheme = validate_scheme(managers)
    assert scheme.grade_names() == ["一级", "二级", "三级", "四级"]
    ids, matrix = managers_matrix()
    ranked = sorted(evaluate(scheme, ids, matrix)["alternatives"], key=lambda r: r["rank"])
    assert [r["grade"] for r in ranked] == ["一级"] * 2 + ["二级"] * 3 + ["四级"] * 5
    # 四级 is the eliminated's grade, but their pay is the floor, not 0.80 × the score factor
    assert {r["pay_factor"] for r in ranked[5:]} == {0.6}


def test_elimination_pay_none_pays_nothing(managers):
    managers["elimination"]["pay"] = "none"
    scheme = validate_scheme(managers)
    ids, matrix = managers_matrix()
    out = [r for r in evaluate(scheme, ids, matrix)["alternatives"] if r["eliminated"]]
    assert len(out) == 5 and {(r["pay_factor"], r["pay"]) for r in out} == {(0.0, "0.00")}


def test_the_pay_factor_is_grade_times_score_factor_within_floor_and_cap(managers):
    scheme = validate_scheme(managers)
    ids, matrix = managers_matrix()
    for row in evaluate(scheme, ids, matrix)["alternatives"]:
        if row["eliminated"]:  # elimination.pay: floor
            assert (row["grade"], row["pay_factor"], row["pay"]) == ("不合格", 0.6, "1800.00")
            continue
        coefficient = {"一级": "1.30", "二级": "1.10", "三级": "1.00", "四级": "0.80"}[row["grade"]]
        raw = Decimal(coefficient) * (
            1 + Decimal("0.01") * (Decimal(str(round(row["score"], 6))) - 80)
        )
        expected = min(max(raw.quantize(Decimal("0.0001")), Decimal("0.60")), Decimal("1.50"))
        assert Decimal(str(row["pay_factor"])) == expected
        assert Decimal(row["pay"]) == (Decimal("3000.00") * expected).quantize(Decimal("0.01"))
    best = next(r for r in evaluate(scheme, ids, matrix)["alternatives"] if r["rank"] == 1)
    assert best["pay_factor"] == 1.1338  # 一级 1.30 × (1 + 0.01 × (67.21 − 80)), half up


def test_bottom_k_eliminates_only_those_already_in_the_zone_the_period_before(managers):
    managers["elimination"]["rules"] = [{"rule": "bottom_k", "k": 3, "periods": 2}]
    scheme = validate_scheme(managers)
    ids, matrix = managers_matrix()
    first = evaluate(scheme, ids, matrix)["alternatives"]
    zone = {r["id"] for r in first if r["in_elimination_zone"]}
    assert len(zone) == 3 and not any(r["eliminated"] for r in first)
    again = evaluate(scheme, ids, matrix, previous={ident: 1 for ident in list(zone)[:2]})
    assert {r["id"] for r in again["alternatives"] if r["eliminated"]} == set(list(zone)[:2])


def test_topsis_contributions_add_up_to_the_score_and_carry_the_distances():
    scheme = validate_scheme(tzeng_huang(scale=100))
    matrix = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    result = evaluate(scheme, ["A1", "A2", "A3", "A4"], matrix)
    scores = [round(r["score"], 2) for r in result["alternatives"]]
    assert scores == [50.37, 65.81, 74.82, 33.40]
    assert [r["rank"] for r in result["alternatives"]] == [3, 2, 1, 4]
    for row in result["alternatives"]:
        assert sum(row["contributions"].values()) == pytest.approx(row["score"])
        dm, dp = row["distance_anti_ideal"], row["distance_ideal"]
        assert row["score"] == pytest.approx(100 * dm / (dm + dp))


def test_the_vectorised_topsis_equals_pymcdms_for_each_draw():
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    scheme = validate_scheme(tzeng_huang())
    matrix = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    prepared = prepare(scheme, matrix)
    draws = dirichlet_weights(np.array([0.3, 0.4, 0.3]), 20, 50.0, seed=1)
    ours = topsis_many(prepared.normalised, draws)
    for d, w in enumerate(draws):
        assert ours[d] == pytest.approx(TOPSIS(vector_normalization)(matrix, w, np.ones(3, int)))


def test_dirichlet_draws_are_seeded_and_centred_on_the_weights():
    w = np.array([0.5, 0.3, 0.2])
    a = dirichlet_weights(w, 4000, 100.0, seed=3)
    assert np.array_equal(a, dirichlet_weights(w, 4000, 100.0, seed=3))
    assert a.sum(axis=1) == pytest.approx(np.ones(4000))
    assert a.mean(axis=0) == pytest.approx(w, abs=0.005)


def test_robustness_gives_percentile_ranks_grade_probabilities_and_borderline_flags(managers):
    scheme = validate_scheme(managers)
    ids, matrix = managers_matrix()
    result = robustness(scheme, ids, matrix)
    assert result["draws"] == 1000
    rows = {r["id"]: r for r in result["alternatives"]}
    for row in rows.values():
        assert sum(row["grade_probability"].values()) == pytest.approx(1.0)
        assert row["rank_low"] <= row["rank"] <= row["rank_high"]
    # the weakest is last under every draw: certain grade and elimination, not borderline
    assert rows["M09"]["rank_low"] == rows["M09"]["rank_high"] == 10
    assert rows["M09"]["elimination_probability"] == 1.0
    assert rows["M09"]["grade_probability"]["不合格"] == 1.0 and not rows["M09"]["borderline"]
    # two managers close to a quota line: someone is borderline
    flagged = [r for r in rows.values() if r["borderline"]]
    assert flagged and all(
        max(r["grade_probability"].values()) < 1 or 0.05 < r["elimination_probability"] < 0.95
        for r in flagged
    )
    assert robustness(scheme, ids, matrix) == result  # seeded: the same again


def test_robustness_eliminates_by_the_whole_rule_bottom_k_now_and_in_the_period_before(managers):
    """Bottom 3 two periods running: a draw eliminates only those in this period's bottom 3 who
    were in the previous period's (their streak), whatever the draw puts in the zone."""
    managers["elimination"]["rules"] = [{"rule": "bottom_k", "k": 3, "periods": 2}]
    scheme = validate_scheme(managers)
    ids, matrix = managers_matrix()
    fresh = {r["id"]: r for r in robustness(scheme, ids, matrix)["alternatives"]}
    # no period before: M09 (last in every draw) and M03 are in the zone, nobody is eliminated
    assert fresh["M09"]["zone_probability"] == 1.0 and fresh["M03"]["zone_probability"] == 0.999
    assert all(r["elimination_probability"] == 0.0 for r in fresh.values())
    assert all(r["grade_probability"]["不合格"] == 0.0 for r in fresh.values())
    previous = {"M09": 1, "M06": 1, "M05": 1}  # in the bottom 3 of the period before
    rows = {r["id"]: r for r in robustness(scheme, ids, matrix, previous=previous)["alternatives"]}
    assert rows["M09"]["elimination_probability"] == 1.0
    assert rows["M06"]["elimination_probability"] == rows["M06"]["zone_probability"] == 0.984
    assert rows["M05"]["elimination_probability"] == 0.0  # a streak, but never in the zone now
    assert rows["M03"]["elimination_probability"] == 0.0  # in the zone, no streak
    assert rows["M03"]["zone_probability"] == 0.999
    for row in rows.values():  # the eliminated are graded 不合格, draw by draw
        assert row["grade_probability"]["不合格"] == row["elimination_probability"]
    frozen = evaluate(scheme, ids, matrix, previous)["alternatives"]
    assert {r["id"]: r["grade"] for r in frozen} == {i: r["grade"] for i, r in rows.items()}
    assert {r["id"] for r in frozen if r["eliminated"]} == {"M09", "M06"}


def test_the_city_scheme_grades_the_eleven_cities_with_ahp_weights_and_topsis(cities):
    scheme = validate_scheme(cities)
    rng = np.random.default_rng(11)
    names = ["南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭"]
    names += ["赣州", "吉安", "宜春", "抚州", "上饶"]
    matrix = np.column_stack(
        [
            rng.uniform(0.8, 1.3, 11),  # completion, capped at 1.2
            rng.uniform(-0.1, 0.2, 11),
            rng.uniform(-0.2, 0.4, 11),
            rng.integers(0, 40, 11),
            rng.integers(0, 15, 11),
            rng.uniform(0.5, 3, 11),
            rng.uniform(0.7, 1, 11),
            rng.integers(0, 5, 11),
            rng.integers(2, 20, 11),
        ]
    ).astype(float)
    result = evaluate(scheme, names, matrix)
    assert result["weighting"]["cr"] < 0.1 and result["weighting"]["random_index"] == "saaty"
    assert sum(result["weights"].values()) == pytest.approx(1.0)
    rows = result["alternatives"]
    assert sorted(r["rank"] for r in rows) == list(range(1, 12))
    assert max(r["values"]["target_completion"] for r in rows) == 1.2  # the cap
    for row in rows:
        assert sum(row["contributions"].values()) == pytest.approx(row["score"])
        assert row["grade"] in {"优秀", "良好", "合格", "需改进"}
        assert not row["eliminated"] and row["pay_factor"] is None
    spread = robustness(scheme, names, matrix)["alternatives"]
    assert all(r["elimination_probability"] == 0.0 for r in spread)  # no elimination rule


def counts_scheme(counts: str) -> dict:
    """A rate (completion, not scaled) and a count (net new stations, goalposts 0 … 12, cap 15)."""
    return {
        "name": "partial",
        "title": "partial period",
        "version": 1,
        "population": "market_managers",
        "period": "year",
        "indicators": [
            {
                "name": "rate",
                "label": "完成率",
                "source": "target_completion",
                "direction": "benefit",
                "normalisation": {"method": "goalpost", "lower": 0, "upper": 1},
                "cap": None,
            },
            {
                "name": "net",
                "label": "净增",
                "source": "net_new_stations",
                "direction": "benefit",
                "normalisation": {"method": "goalpost", "lower": 0, "upper": 12},
                "cap": {"min": None, "max": 15},
            },
        ],
        "weights": {"method": "direct", "values": {"rate": 0.5, "net": 0.5}},
        "aggregation": {"method": "weighted_sum", "scale": 100, "ties": "min"},
        "grades": {"by": "thresholds", "bands": [{"name": "A", "min_score": None}]},
        "elimination": None,
        "partial_period": {"counts": counts, "indicators": ["net"]},
        "pay": None,
        "robustness": None,
    }


@pytest.mark.parametrize("counts", ["scale_goalposts", "annualise"])
def test_half_way_through_a_period_a_count_meets_goalposts_times_the_elapsed_share(counts):
    scheme = validate_scheme(counts_scheme(counts))
    matrix = np.array([[0.5, 3.0], [0.5, 9.0]])
    rows = evaluate(scheme, ["M1", "M2"], matrix, elapsed=0.5)["alternatives"]
    # elapsed 0.5: 3 new stations against 0 … 6 (or 6 a year against 0 … 12) → 0.5;
    # 9 is above the cap 7.5 (or 18 above 15) → 1; the rate is not scaled: 0.5
    assert [r["normalised"] for r in rows] == [{"rate": 0.5, "net": 0.5}, {"rate": 0.5, "net": 1.0}]
    assert [r["score"] for r in rows] == [50.0, 75.0]
    at_end = evaluate(scheme, ["M1", "M2"], matrix)["alternatives"]  # elapsed 1
    assert [r["normalised"]["net"] for r in at_end] == [0.25, 0.75]


def test_the_elapsed_share_of_a_table_is_its_days_so_far_over_the_periods_days():
    import datetime as dt

    from fucai.evaluation.inputs import InputTable

    def table(period, start, end):
        return InputTable("market_managers", period, start, end, (), {}, {}, {})

    assert table("2023", dt.date(2023, 1, 1), dt.date(2023, 9, 3)).elapsed == 246 / 365
    assert table("2023-Q3", dt.date(2023, 7, 1), dt.date(2023, 9, 3)).elapsed == 65 / 92
    assert table("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31)).elapsed == 1.0
