"""Explanations (issue 13 point 4): for one alternative of a frozen run, each indicator's raw
value (linked to the data behind it through the inputs' `sources`; a value not entered or not
computable says so, and what it counted as), normalised value, weight and contribution (they add
up to the score); the distance to the next rank above, to the next grade (its threshold, or the
score at the quota boundary) and to each elimination line — for someone inside it, what it takes
to leave the zone —; for TOPSIS the distances to the ideal and anti-ideal points and each
indicator's share of both. Everything from what the run stored, in the user's language."""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _

from fucai.evaluation.scheme import MANUAL


def explain(run, ident: str) -> dict:
    from fucai.evaluation.runs import run_scheme

    scheme = run_scheme(run)
    rows = run.result["alternatives"]
    me = next(r for r in rows if r["id"] == ident)
    score = me["score"]
    better = [r["score"] for r in rows if r["rank"] < me["rank"]]
    out = {
        "id": ident,
        "score": score,
        "rank": me["rank"],
        "of": len(rows),
        "scale": scheme.aggregation.scale,
        "grade": me["grade"],
        "eliminated": me["eliminated"],
        "in_elimination_zone": me.get("in_elimination_zone", False),
        "pay_factor": me["pay_factor"],
        "pay": me["pay"],
        "indicators": indicator_rows(run, scheme, me),
        "to_next_rank": (min(better) - score) if better else None,
        "top_grade": False,
        "next_grade": None,
        "to_next_grade": None,
        "grade_rule": "",
        "elimination": elimination_lines(scheme, rows, me),
        "elimination_effect": None,
        "topsis": None,
    }
    out["contributions_total"] = sum(i["contribution"] for i in out["indicators"])
    if me["eliminated"]:  # what the scheme says elimination does (engine.final_grades)
        out["elimination_effect"] = elimination_effect(scheme, me, rows)
    else:
        out.update(next_grade(scheme, rows, me))
    out["grade"] = scheme.grade_label(me["grade"])
    if out["next_grade"]:
        out["next_grade"] = scheme.grade_label(out["next_grade"])
    if "distance_ideal" in me:
        out["topsis"] = {"ideal": me["distance_ideal"], "anti_ideal": me["distance_anti_ideal"]}
        topsis_shares(run, scheme, me, out["indicators"])
    return out


def indicator_rows(run, scheme, me: dict) -> list[dict]:
    sources = run.inputs.get("sources", {})
    filled = {(i, name) for i, name in run.result.get("filled", [])}
    ident, weights = me["id"], run.result["weights"]
    manual_source = _("manual input (%(scheme)s, %(period)s)") % {
        "scheme": scheme.name,
        "period": run.period,
    }
    rows = []
    for i in scheme.indicators:
        source = sources.get(i.name, {}).get(ident, "")
        if i.source == MANUAL and not source.startswith("/"):
            source = manual_source  # frozen in the worker's language: said in the user's
        value = run.inputs["values"].get(i.name, {}).get(ident)
        missing = value is None or (ident, i.name) in filled
        rows.append(
            {
                "name": i.name,
                "label": i.shown_label(),
                "direction": i.direction,
                "raw": me["values"][i.name],
                "input": value,
                "missing": missing_text(i) if missing else "",
                "capped": not missing and me["values"][i.name] != value,
                "source": source,
                "normalised": me["normalised"][i.name],
                "weight": weights[i.name],
                "contribution": me["contributions"][i.name],
            }
        )
    return rows


def missing_text(indicator) -> str:
    """What a missing value is called and what it counted as (indicators.worst_value)."""
    if indicator.source == MANUAL:
        return _("not entered (counted as the worst value)")
    return _("not computable (counted as the worst value)")


def next_grade(scheme, rows: list[dict], me: dict) -> dict:
    """The better band above a (not eliminated) alternative's and how far it is, by the
    scheme's rule: a threshold's min_score, or the lowest score inside the better bands'
    quotas (counted among the others when the scheme says so)."""
    from fucai.evaluation.engine import quota_counts

    bands = [b.name for b in scheme.grades.bands]
    position = bands.index(me["grade"]) if me["grade"] in bands else None
    if position is None:
        return {}
    if position == 0:
        return {"top_grade": True}
    out = {"next_grade": bands[position - 1]}
    if scheme.grades.by == "thresholds":
        line = scheme.grades.bands[position - 1].min_score
        out["to_next_grade"] = line - me["score"]
        out["grade_rule"] = _("threshold %(score)s") % {"score": line}
        return out
    among = quota_population(scheme, rows)
    last_rank = sum(quota_counts(scheme, len(among))[:position])
    better_bands = set(bands[:position])
    boundary = [r["score"] for r in among if r["grade"] in better_bands]
    out["to_next_grade"] = (min(boundary) - me["score"]) if boundary else None
    out["grade_rule"] = _("quota: the first %(n)s ranks") % {"n": last_rank}
    return out


def quota_population(scheme, rows: list[dict]) -> list[dict]:
    if scheme.elimination is not None and scheme.elimination.quotas == "among_non_eliminated":
        return [r for r in rows if not r["eliminated"]]
    return rows


def elimination_lines(scheme, rows: list[dict], me: dict) -> list[dict]:
    """Per elimination rule: its margin (score − the line; negative below it) and, inside the
    zone, what it takes to leave it: the points to the line, and for bottom k the rank."""
    out = []
    m, score = len(rows), me["score"]
    for rule in scheme.elimination.rules if scheme.elimination else ():
        if rule.rule == "below_score":
            margin = score - rule.score
            line = {
                "rule": _("below %(score)s") % {"score": rule.score},
                "margin": margin,
                "in_zone": score < rule.score,
                "needed": rule.score - score if score < rule.score else None,
                "rank_needed": None,
            }
        else:
            safe = [r["score"] for r in rows if r["rank"] <= m - rule.k]
            zone = [r["score"] for r in rows if r["rank"] > m - rule.k]
            inside = me["rank"] > m - rule.k
            if inside:
                margin = (score - min(safe)) if safe else None
            else:
                margin = (score - max(zone)) if zone else None
            line = {
                "rule": _("bottom %(k)s, %(periods)s periods running")
                % {"k": rule.k, "periods": rule.periods},
                "margin": margin,
                "in_zone": inside,
                "needed": (min(safe) - score) if inside and safe else None,
                "rank_needed": m - rule.k if inside else None,
            }
        out.append(line)
    return out


def topsis_shares(run, scheme, me: dict, indicators: list[dict]) -> None:
    """Each indicator's share of the squared distances to the anti-ideal and the ideal point
    (v = w·r over the run's alternatives; the contributions are the first × the score)."""
    names = [i.name for i in scheme.indicators]
    weights = np.array([run.result["weights"][n] for n in names])
    v = np.array([[r["normalised"][n] for n in names] for r in run.result["alternatives"]])
    v = v * weights
    mine = np.array([me["normalised"][n] for n in names]) * weights
    anti = (mine - v.min(axis=0)) ** 2
    ideal = (v.max(axis=0) - mine) ** 2
    for k, row in enumerate(indicators):
        row["share_anti_ideal"] = float(anti[k] / anti.sum()) if anti.sum() > 0 else 0.0
        row["share_ideal"] = float(ideal[k] / ideal.sum()) if ideal.sum() > 0 else 0.0
        row["spread"] = float(v[:, k].max() - v[:, k].min())


def elimination_effect(scheme, row: dict, rows: list[dict]) -> str:
    """The sentence saying what elimination did to an eliminated alternative's grade and pay,
    with the grade its score would give were it not eliminated (engine.grade_if_kept)."""
    from fucai.evaluation.engine import format_factor, grade_if_kept

    pay = scheme.elimination.pay
    if scheme.pay is None:
        money = _("no pay rule")
    elif pay == "floor":
        money = _("pay factor the floor %(floor)s") % {"floor": format_factor(scheme.pay.floor)}
    else:
        money = _("no pay")
    return _(
        "eliminated: grade %(grade)s; not eliminated, its score would give %(kept)s; %(money)s"
    ) % {
        "grade": scheme.grade_label(row["grade"]),
        "kept": scheme.grade_label(grade_if_kept(scheme, rows, row["id"])),
        "money": money,
    }
