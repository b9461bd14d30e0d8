"""A scheme applied to a decision matrix: weights, scores, ranks, grades, elimination, pay factor
and each indicator's contribution (docs/evaluation.md, "Running a scheme"); and the rank
robustness under Dirichlet-perturbed weights, vectorised over the draws.

Contributions: with a weighted sum, contribution_j = scale × w_j × r_ij, which add up to the
score. With TOPSIS, score = scale × D⁻/(D⁺ + D⁻) and D⁻ = Σ_j (v_ij − v⁻_j)² / D⁻, so
contribution_j = scale × (v_ij − v⁻_j)² / (D⁻ (D⁺ + D⁻)): each indicator's share of the squared
distance from the anti-ideal point, which add up to the score too (all 0 when D⁻ = 0)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

import numpy as np

from fucai.evaluation import methods

FACTOR = Decimal("0.0001")  # a pay factor: 4 decimals, half up
FEN = Decimal("0.01")


@dataclass
class Prepared:
    """A scheme's inputs in matrix form: raw (capped) values and their normalisation."""

    names: list[str]
    benefit: np.ndarray
    raw: np.ndarray  # capped
    normalised: np.ndarray  # for a weighted sum (the indicators' own); TOPSIS: its own


def capped(scheme, matrix: np.ndarray) -> np.ndarray:
    out = np.array(matrix, dtype=float)
    for j, indicator in enumerate(scheme.indicators):
        if indicator.cap is not None:
            low = -np.inf if indicator.cap.min is None else indicator.cap.min
            high = np.inf if indicator.cap.max is None else indicator.cap.max
            out[:, j] = np.clip(out[:, j], low, high)
    return out


def normalise(scheme, raw: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Each indicator by its own normalisation (weighted sum), or all by the aggregation's
    (TOPSIS: pymcdm's function, the one TOPSIS itself applies)."""
    if scheme.aggregation.method == "topsis":
        if scheme.aggregation.normalisation == "vector":
            return methods.vector(raw, benefit)
        return methods.minmax(raw, benefit)
    out = np.empty_like(raw)
    for j, indicator in enumerate(scheme.indicators):
        spec, column, good = indicator.normalisation, raw[:, j], bool(benefit[j])
        if spec.method == "min_max":
            out[:, j] = methods.minmax(column[:, None], benefit[j : j + 1])[:, 0]
        elif spec.method == "vector":
            out[:, j] = methods.vector(column[:, None], benefit[j : j + 1])[:, 0]
        elif spec.method == "z_score":
            out[:, j] = methods.z_score(column, good, spec.ddof)
        elif spec.method == "goalpost":
            out[:, j] = methods.goalpost(column, good, spec.lower, spec.upper)
        else:
            out[:, j] = methods.rank_score(column, good, spec.ties)
    return out


def as_of_adjusted(scheme, matrix: np.ndarray, elapsed: float = 1.0):
    """The one place a period evaluated before its end is made comparable (the scheme's
    `partial_period`): `elapsed` is the elapsed share of the period (1 at its end). The count
    indicators it names are either compared with their goalposts and caps × elapsed
    (`scale_goalposts`), or their values are divided by elapsed (`annualise`). Returns the
    (scheme, matrix) to evaluate; unchanged at the period's end."""
    matrix = np.array(matrix, dtype=float)
    names = set(scheme.partial_period.indicators)
    if elapsed >= 1 or not names:
        return scheme, matrix
    if not elapsed > 0:
        raise ValueError("the elapsed share of a period must be positive")
    if scheme.partial_period.counts == "annualise":
        for j, indicator in enumerate(scheme.indicators):
            if indicator.name in names:
                matrix[:, j] = matrix[:, j] / elapsed
        return scheme, matrix

    def times(value):
        return None if value is None else value * elapsed

    indicators = []
    for indicator in scheme.indicators:
        if indicator.name in names:
            update = {}
            if indicator.cap is not None:
                update["cap"] = indicator.cap.model_copy(
                    update={"min": times(indicator.cap.min), "max": times(indicator.cap.max)}
                )
            spec = indicator.normalisation
            if spec is not None and spec.method == "goalpost":
                update["normalisation"] = spec.model_copy(
                    update={"lower": spec.lower * elapsed, "upper": spec.upper * elapsed}
                )
            indicator = indicator.model_copy(update=update)
        indicators.append(indicator)
    return scheme.model_copy(update={"indicators": indicators}), matrix


def prepare(scheme, matrix: np.ndarray, elapsed: float = 1.0) -> Prepared:
    scheme, matrix = as_of_adjusted(scheme, matrix, elapsed)
    benefit = np.array([i.direction == "benefit" for i in scheme.indicators])
    raw = capped(scheme, matrix)
    return Prepared(
        [i.name for i in scheme.indicators], benefit, raw, normalise(scheme, raw, benefit)
    )


def scheme_weights(scheme, prepared: Prepared) -> tuple[np.ndarray, dict]:
    """The weights (in the indicators' order) and what produced them (the AHP's CR, …)."""
    spec = scheme.weights
    if spec.method == "direct":
        return np.array([spec.values[n] for n in prepared.names]), {"method": "direct"}
    if spec.method == "ahp":
        result = scheme.ahp_result()
        about = {
            "method": "ahp",
            "random_index": spec.random_index,
            "lambda_max": result.lambda_max,
            "ci": result.ci,
            "cr": result.cr,
            "consistent": result.consistent,
            "override_reason": spec.override_reason,
        }
        weights = np.array([result.weights[n] for n in prepared.names])
        return weights / weights.sum(), about
    if spec.method == "entropy":
        weights = methods.entropy_weights(prepared.raw, prepared.benefit, spec.variant)
        return weights, {"method": "entropy", "variant": spec.variant}
    weights = methods.critic_weights(prepared.raw, prepared.benefit)
    return weights, {"method": "critic", "variant": spec.variant}


def scores_for(scheme, prepared: Prepared, weights: np.ndarray):
    """(scores, contributions m × n, TOPSIS distances or None)."""
    scale = scheme.aggregation.scale
    if scheme.aggregation.method == "weighted_sum":
        contributions = scale * prepared.normalised * weights
        return contributions.sum(axis=1), contributions, None
    t = methods.topsis(prepared.raw, weights, prepared.benefit, scheme.aggregation.normalisation)
    squared = (t.weighted - t.anti_ideal) ** 2
    dm, dp = t.distance_anti_ideal, t.distance_ideal
    denominator = dm * (dm + dp)
    contributions = scale * np.divide(
        squared, denominator[:, None], out=np.zeros_like(squared), where=denominator[:, None] > 0
    )
    return scale * t.closeness, contributions, t


def quota_counts(scheme, m: int) -> list[int]:
    """People per quota band (the last: the rest), by the scheme's rounding."""
    mode = {"floor": ROUND_FLOOR, "round_half_up": ROUND_HALF_UP, "ceil": ROUND_CEILING}
    counts, left = [], m
    for band in scheme.grades.bands[:-1]:
        exact = Decimal(str(band.share)) * m
        count = min(int(exact.quantize(Decimal(1), rounding=mode[scheme.grades.rounding])), left)
        counts.append(count)
        left -= count
    return [*counts, left]


def grade_index(scheme, scores: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """The band (0 = the best) of each alternative; along the last axis for many draws. By
    quotas: a band takes the ranks up to its cumulative count (tied ranks share the better)."""
    bands = scheme.grades.bands
    if scheme.grades.by == "thresholds":
        mins = np.array([b.min_score for b in bands[:-1]], dtype=float)
        return (scores[..., None] < mins).sum(axis=-1)
    cumulative = np.cumsum(quota_counts(scheme, scores.shape[-1]))[:-1]
    return (ranks[..., None] > cumulative).sum(axis=-1)


def elimination_zone(scheme, scores: np.ndarray, ranks: np.ndarray):
    """(in the zone this period, per rule) — bool arrays shaped like the scores."""
    zones = []
    m = scores.shape[-1]
    for rule in scheme.elimination.rules if scheme.elimination else ():
        if rule.rule == "below_score":
            zones.append(scores < rule.score)
        else:
            zones.append(ranks > m - rule.k)
    return zones


def final_grades(scheme, scores: np.ndarray, ranks: np.ndarray, eliminated: np.ndarray):
    """The one place elimination meets the grades: (the grade index of each alternative in
    `scheme.grade_names()` — the eliminated get `elimination.grade` —, the band its score gives
    among all). With quota grades `among_non_eliminated`, the quotas are counted among the others
    and their ranks among themselves. 1-D arrays (one evaluation)."""
    by_score = grade_index(scheme, scores, ranks)
    if scheme.elimination is None or not eliminated.any():
        return by_score, by_score
    grades = by_score.copy()
    if scheme.grades.by == "quotas" and scheme.elimination.quotas == "among_non_eliminated":
        keep = ~eliminated
        if keep.any():
            kept = scores[keep]
            grades[keep] = grade_index(scheme, kept, methods.ranks(kept, scheme.aggregation.ties))
    grades[eliminated] = scheme.grade_names().index(scheme.elimination.grade)
    return grades, by_score


def grade_if_kept(scheme, rows: list[dict], ident: str) -> str:
    """The grade an eliminated alternative's score would give it were it not eliminated, by the
    scheme's rule: thresholds, the band of its score; quotas `among_non_eliminated`, its rank
    among the others and itself and the quotas of their number; `among_all`, its rank among
    all (what `final_grades` would have given it)."""
    names = scheme.grade_names()
    keep = [r for r in rows if not r["eliminated"] or r["id"] == ident]
    if scheme.grades.by == "quotas" and scheme.elimination.quotas == "among_all":
        keep = rows
    scores = np.array([r["score"] for r in keep])
    band = grade_index(scheme, scores, methods.ranks(scores, scheme.aggregation.ties))
    return names[int(band[[r["id"] for r in keep].index(ident)])]


def format_factor(value) -> str:
    """A pay factor as people read it, the one format everywhere: to 4 decimals (the rounding
    of `pay_factor`) without trailing zeros beyond the second — 0.60, 1.38, 1.3225."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)).quantize(FACTOR, rounding=ROUND_HALF_UP):f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return text


def apply_elimination(scheme, zones: list[np.ndarray], streaks: np.ndarray) -> np.ndarray | None:
    """The scheme's whole elimination rule, the one place it is applied (an evaluation and each
    robustness draw): eliminated when in the zone of a `below_score` rule, or in the zone of a
    `bottom_k` rule this period having been in a bottom-k zone the `periods − 1` periods before.
    `zones`: `elimination_zone`'s arrays (one evaluation, or draws × alternatives); `streaks`:
    per alternative (the last axis), the periods running it was in a bottom-k zone before this
    one (`previous`). None without an elimination rule."""
    rules = scheme.elimination.rules if scheme.elimination else ()
    if not rules:
        return None
    out = np.zeros(zones[0].shape, dtype=bool)
    for rule, zone in zip(rules, zones, strict=True):
        out |= zone if rule.rule == "below_score" else zone & (streaks >= rule.periods - 1)
    return out


def streaks_of(ids: list[str], previous: dict | None) -> np.ndarray:
    """Per alternative, the periods running it was in a bottom-k zone before this one."""
    previous = previous or {}
    return np.array([int(previous.get(i, 0)) for i in ids])


def pay_factor(scheme, grade: str, score: float, eliminated: bool = False) -> Decimal | None:
    """grade coefficient × score factor within [floor, cap]; the eliminated: the scheme's
    `elimination.pay` — the floor, or no pay (0)."""
    if scheme.pay is None:
        return None
    pay = scheme.pay
    if eliminated:
        return pay.floor if scheme.elimination.pay == "floor" else Decimal(0)
    factor = Decimal(1) + Decimal(str(pay.score_factor.per_point)) * (
        Decimal(str(round(score, 6))) - Decimal(str(pay.score_factor.reference))
    )
    value = (pay.coefficients[grade] * factor).quantize(FACTOR, rounding=ROUND_HALF_UP)
    return min(max(value, pay.floor), pay.cap)


def evaluate(
    scheme, ids: list[str], matrix: np.ndarray, previous: dict | None = None, elapsed: float = 1.0
) -> dict:
    """The scheme's result for the alternatives `ids` (rows of `matrix`, columns in the order of
    the scheme's indicators). `previous`: id → how many periods running, before this one, the
    alternative was in a bottom-k zone (for a `bottom_k` rule over several periods). `elapsed`:
    the elapsed share of the period (an evaluation as of a day before its end; see
    `as_of_adjusted`)."""
    prepared = prepare(scheme, matrix, elapsed)
    weights, about = scheme_weights(scheme, prepared)
    scores, contributions, t = scores_for(scheme, prepared, weights)
    ranks = methods.ranks(scores, scheme.aggregation.ties)
    zones = elimination_zone(scheme, scores, ranks)
    previous = previous or {}
    rules = scheme.elimination.rules if scheme.elimination else ()
    none = np.zeros(len(ids), dtype=bool)
    in_zone = np.logical_or.reduce(zones) if zones else none
    bottom = np.logical_or.reduce(  # in a bottom-k zone this period
        [z for rule, z in zip(rules, zones, strict=True) if rule.rule == "bottom_k"] or [none]
    )
    out = apply_elimination(scheme, zones, streaks_of(ids, previous))
    out = none if out is None else out
    grades, by_score = final_grades(scheme, scores, ranks, out)
    names = scheme.grade_names()
    rows = []
    for i, ident in enumerate(ids):
        grade, eliminated = names[int(grades[i])], bool(out[i])
        factor = pay_factor(scheme, grade, float(scores[i]), eliminated)
        row = {
            "id": ident,
            "score": float(scores[i]),
            "rank": int(ranks[i]),
            "grade": grade,
            "grade_by_score": names[int(by_score[i])],
            "eliminated": eliminated,
            "in_elimination_zone": bool(in_zone[i]),
            # periods running in a bottom-k zone, this one included (the next period's `previous`)
            "bottom_k_streak": previous.get(ident, 0) + 1 if bottom[i] else 0,
            "pay_factor": None if factor is None else float(factor),
            "pay": None
            if factor is None
            else str((scheme.pay.base * factor).quantize(FEN, rounding=ROUND_HALF_UP)),
            "values": dict(zip(prepared.names, map(float, prepared.raw[i]), strict=True)),
            "normalised": dict(
                zip(prepared.names, map(float, normalised_of(prepared, t)[i]), strict=True)
            ),
            "contributions": dict(zip(prepared.names, map(float, contributions[i]), strict=True)),
        }
        if t is not None:
            row["distance_ideal"] = float(t.distance_ideal[i])
            row["distance_anti_ideal"] = float(t.distance_anti_ideal[i])
        rows.append(row)
    return {
        "scheme": scheme.name,
        "version": scheme.version,
        "weights": dict(zip(prepared.names, map(float, weights), strict=True)),
        "weighting": about,
        "aggregation": scheme.aggregation.model_dump(),
        "elimination_effect": None
        if scheme.elimination is None
        else {
            "grade": scheme.elimination.grade,
            "pay": scheme.elimination.pay,
            "quotas": scheme.elimination.quotas,
        },
        "partial_period": {
            "elapsed_share": float(elapsed),
            "counts": scheme.partial_period.counts,
            "indicators": list(scheme.partial_period.indicators),
        },
        "alternatives": rows,
    }


def normalised_of(prepared: Prepared, t) -> np.ndarray:
    return prepared.normalised if t is None else t.normalised


# --- robustness -------------------------------------------------------------------------------


def dirichlet_weights(weights: np.ndarray, draws: int, concentration: float, seed: int):
    """`draws` weight vectors ~ Dirichlet(concentration × w) (mean w; larger concentration, less
    spread), numpy's PCG64 generator seeded with `seed`. A zero weight stays 0."""
    rng = np.random.default_rng(seed)
    alpha = concentration * np.asarray(weights, dtype=float)
    out = np.zeros((draws, len(alpha)))
    live = alpha > 0
    out[:, live] = rng.dirichlet(alpha[live], size=draws)
    return out


def scores_many(scheme, prepared: Prepared, draws: np.ndarray) -> np.ndarray:
    """Scores for each weight vector (rows of `draws`) at once: draws × alternatives. TOPSIS:
    the same normalised matrix as pymcdm's, weighted per draw, ideal and anti-ideal per draw."""
    scale = scheme.aggregation.scale
    if scheme.aggregation.method == "weighted_sum":
        return scale * draws @ prepared.normalised.T
    return scale * topsis_many(prepared.normalised, draws)


def topsis_many(normalised: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """TOPSIS closeness for many weight vectors: draws × alternatives."""
    v = draws[:, None, :] * normalised[None, :, :]  # draws × m × n
    ideal = v.max(axis=1, keepdims=True)
    anti = v.min(axis=1, keepdims=True)
    dp = np.sqrt(((v - ideal) ** 2).sum(axis=2))
    dm = np.sqrt(((v - anti) ** 2).sum(axis=2))
    return dm / (dm + dp)


def robustness(
    scheme,
    ids: list[str],
    matrix: np.ndarray,
    settings=None,
    elapsed: float = 1.0,
    previous: dict | None = None,
) -> dict:
    """Rank robustness (issue 13 point 5): per alternative the percentile ranks (the scheme's
    `robustness.percentiles`, numpy's linear interpolation), the probability of each grade, of
    elimination (the scheme's whole rule, draw by draw: below a score, or in the bottom k this
    period with the streak `previous` gives — id → periods running in a bottom-k zone before this
    one, as `evaluate`) and of the elimination zone (this period's zones, whatever came before),
    and a borderline flag (P(own grade) below `grade_confidence`, or P(elimination) strictly
    inside `elimination_between`)."""
    settings = settings or scheme.robustness
    prepared = prepare(scheme, matrix, elapsed)
    weights, _about = scheme_weights(scheme, prepared)
    streaks = streaks_of(ids, previous)
    base_scores, _c, _t = scores_for(scheme, prepared, weights)
    base_ranks = methods.ranks(base_scores, scheme.aggregation.ties)
    base_out = apply_elimination(scheme, elimination_zone(scheme, base_scores, base_ranks), streaks)
    base_grades = grade_index(scheme, base_scores, base_ranks)
    if base_out is not None:
        base_grades, _s = final_grades(scheme, base_scores, base_ranks, base_out)
    draws = dirichlet_weights(weights, settings.draws, settings.concentration, settings.seed)
    scores = scores_many(scheme, prepared, draws)
    ranks = methods.ranks(scores, scheme.aggregation.ties)
    grades = grade_index(scheme, scores, ranks)
    zones = elimination_zone(scheme, scores, ranks)
    zone = np.logical_or.reduce(zones) if zones else np.zeros_like(scores, dtype=bool)
    out = apply_elimination(scheme, zones, streaks)
    if out is None:
        out = np.zeros_like(scores, dtype=bool)
    for d in np.flatnonzero(out.any(axis=1)):  # the elimination's grade and quotas, per draw
        grades[d], _s = final_grades(scheme, scores[d], ranks[d], out[d])
    low, high = np.percentile(ranks, settings.percentiles, axis=0)
    bands = scheme.grade_names()
    elim_low, elim_high = settings.elimination_between
    rows = []
    for i, ident in enumerate(ids):
        p_grade = {name: float(np.mean(grades[:, i] == k)) for k, name in enumerate(bands)}
        p_out = float(out[:, i].mean())
        own = bands[int(base_grades[i])]
        rows.append(
            {
                "id": ident,
                "rank": int(base_ranks[i]),
                "grade": own,
                "rank_low": float(low[i]),
                "rank_high": float(high[i]),
                "grade_probability": p_grade,
                "elimination_probability": p_out,
                "zone_probability": float(zone[:, i].mean()),
                "borderline": p_grade[own] < settings.grade_confidence
                or elim_low < p_out < elim_high,
            }
        )
    return {
        "draws": settings.draws,
        "seed": settings.seed,
        "concentration": settings.concentration,
        "percentiles": list(settings.percentiles),
        "alternatives": rows,
    }
