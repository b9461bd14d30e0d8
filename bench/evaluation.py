"""Rank-robustness benchmark (issue 13, point 10): fucai's vectorised TOPSIS over all Dirichlet
weight draws at once (`fucai.evaluation.engine.topsis_many`) against calling pymcdm's TOPSIS
once per draw in a loop, on the same instance and the same draws; the ranks must be identical.
Writes bench/results/evaluation/evaluation.json and the section "Evaluation: rank robustness
(issue 13, point 10)" of bench/RESULTS.md.

    .venv/bin/python bench/evaluation.py            # ≈ 10 s

Instance (synthetic, seeded): 120 market managers × 12 indicators, values lognormal around
indicator-specific levels, the 4th, 6th and 8th indicators costs; weights a fixed vector (the
seed market-manager scheme's); 1,000 draws ~ Dirichlet(100 × w) (numpy PCG64, seed 20231231);
vector normalisation (pymcdm's `vector_normalization`, cost: 1 − x/‖x‖). Both sides rank with
scipy's `rankdata(−closeness, method="min")`.

- fucai: normalise once (pymcdm), then the weighted matrices of all draws as one
  draws × managers × indicators array, the ideal and anti-ideal points per draw, the distances
  and closeness, and the ranks of every draw in one `rankdata` call;
- loop: `pymcdm.methods.TOPSIS(vector_normalization)(matrix, w, types)` per draw (its own
  validation and normalisation each time, as a caller of the library does), then `rankdata`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))

from common import git_commit  # noqa: E402

from fucai.evaluation import methods  # noqa: E402
from fucai.evaluation.engine import dirichlet_weights, topsis_many  # noqa: E402

TITLE = "## Evaluation: rank robustness (issue 13, point 10)"
WEIGHTS = np.array([0.25, 0.15, 0.08, 0.08, 0.05, 0.05, 0.10, 0.05, 0.07, 0.04, 0.03, 0.05])
COSTS = (3, 5, 7)
TARGET = 20.0


def instance(managers: int, indicators: int, seed: int):
    rng = np.random.default_rng(seed)
    levels = rng.uniform(1, 100, indicators)
    matrix = levels * rng.lognormal(0.0, 0.3, (managers, indicators))
    benefit = np.ones(indicators, dtype=bool)
    benefit[list(COSTS)] = False
    return matrix, benefit


def vectorised(matrix, benefit, draws):
    normalised = methods.vector(matrix, benefit)
    return methods.ranks(topsis_many(normalised, draws), "min")


def looped(matrix, benefit, draws):
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization
    from scipy.stats import rankdata

    topsis = TOPSIS(normalization_function=vector_normalization)
    types = methods.types_of(benefit)
    out = np.empty((len(draws), matrix.shape[0]), dtype=int)
    for d, w in enumerate(draws):
        out[d] = rankdata(-topsis(matrix, w, types), method="min")
    return out


def timed(function, *args, reps: int):
    times, result = [], None
    for _ in range(reps):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return result, times


def machine() -> dict:
    from importlib import metadata

    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pymcdm": metadata.version("pymcdm"),
        "git": git_commit(),
    }


def render(r: dict) -> str:
    ms = lambda s: f"{s * 1000:,.1f} ms"  # noqa: E731
    met = "yes" if r["ratio"] >= TARGET else "**no**"
    return "\n".join(
        [
            TITLE,
            "",
            f"{r['managers']} managers × {r['indicators']} indicators, {r['draws']:,} Dirichlet "
            f"weight draws (concentration {r['concentration']:g}, seed {r['seed']}), TOPSIS "
            "with vector normalisation; bench/evaluation.py's docstring describes both sides. "
            f"Medians of {r['reps']} runs (fucai) and {r['loop_reps']} (loop), "
            "after one untimed call of each (imports).",
            "",
            f"Reproduce: `.venv/bin/python bench/evaluation.py`. Run finished {r['finished']}; "
            f"load average {r['load_before']:.2f} before, {r['load_after']:.2f} after.",
            "",
            "Machine: " + ", ".join(f"{k} {v}" for k, v in r["machine"].items()) + ".",
            "",
            "| | median | loop ÷ this |",
            "|---|---:|---:|",
            f"| fucai, vectorised over the draws | {ms(r['vectorised_s'])} | {r['ratio']:,.1f}× |",
            f"| pymcdm TOPSIS once per draw | {ms(r['loop_s'])} | 1× |",
            "",
            f"Ranks identical in every draw: **{'yes' if r['identical'] else 'no'}**. "
            f"Target ≥ {TARGET:g}× faster: {met} ({r['ratio']:,.1f}×).",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--managers", type=int, default=120)
    parser.add_argument("--indicators", type=int, default=12)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--loop-reps", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print, do not write results")
    args = parser.parse_args()
    seed, concentration = 20231231, 100.0
    load_before = os.getloadavg()[0]
    matrix, benefit = instance(args.managers, args.indicators, seed)
    weights = WEIGHTS[: args.indicators] / WEIGHTS[: args.indicators].sum()
    draws = dirichlet_weights(weights, args.draws, concentration, seed)
    vectorised(matrix, benefit, draws[:2])  # imports (pymcdm, scipy) outside the timings
    looped(matrix, benefit, draws[:2])
    fast, fast_times = timed(vectorised, matrix, benefit, draws, reps=args.reps)
    slow, slow_times = timed(looped, matrix, benefit, draws, reps=args.loop_reps)
    result = {
        "managers": args.managers,
        "indicators": args.indicators,
        "draws": args.draws,
        "seed": seed,
        "concentration": concentration,
        "reps": args.reps,
        "loop_reps": args.loop_reps,
        "vectorised_s": statistics.median(fast_times),
        "loop_s": statistics.median(slow_times),
        "vectorised_samples_s": fast_times,
        "loop_samples_s": slow_times,
        "identical": bool(np.array_equal(fast, slow)),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "finished": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
    }
    result["ratio"] = result["loop_s"] / result["vectorised_s"]
    assert result["identical"], "the vectorised ranks differ from the library's"
    print(render(result))
    if args.no_write:
        return
    out = BENCH / "results" / "evaluation" / "evaluation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    sys.path.insert(0, str(BENCH))
    from report import replace_section

    path = BENCH / "RESULTS.md"
    path.write_text(replace_section(path.read_text(), TITLE, render(result)))


if __name__ == "__main__":
    main()
