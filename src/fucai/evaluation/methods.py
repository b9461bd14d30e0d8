"""The maths of an evaluation, from maintained libraries with every setting explicit
(docs/evaluation.md): AHP weights and consistency (AHPy), entropy and CRITIC weights, the
normalisations, weighted sum and TOPSIS (pymcdm), ranks. Imported only by the code that computes
(numpy, AHPy and pymcdm are not start-up imports).

A decision matrix is a float array of alternatives (rows) × indicators (columns); `benefit` is a
bool array per indicator (True: more is better, False: a cost)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Random-index tables (RI by matrix order n) for AHP's consistency ratio CR = CI / RI, as AHPy
# ships them (ahpy.Compare._compute_consistency_ratio): between two tabulated orders AHPy
# interpolates linearly, and so do we.
RANDOM_INDEX = {
    # Saaty, Theory and Applications of the Analytic Network Process, RWS 2005, p. 31
    "saaty": {
        3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45,
        10: 1.49, 11: 1.52, 12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59,
    },
    # Donegan & Dodd, "A note on Saaty's random indexes", Mathematical and Computer Modelling
    # 15(10), 1991, 135-137 (doi:10.1016/0895-7177(91)90098-R)
    "donegan_dodd": {
        3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519, 8: 1.3171, 9: 1.3733,
        10: 1.4055, 11: 1.4213, 12: 1.4497, 13: 1.4643, 14: 1.4822, 15: 1.4969, 16: 1.5078,
        17: 1.5153, 18: 1.5262, 19: 1.5313, 20: 1.5371, 25: 1.5619, 30: 1.5772, 40: 1.5976,
        50: 1.6102, 60: 1.6178, 70: 1.6237, 80: 1.6277, 90: 1.6213, 100: 1.6339,
    },
}  # fmt: skip
AHPY_RANDOM_INDEX = {"saaty": "saaty", "donegan_dodd": "dd"}
CR_LIMIT = 0.1  # Saaty's rule: a matrix with CR > 0.1 is too inconsistent to use


class MethodError(ValueError):
    """Input a method cannot take (the message is the user's sentence)."""


def random_index(table: str, n: int) -> float:
    """RI of order n in the named table (0 below order 3: such a matrix is always consistent)."""
    ri = RANDOM_INDEX[table]
    if n < 3:
        return 0.0
    if n in ri:
        return ri[n]
    orders = sorted(ri)
    if n > orders[-1]:
        raise MethodError(f"{table}: {n}")
    low = max(k for k in orders if k < n)
    high = min(k for k in orders if k > n)
    return ri[low] + (ri[high] - ri[low]) * (n - low) / (high - low)


@dataclass(frozen=True)
class AhpResult:
    weights: dict[str, float]
    lambda_max: float
    ci: float
    cr: float
    random_index: str

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_LIMIT


def ahp(names: list[str], matrix: np.ndarray, table: str, precision: int, iterations: int):
    """AHP priorities of a positive reciprocal matrix by AHPy (principal eigenvector by its
    repeated squaring, `iterations` at most, stopping when the vector is stable to `precision`
    decimals), lambda_max (the largest eigenvalue, numpy), CI = (lambda_max − n)/(n − 1) and
    CR = CI / RI(n) with the named random-index table."""
    import ahpy

    n = len(names)
    pairs = {(names[i], names[j]): float(matrix[i, j]) for i in range(n) for j in range(i + 1, n)}
    compare = ahpy.Compare(
        "criteria",
        pairs,
        precision=precision,
        random_index=AHPY_RANDOM_INDEX[table],
        iterations=iterations,
    )
    weights = {name: float(compare.target_weights[name]) for name in names}
    lambda_max = float(np.max(np.real(np.linalg.eigvals(matrix)))) if n > 1 else 1.0
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = random_index(table, n)
    cr = abs(ci / ri) if ri else 0.0
    return AhpResult(weights, lambda_max, ci, cr, table)


def check_reciprocal(names: list[str], matrix: np.ndarray) -> list[tuple[int, int, str]]:
    """The cells (row, column, message) that keep `matrix` from being a positive reciprocal
    matrix: a diagonal other than 1, a cell ≤ 0, a_ji ≠ 1/a_ij (relative tolerance 1e-3, so that
    0.333 passes for 1/3)."""
    bad = []
    n = len(names)
    for i in range(n):
        for j in range(n):
            value = matrix[i, j]
            if not value > 0:
                bad.append((i, j, "positive"))
            elif i == j and abs(value - 1) > 1e-9:
                bad.append((i, j, "diagonal"))
            elif j > i and not np.isclose(matrix[j, i] * value, 1.0, rtol=1e-3):
                bad.append((j, i, "reciprocal"))
    return bad


def benefit_matrix(matrix: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """The matrix with every cost column negated: min-max and z-scores of the result are the
    direction-aware ones."""
    return np.where(benefit, matrix, -matrix)


def entropy_weights(matrix: np.ndarray, benefit: np.ndarray, variant: str) -> np.ndarray:
    """Shannon-entropy weights w_j = (1 − E_j) / Σ(1 − E_k), E_j = −Σ_i p_ij ln p_ij / ln m.

    - `sum` (pymcdm.weights.entropy_weights): p_ij = x_ij / Σ_i x_ij on the raw values, which
      must all be > 0; the direction does not enter (the spread of the shares is the same).
    - `min_max` (熵权法 as usually taught in China): r_ij = the direction-aware min-max value,
      p_ij = r_ij / Σ_i r_ij, with 0·ln 0 = 0; a constant indicator gets E = 1, weight 0."""
    if variant == "sum":
        from pymcdm.weights import entropy_weights as library

        if np.any(matrix <= 0):
            raise MethodError("sum")
        return np.asarray(library(matrix), dtype=float)
    m = matrix.shape[0]
    r = minmax(matrix, benefit)
    span = np.ptp(matrix, axis=0)
    totals = r.sum(axis=0)
    p = np.divide(r, totals, out=np.zeros_like(r), where=totals > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    entropy = np.where(span > 0, -plogp.sum(axis=0) / np.log(m), 1.0)
    d = 1 - entropy
    if d.sum() <= 0:
        raise MethodError("constant")
    return d / d.sum()


def critic_weights(matrix: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995) by pymcdm.weights.critic_weights:
    min-max normalisation, the sample standard deviation (ddof 1), Pearson correlations,
    C_j = σ_j Σ_k (1 − r_jk), w = C / ΣC. pymcdm normalises every column as a benefit; a cost
    column is negated first, so its min-max value is the cost one."""
    from pymcdm.weights import critic_weights as library

    if np.any(np.ptp(matrix, axis=0) == 0):
        raise MethodError("constant_column")
    return np.asarray(library(benefit_matrix(matrix, benefit)), dtype=float)


def minmax(matrix: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """pymcdm's min-max normalisation per column ((x − min)/(max − min); a cost: (max − x)/(max −
    min); a constant column: 1)."""
    from pymcdm.helpers import normalize_matrix
    from pymcdm.normalizations import minmax_normalization

    return normalize_matrix(matrix, minmax_normalization, types_of(benefit))


def zero_safe_vector(x, cost=False):
    """pymcdm's vector normalisation of one column (x / ‖x‖; a cost: 1 − x / ‖x‖), except that a
    column of zeros (e.g. a manual indicator nobody has a value for) is 0 (a cost: 1) for
    everyone, its limit, instead of 0/0: equal for all, it moves no score."""
    from pymcdm.normalizations import vector_normalization

    x = np.asarray(x, dtype=float)
    if not np.any(x):
        return np.full_like(x, 1.0 if cost else 0.0)
    return vector_normalization(x, cost)


def vector(matrix: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Vector normalisation per column (zero_safe_vector: pymcdm's, a zero column 0)."""
    from pymcdm.helpers import normalize_matrix

    return normalize_matrix(matrix, zero_safe_vector, types_of(benefit))


def z_score(column: np.ndarray, benefit: bool, ddof: int) -> np.ndarray:
    """(x − mean) / std (std with `ddof`); a cost negated; a constant column: 0."""
    std = column.std(ddof=ddof) if len(column) > ddof else 0.0
    z = (column - column.mean()) / std if std > 0 else np.zeros_like(column)
    return z if benefit else -z


def goalpost(column: np.ndarray, benefit: bool, lower: float, upper: float) -> np.ndarray:
    """(x − lower)/(upper − lower) clipped to [0, 1] (a cost: (upper − x)/(upper − lower)): the
    goalposts are fixed in the scheme, so a score does not depend on the others' values."""
    r = (column - lower) / (upper - lower)
    return np.clip(r if benefit else 1 - r, 0.0, 1.0)


def rank_score(column: np.ndarray, benefit: bool, ties: str) -> np.ndarray:
    """(m − rank)/(m − 1), rank 1 the best (scipy.stats.rankdata with the named `ties` method);
    one alternative: 1."""
    from scipy.stats import rankdata

    m = len(column)
    if m == 1:
        return np.ones(1)
    ranks = rankdata(-column if benefit else column, method=ties)
    return (m - ranks) / (m - 1)


def types_of(benefit: np.ndarray) -> np.ndarray:
    """pymcdm's criteria types: 1 a benefit (profit), −1 a cost."""
    return np.where(benefit, 1, -1)


@dataclass(frozen=True)
class Topsis:
    normalised: np.ndarray  # r_ij
    weighted: np.ndarray  # v_ij = w_j r_ij
    ideal: np.ndarray  # v+_j
    anti_ideal: np.ndarray  # v-_j
    distance_ideal: np.ndarray  # D+_i
    distance_anti_ideal: np.ndarray  # D-_i
    closeness: np.ndarray  # D- / (D+ + D-)


def topsis(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray, normalisation: str):
    """TOPSIS by pymcdm.methods.TOPSIS with the named normalisation (`vector`: Hwang & Yoon's, the
    Tzeng–Huang case; `min_max`: pymcdm's default), every step returned (verbose)."""
    from pymcdm import normalizations
    from pymcdm.methods import TOPSIS

    function = {
        "vector": zero_safe_vector,
        "min_max": normalizations.minmax_normalization,
    }[normalisation]
    steps = TOPSIS(normalization_function=function)(
        matrix, weights, types_of(benefit), verbose=True
    ).to_dict()
    return Topsis(
        steps["Normalized decision matrix"],
        steps["Weighted normalized decision matrix"],
        steps["Positive Ideal Solution"],
        steps["Negative Ideal Solution"],
        steps["Distance from PIS"],
        steps["Distance from NIS"],
        steps["Final preference values"],
    )


def ranks(scores: np.ndarray, ties: str) -> np.ndarray:
    """Rank 1 for the highest score (scipy's rankdata on −score with the named `ties` method:
    `min` gives 1, 2, 2, 4), along the last axis, as integers."""
    from scipy.stats import rankdata

    return rankdata(-np.asarray(scores), method=ties, axis=-1).astype(int)
