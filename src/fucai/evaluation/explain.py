"""Explanations (issue 13 point 4): for one alternative of a frozen run, each indicator's raw
value (linked to the data behind it through the inputs' `sources`), normalised value, weight and
contribution (they add up to the score); the distance to the next rank above, to the next grade
(its threshold, or the score at the quota boundary) and to the elimination line; for TOPSIS the
distances to the ideal and anti-ideal points. Everything from what the run stored."""

from __future__ import annotations

from django.utils.translation import gettext as _


def explain(run, ident: str) -> dict:
    from fucai.evaluation.engine import quota_counts
    from fucai.evaluation.runs import run_scheme

    scheme = run_scheme(run)
    rows = run.result["alternatives"]
    me = next(r for r in rows if r["id"] == ident)
    sources = run.inputs.get("sources", {})
    weights = run.result["weights"]
    indicators = [
        {
            "name": i.name,
            "label": i.label,
            "direction": i.direction,
            "raw": me["values"][i.name],
            "input": run.inputs["values"].get(i.name, {}).get(ident),
            "source": sources.get(i.name, {}).get(ident, ""),
            "normalised": me["normalised"][i.name],
            "weight": weights[i.name],
            "contribution": me["contributions"][i.name],
        }
        for i in scheme.indicators
    ]
    score = me["score"]
    better = [r["score"] for r in rows if r["rank"] < me["rank"]]
    out = {
        "id": ident,
        "score": score,
        "rank": me["rank"],
        "grade": me["grade"],
        "eliminated": me["eliminated"],
        "in_elimination_zone": me.get("in_elimination_zone", False),
        "pay_factor": me["pay_factor"],
        "pay": me["pay"],
        "indicators": indicators,
        "contributions_total": sum(i["contribution"] for i in indicators),
        "to_next_rank": (min(better) - score) if better else None,
        "next_grade": None,
        "to_next_grade": None,
        "elimination": [],
        "elimination_effect": None,
        "topsis": None,
    }
    bands = [b.name for b in scheme.grades.bands]
    if me["eliminated"]:  # what the scheme says elimination does (engine.final_grades)
        out["elimination_effect"] = elimination_effect(scheme, me)
    position = bands.index(me["grade"]) if me["grade"] in bands else None
    if position is not None and position > 0 and not me["eliminated"]:
        out["next_grade"] = bands[position - 1]
        if scheme.grades.by == "thresholds":
            out["to_next_grade"] = scheme.grades.bands[position - 1].min_score - score
            out["grade_rule"] = _("threshold %(score)s") % {
                "score": scheme.grades.bands[position - 1].min_score
            }
        else:
            among = rows
            if scheme.elimination is not None and scheme.elimination.quotas == (
                "among_non_eliminated"
            ):
                among = [r for r in rows if not r["eliminated"]]
            last_rank = sum(quota_counts(scheme, len(among))[:position])
            better_bands = set(bands[:position])
            boundary = [r["score"] for r in among if r["grade"] in better_bands]
            out["to_next_grade"] = (min(boundary) - score) if boundary else None
            out["grade_rule"] = _("quota: the first %(n)s ranks") % {"n": last_rank}
    m = len(rows)
    for rule in scheme.elimination.rules if scheme.elimination else ():
        if rule.rule == "below_score":
            out["elimination"].append(
                {"rule": _("below %(score)s") % {"score": rule.score}, "margin": score - rule.score}
            )
        else:
            safe = [r["score"] for r in rows if r["rank"] <= m - rule.k]
            zone = [r["score"] for r in rows if r["rank"] > m - rule.k]
            line = min(safe) if safe else None
            if me["rank"] > m - rule.k:
                margin = None if line is None else score - line
            else:
                margin = (score - max(zone)) if zone else None
            out["elimination"].append(
                {
                    "rule": _("bottom %(k)s, %(periods)s periods running")
                    % {"k": rule.k, "periods": rule.periods},
                    "margin": margin,
                }
            )
    if "distance_ideal" in me:
        out["topsis"] = {"ideal": me["distance_ideal"], "anti_ideal": me["distance_anti_ideal"]}
    return out


def elimination_effect(scheme, row: dict) -> str:
    """The sentence saying what elimination did to an eliminated alternative's grade and pay."""
    pay = scheme.elimination.pay
    if scheme.pay is None:
        money = _("no pay rule")
    elif pay == "floor":
        money = _("pay factor the floor %(floor)s") % {"floor": scheme.pay.floor}
    else:
        money = _("no pay")
    return _("eliminated: grade %(grade)s instead of %(by_score)s (by its score), %(money)s") % {
        "grade": row["grade"],
        "by_score": row.get("grade_by_score", row["grade"]),
        "money": money,
    }
