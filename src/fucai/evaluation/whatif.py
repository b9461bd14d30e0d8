"""What-if (issue 13 point 5): the run's stored inputs evaluated with other weights or another
method, beside the frozen ranks. Nothing is saved unless the user saves it as a new run (its
`variant` records the change, so that the new run is reproduced like any other)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

METHODS = ("weighted_sum", "topsis")
NORMALISATIONS = ("vector", "min_max")


def clean_variant(scheme, weights=None, method=None, normalisation=None) -> dict:
    """A what-if's change, checked: weights (indicator → a non-negative number, normalised to
    add up to 1), the aggregation (weighted_sum | topsis) and TOPSIS' normalisation."""
    variant = {}
    names = [i.name for i in scheme.indicators]
    if weights:
        try:
            values = {n: float(weights.get(n, 0) or 0) for n in names}
        except (TypeError, ValueError):
            raise ValidationError(_("weights: numbers, one per indicator")) from None
        total = sum(values.values())
        if any(v < 0 for v in values.values()) or total <= 0:
            raise ValidationError(_("weights: non-negative, not all 0"))
        variant["weights"] = {n: v / total for n, v in values.items()}
    if method:
        if method not in METHODS:
            raise ValidationError(_("method: weighted_sum or topsis"))
        if method != scheme.aggregation.method or normalisation:
            variant["method"] = method
    if normalisation:
        if normalisation not in NORMALISATIONS:
            raise ValidationError(_("normalisation: vector or min_max"))
        variant["normalisation"] = normalisation
    return variant


def vary(scheme, weights=None, method=None, normalisation=None):
    """The scheme with the variant applied (validated again). Weights become direct weights;
    switching to TOPSIS uses `normalisation` (default vector) for every indicator; switching to a
    weighted sum gives every indicator min-max normalisation."""
    from fucai.evaluation.scheme import validate_scheme

    data = scheme.model_dump(mode="json")
    if weights:
        data["weights"] = {"method": "direct", "values": dict(weights)}
    target = method or data["aggregation"]["method"]
    if target == "topsis":
        norm = normalisation or data["aggregation"].get("normalisation") or "vector"
        agg = data["aggregation"]
        data["aggregation"] = {
            "method": "topsis",
            "normalisation": norm,
            "scale": agg["scale"],
            "ties": agg["ties"],
        }
        for indicator in data["indicators"]:
            indicator["normalisation"] = None
    elif data["aggregation"]["method"] != "weighted_sum":
        agg = data["aggregation"]
        data["aggregation"] = {"method": "weighted_sum", "scale": agg["scale"], "ties": agg["ties"]}
        for indicator in data["indicators"]:
            indicator["normalisation"] = {"method": "min_max"}
    return validate_scheme(data, "what-if")


def what_if(run, variant: dict, ids: set[str] | None = None) -> dict:
    """The variant's result beside the frozen one, for the alternatives in `ids`."""
    from fucai.evaluation.runs import compute, inputs_from_dict, run_scheme

    scheme = vary(run_scheme(run), **variant)
    table = inputs_from_dict(run.inputs)
    # the frozen run's bottom-k streaks: a what-if moves this period's ranks, not the last's
    result, _extra = compute(scheme, table, previous=run.result.get("previous_streaks"))
    frozen = {r["id"]: r for r in run.result["alternatives"]}
    rows = []
    for row in sorted(result["alternatives"], key=lambda r: (r["rank"], r["id"])):
        if ids is not None and row["id"] not in ids:
            continue
        was = frozen[row["id"]]
        rows.append(
            {
                "id": row["id"],
                "label": table.labels.get(row["id"], row["id"]),
                "frozen_rank": was["rank"],
                "frozen_score": round(was["score"], 4),
                "frozen_grade": was["grade"],
                "rank": row["rank"],
                "score": round(row["score"], 4),
                "grade": row["grade"],
                "eliminated": row["eliminated"],
                "moved": was["rank"] - row["rank"],
            }
        )
    return {
        "weights": result["weights"],
        "aggregation": result["aggregation"],
        "variant": variant,
        "alternatives": rows,
    }
