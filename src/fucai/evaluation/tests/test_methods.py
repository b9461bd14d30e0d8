"""The maths against published cases (issue 13 point 9) and small cases checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from fucai.evaluation import methods

DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
# Saaty's relative consumption of drinks in the United States, as in AHPy's README
DRINKS_MATRIX = np.array(
    [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ]
)
TZENG_HUANG = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
SMALL = np.array([[1, 2], [3, 1], [2, 4]], dtype=float)  # the hand-checked case
BENEFIT_COST = np.array([True, False])


def test_saatys_drinks_give_the_published_weights_and_a_consistency_ratio_of_0_022():
    result = methods.ahp(DRINKS, DRINKS_MATRIX, "saaty", precision=6, iterations=100)
    published = dict(
        coffee=0.177, wine=0.019, tea=0.042, beer=0.116, soda=0.190, milk=0.129, water=0.327
    )
    assert {k: round(v, 3) for k, v in result.weights.items()} == published
    assert round(result.cr, 3) == 0.022
    assert round(result.lambda_max, 3) == 7.177
    assert result.ci == pytest.approx((result.lambda_max - 7) / 6)
    assert result.consistent


def test_the_consistency_ratio_follows_the_named_random_index_as_ahpy_computes_it():
    import ahpy

    pairs = {(DRINKS[i], DRINKS[j]): DRINKS_MATRIX[i, j] for i in range(7) for j in range(i + 1, 7)}
    for table, code in methods.AHPY_RANDOM_INDEX.items():
        ours = methods.ahp(DRINKS, DRINKS_MATRIX, table, precision=6, iterations=100).cr
        theirs = ahpy.Compare("x", pairs, precision=6, random_index=code).consistency_ratio
        assert round(ours, 6) == pytest.approx(theirs, abs=1e-6)
    # Donegan & Dodd's RI(7) = 1.2519 is below Saaty's 1.35: the same CI gives a larger CR
    assert round(methods.ahp(DRINKS, DRINKS_MATRIX, "donegan_dodd", 6, 100).cr, 4) == 0.0235


def test_a_circular_judgement_is_flagged_inconsistent():
    """a ≻ b (5), b ≻ c (5) but c ≻ a (5): CR far above 0.1."""
    matrix = np.array([[1, 5, 1 / 5], [1 / 5, 1, 5], [5, 1 / 5, 1]])
    result = methods.ahp(["a", "b", "c"], matrix, "saaty", 6, 100)
    assert result.cr > 1
    assert not result.consistent


def test_a_random_index_between_tabulated_orders_is_interpolated():
    assert methods.random_index("donegan_dodd", 22) == pytest.approx(1.5371 + 2 / 5 * 0.0248)
    assert methods.random_index("saaty", 2) == 0.0


def test_tzeng_and_huangs_topsis_with_vector_normalisation_gives_the_published_closeness():
    t = methods.topsis(TZENG_HUANG, np.array([0.3, 0.4, 0.3]), np.ones(3, bool), "vector")
    assert list(np.round(t.closeness, 4)) == [0.5037, 0.6581, 0.7482, 0.3340]
    assert t.closeness == pytest.approx(
        t.distance_anti_ideal / (t.distance_anti_ideal + t.distance_ideal)
    )


def test_pymcdms_min_max_topsis_default_gives_other_numbers_for_the_same_case():
    t = methods.topsis(TZENG_HUANG, np.array([0.3, 0.4, 0.3]), np.ones(3, bool), "min_max")
    # min-max puts each indicator's worst at 0 and best at 1: the same order, other numbers
    assert list(np.round(t.closeness, 4)) == [0.4853, 0.6484, 0.7768, 0.3630]


def test_entropy_min_max_weights_match_the_hand_computation():
    """X = [[1, 2], [3, 1], [2, 4]], the first a benefit, the second a cost.
    Min-max: (0, 1, .5) and (2/3, 1, 0); shares p = (0, 2/3, 1/3) and (.4, .6, 0).
    E1 = −(2/3 ln 2/3 + 1/3 ln 1/3)/ln 3 = 0.5794, E2 = −(.4 ln .4 + .6 ln .6)/ln 3 = 0.6126;
    w1 = 0.4206 / (0.4206 + 0.3874) = 0.5206."""
    w = methods.entropy_weights(SMALL, BENEFIT_COST, "min_max")
    assert list(np.round(w, 4)) == [0.5206, 0.4794]


def test_entropy_sum_weights_are_pymcdms_and_match_the_hand_computation():
    """Shares of the raw values: (1/6, 1/2, 1/3) and (2/7, 1/7, 4/7); E1 = 1.0114/ln 3 = 0.9206,
    E2 = 0.9557/ln 3 = 0.8699; w1 = 0.0794 / (0.0794 + 0.1301) = 0.379."""
    w = methods.entropy_weights(SMALL, BENEFIT_COST, "sum")
    assert list(np.round(w, 3)) == [0.379, 0.621]
    with pytest.raises(methods.MethodError):
        methods.entropy_weights(SMALL - 1, BENEFIT_COST, "sum")


def test_critic_weights_match_the_hand_computation_with_the_cost_reversed():
    """Min-max (0, 1, .5) and, the cost reversed, (2/3, 1, 0); sample σ = 0.5 and 0.5092;
    Pearson r = 0.0833 / (0.5 × 0.5092) = 0.3273; C = σ (1 − r): 0.3363 and 0.3425;
    w1 = 0.3363 / 0.6789 = 0.495."""
    w = methods.critic_weights(SMALL, BENEFIT_COST)
    assert list(np.round(w, 3)) == [0.495, 0.505]
    # taken as a benefit, the second column's r is −0.3273 and C1 = 0.5 × 1.3273: the same w
    # too (σ is unchanged and both columns share r), so the direction shows in 3 columns only
    three = np.column_stack([SMALL, [5.0, 1.0, 2.0]])
    assert not np.allclose(
        methods.critic_weights(three, np.array([True, False, True])),
        methods.critic_weights(three, np.ones(3, bool)),
    )


def test_goalposts_clip_and_reverse_a_cost():
    column = np.array([0.5, 0.6, 0.85, 1.1, 1.3])
    assert methods.goalpost(column, True, 0.6, 1.1) == pytest.approx([0, 0, 0.5, 1, 1])
    assert methods.goalpost(column, False, 0.6, 1.1) == pytest.approx([1, 1, 0.5, 0, 0])


def test_ranks_give_tied_scores_the_same_best_rank():
    assert list(methods.ranks(np.array([70.0, 90.0, 70.0, 50.0]), "min")) == [2, 1, 2, 4]
