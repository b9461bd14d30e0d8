"""The siting solver: the brute-force optimum on small instances, the rules kept, existing
coverage never counted as new, and a time-limited run that says it was time-limited."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from fucai.planning.geometry import cover_matrix, covered_by
from fucai.planning.siting import SitingProblem, clear_of, conflict_pairs, solve


def instance(seed: int, n=200, m=30, p=4, existing=3, side=10_000.0):
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, side, (n, 2))
    sites = rng.uniform(0, side, (m, 2))
    stations = rng.uniform(0, side, (existing, 2))
    radius = rng.choice([800.0, 1500.0, 2500.0], n)
    weights = rng.integers(1, 1000, n).astype(float)
    problem = SitingProblem(
        weights=weights,
        cover=cover_matrix(demand, radius, sites),
        covered=covered_by(demand, radius, stations),
        p=p,
    )
    return problem, sites


def brute_force(problem: SitingProblem, feasible=lambda chosen: True) -> float:
    """The best newly covered weight over every set of at most p allowed candidates."""
    cover = problem.cover.toarray()
    allowed = np.flatnonzero(
        np.ones(cover.shape[0], bool) if problem.allowed is None else problem.allowed
    )
    best = 0.0
    for k in range(1, problem.p + 1):
        for chosen in itertools.combinations(allowed.tolist(), k):
            if feasible(chosen):
                hit = cover[list(chosen)].any(axis=0) & ~problem.covered
                best = max(best, float(problem.weights[hit].sum()))
    return best


def new_weight(problem: SitingProblem, chosen) -> float:
    hit = problem.cover[list(chosen)].toarray().any(axis=0) & ~problem.covered
    return float(problem.weights[hit].sum())


@pytest.mark.parametrize("seed,p", [(0, 3), (1, 4), (2, 5), (3, 4)])
def test_exact_and_auto_equal_the_brute_force_optimum_on_200_demand_points(seed, p):
    problem, _ = instance(seed, p=p)
    best = brute_force(problem)
    assert best > 10_000
    for method in ("exact", "auto"):
        r = solve(problem, method=method, gap=0.0)
        assert r.covered_after - r.covered_before == pytest.approx(best)
        assert new_weight(problem, r.chosen) == pytest.approx(best)
        assert r.status == "Optimal"
        assert r.gap_pct == pytest.approx(0.0, abs=1e-9)
        assert len(r.chosen) <= p


def test_seed_2_greedy_is_0_29_percent_short_and_says_so_against_the_lp_bound():
    problem, _ = instance(2, p=4)
    r = solve(problem, method="greedy")
    best = brute_force(problem)
    assert (best, r.covered_after - r.covered_before) == (26145.0, 26070.0)
    assert r.status == "heuristic"
    assert r.bound.startswith("LP relaxation (HiGHS: Optimal)")
    assert r.upper_bound >= r.covered_before + best
    assert r.gap_pct == pytest.approx(0.287, abs=0.001)


def test_gains_exclude_existing_coverage_shrink_and_sum_to_the_new_coverage():
    problem, _ = instance(4, p=4)
    r = solve(problem, method="exact", gap=0.0)
    assert r.covered_before == float(problem.weights[problem.covered].sum()) == 13_844.0
    assert r.gains.sum() == pytest.approx(r.covered_after - r.covered_before) == 36_634.0
    assert np.all(np.diff(r.gains) <= 0)
    for k in range(1, len(r.chosen) + 1):
        assert new_weight(problem, r.chosen[:k]) == pytest.approx(r.gains[:k].sum())


def test_conflicting_sites_are_never_both_chosen_and_the_constrained_optimum_is_found():
    problem, sites = instance(3, p=4)
    problem.conflicts = conflict_pairs(sites, 5000.0)
    pairs = {tuple(x) for x in problem.conflicts.tolist()}
    ok = lambda chosen: not any(pair in pairs for pair in itertools.combinations(chosen, 2))  # noqa: E731
    best = brute_force(problem, ok)
    assert (best, brute_force(problem)) == (20_050.0, 27_227.0)  # the rule binds here
    for method in ("exact", "greedy", "auto"):
        r = solve(problem, method=method, gap=0.0)
        assert ok(tuple(sorted(r.chosen.tolist())))
        if method != "greedy":
            assert r.covered_after - r.covered_before == pytest.approx(best)


def test_a_quota_of_one_site_in_the_west_is_kept_with_the_best_set_under_it():
    problem, sites = instance(1, p=4)
    problem.groups = (sites[:, 0] >= 5000).astype(int)  # 0 west, 1 east
    problem.quotas = {0: 1}
    ok = lambda chosen: (problem.groups[list(chosen)] == 0).sum() <= 1  # noqa: E731
    best = brute_force(problem, ok)
    assert (best, brute_force(problem)) == (25_450.0, 26_335.0)  # the quota binds here
    for method in ("exact", "greedy", "auto"):
        r = solve(problem, method=method, gap=0.0)
        assert (problem.groups[r.chosen] == 0).sum() <= 1
        if method != "greedy":
            assert r.covered_after - r.covered_before == pytest.approx(best)


def test_candidates_near_existing_stations_are_never_chosen():
    problem, sites = instance(0, p=5)
    stations = np.array([[2000.0, 2000.0], [7000.0, 6000.0], [5000.0, 5000.0]])
    problem.allowed = clear_of(sites, stations, 2500.0)
    assert 0 < problem.allowed.sum() < len(sites)
    best = brute_force(problem)
    r = solve(problem, method="auto", gap=0.0)
    assert problem.allowed[r.chosen].all()
    assert r.covered_after - r.covered_before == pytest.approx(best)


def test_spacing_helpers_allow_exactly_the_minimum_distance():
    xy = np.array([[0.0, 0.0], [300.0, 0.0], [600.0, 0.0]])
    assert conflict_pairs(xy, 300.0).tolist() == []
    assert conflict_pairs(xy, 300.5).tolist() == [[0, 1], [1, 2]]
    assert clear_of(xy, np.array([[0.0, 0.0]]), 300.0).tolist() == [False, True, True]


def test_a_time_limited_run_on_20000_points_reports_the_time_limit_and_a_gap():
    rng = np.random.default_rng(7)
    demand = rng.uniform(0, 60_000, (20_000, 2))
    sites = rng.uniform(0, 60_000, (2_000, 2))
    problem = SitingProblem(
        weights=rng.gamma(2.0, 50.0, 20_000),
        cover=cover_matrix(demand, 1500.0, sites),
        p=150,
    )
    # gap 0: only a proof of optimality ends the run before the limit (a fast machine proved the
    # default 0.1 % gap within 0.5 s), and 0.5 s does not prove it at this size
    r = solve(problem, method="auto", time_limit=0.5, gap=0.0)
    assert r.status.startswith("Time limit reached"), r.status
    assert r.gap_pct > 0.0
    assert len(r.chosen) == 150
    assert r.covered_after > r.covered_before == 0.0


def test_more_sites_than_useful_candidates_cover_everything_reachable_with_fewer():
    problem, _ = instance(0, n=60, m=6, p=6)
    reachable = (problem.cover.toarray().any(axis=0) & ~problem.covered) @ problem.weights
    r = solve(problem, method="auto", gap=0.0)
    assert r.covered_after - r.covered_before == pytest.approx(reachable)
    assert len(r.chosen) < 6
    assert r.gap_pct == 0.0


def test_nothing_to_cover_returns_no_sites():
    problem, _ = instance(0, n=50)
    problem.covered = np.ones(50, bool)
    r = solve(problem)
    assert (r.chosen.tolist(), r.covered_after, r.status) == (
        [],
        r.covered_before,
        "nothing to cover",
    )
    problem.covered = np.zeros(50, bool)
    problem.p = 0
    assert solve(problem).chosen.tolist() == []


def test_the_decomposition_proves_33_848_optimal_where_the_lp_bound_says_33_894_5():
    rng = np.random.default_rng(1)
    centres = rng.uniform(0, 100_000, (8, 2))
    demand = np.vstack([c + rng.normal(0, 2500, (100, 2)) for c in centres])
    sites = np.vstack([c + rng.normal(0, 2500, (15, 2)) for c in centres])
    problem = SitingProblem(
        weights=np.round(rng.gamma(2.0, 50.0, 800)),
        cover=cover_matrix(demand, 1500.0, sites),
        p=20,
    )
    r = solve(problem, method="auto", gap=0.0)
    greedy = solve(problem, method="greedy")
    exact = solve(problem, method="exact", gap=0.0)
    assert (greedy.covered_after, greedy.upper_bound) == (33_727.0, 33_894.5)
    assert r.covered_after == r.upper_bound == exact.covered_after == 33_848.0
    assert (r.status, r.bound) == (
        "Optimal",
        "Lagrangian decomposition (HiGHS LP duals, HiGHS MIP per open component)",
    )
    assert (r.stats["components"], r.stats["components_open"]) == (30, 1)
    assert len(r.chosen) == 20
