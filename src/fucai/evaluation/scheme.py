"""The scheme document (考评方案, issue 13 point 2), validated with pydantic: a YAML or JSON file
that names the population, the indicators, how weights are set, how scores are aggregated, the
grade bands, the elimination rule and the pay rule. Every method setting is named: a missing
one is an error naming its path in the document (`weights.random_index`), never a library's
default. The fields are described in docs/evaluation.md.

Imported by the code that evaluates, never at start-up (pydantic is not a start-up import)."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from fucai.evaluation.methods import CR_LIMIT, RANDOM_INDEX

# the indicators fucai computes from its own data (issue 13 point 2; computed in a later part)
COMPUTED_INDICATORS = (
    "target_completion",  # 任务完成率
    "ytd_yoy_growth",  # 累计同比增长
    "instant_growth",  # 即开票增长
    "net_new_stations",  # 净增站点
    "core_urban_new_outlets",  # 核心城区新增网点
    "closures",  # 关停站点
    "visits_per_station_month",  # 每站每月走访
    "onboarding_overdue",  # 逾期建站任务
    "party_compliance",  # 三会一课完成率
)
MANUAL = "manual"  # entered through the generated Excel template
# the sources that accumulate over a period (partial_period may name them; manual: a count
# entered, e.g. 培训学时 — a score such as 满意度 must not be named, the scheme says which)
COUNT_SOURCES = (
    "net_new_stations",
    "core_urban_new_outlets",
    "closures",
    "onboarding_overdue",
    MANUAL,
)


def refuse(message: str):
    """A validation error whose message is shown as it is (already in the user's language)."""
    return PydanticCustomError("fucai", message)


class Strict(BaseModel):
    """Unknown keys are errors (a misspelt setting must not fall back to a default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class MinMax(Strict):
    method: Literal["min_max"]


class Vector(Strict):
    method: Literal["vector"]


class ZScore(Strict):
    method: Literal["z_score"]
    ddof: Literal[0, 1]  # population (0) or sample (1) standard deviation


class Goalpost(Strict):
    method: Literal["goalpost"]
    lower: float  # the value that scores 0 (a cost: 1)
    upper: float  # the value that scores 1 (a cost: 0)

    @model_validator(mode="after")
    def ordered(self):
        if not self.upper > self.lower:
            raise refuse(_("upper must be greater than lower"))
        return self


class Rank(Strict):
    method: Literal["rank"]
    ties: Literal["average", "min", "max", "dense", "ordinal"]


Normalisation = Annotated[MinMax | Vector | ZScore | Goalpost | Rank, Field(discriminator="method")]


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


class Cap(Strict):
    """Raw values are clipped to [min, max] before normalisation (either bound may be null)."""

    min: float | None
    max: float | None


class Indicator(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    label_en: str | None = None  # the English label; without one English pages show `label`
    source: str  # a computed indicator key or "manual"
    direction: Literal["benefit", "cost"]
    # required with a weighted sum; with TOPSIS the aggregation's normalisation applies
    normalisation: Normalisation | None = None
    cap: Cap | None  # the key is required: null says "no cap"

    def shown_label(self) -> str:
        """The label in the active language (`label_en` in English when the scheme gives one)."""
        return self.label_en if self.label_en and _english() else self.label
        return self.label

    @model_validator(mode="after")
    def known_source(self):
        if self.source != MANUAL and self.source not in COMPUTED_INDICATORS:
            raise refuse(
                _("unknown source %(source)s (one of: %(known)s)")
                % {"source": self.source, "known": ", ".join((*COMPUTED_INDICATORS, MANUAL))}
            )
        return self


class DirectWeights(Strict):
    method: Literal["direct"]
    values: dict[str, float]


class AhpWeights(Strict):
    method: Literal["ahp"]
    matrix: list[list[float | str]]  # rows and columns in the order of `indicators`
    random_index: Literal["saaty", "donegan_dodd"]
    precision: int = Field(ge=2, le=10)  # AHPy: decimals the eigenvector is stable to
    iterations: int = Field(ge=1, le=1000)  # AHPy: squarings at most
    override_reason: str | None = None  # required to use a matrix with CR > 0.1


class EntropyWeights(Strict):
    method: Literal["entropy"]
    variant: Literal["sum", "min_max"]


class CriticWeights(Strict):
    method: Literal["critic"]
    variant: Literal["diakoulaki"]  # σ_j Σ_k (1 − r_jk), sample σ (ddof 1), Pearson r
    normalisation: Literal["min_max"]


Weights = Annotated[
    DirectWeights | AhpWeights | EntropyWeights | CriticWeights, Field(discriminator="method")
]


class WeightedSum(Strict):
    method: Literal["weighted_sum"]
    scale: float = Field(gt=0)  # score = scale × Σ w_j r_j
    ties: Literal["min", "dense", "ordinal"]  # how equal scores rank


class TopsisAggregation(Strict):
    method: Literal["topsis"]
    normalisation: Literal["vector", "min_max"]  # pymcdm's default is min_max: name it
    scale: float = Field(gt=0)  # score = scale × closeness
    ties: Literal["min", "dense", "ordinal"]


Aggregation = Annotated[WeightedSum | TopsisAggregation, Field(discriminator="method")]


class ThresholdBand(Strict):
    name: str
    min_score: float | None  # the lowest band: null (everything below the band above)


class QuotaBand(Strict):
    name: str
    share: float | None = Field(gt=0, le=1)  # the lowest band: null (the rest)


class ThresholdGrades(Strict):
    by: Literal["thresholds"]
    bands: list[ThresholdBand] = Field(min_length=1)

    @model_validator(mode="after")
    def descending(self):
        mins = [band.min_score for band in self.bands]
        if mins[-1] is not None or None in mins[:-1]:
            raise refuse(_("only the last band has min_score null"))
        if any(a <= b for a, b in pairwise(mins[:-1])):
            raise refuse(_("min_score must decrease from band to band"))
        return self


class QuotaGrades(Strict):
    by: Literal["quotas"]
    rounding: Literal["floor", "round_half_up", "ceil"]  # share × population → people
    bands: list[QuotaBand] = Field(min_length=1)

    @model_validator(mode="after")
    def shares(self):
        shares = [band.share for band in self.bands]
        if shares[-1] is not None or None in shares[:-1]:
            raise refuse(_("only the last band has share null"))
        if sum(shares[:-1]) >= 1:
            raise refuse(_("the shares of the bands above the last must add up to less than 1"))
        return self


Grades = Annotated[ThresholdGrades | QuotaGrades, Field(discriminator="by")]


class BelowScore(Strict):
    rule: Literal["below_score"]
    score: float


class BottomK(Strict):
    rule: Literal["bottom_k"]
    k: int = Field(ge=1)
    periods: int = Field(ge=1)  # in the bottom k this many periods running


EliminationRule = Annotated[BelowScore | BottomK, Field(discriminator="rule")]


class Elimination(Strict):
    """Eliminated (淘汰) when any of the rules holds. What it does, each named (no default):
    `grade` — the grade the eliminated get (a band's name, or a label of its own such as
    不合格); `pay` — `floor` (the pay rule's floor) or `none` (no pay: factor 0); `quotas` —
    with quota grades, the other grades' quotas are counted `among_non_eliminated` or
    `among_all` (null with threshold grades)."""

    rules: list[EliminationRule] = Field(min_length=1)
    grade: str = Field(min_length=1)
    pay: Literal["floor", "none"]
    quotas: Literal["among_non_eliminated", "among_all"] | None


class PartialPeriod(Strict):
    """A period evaluated before its end (as of a day inside it): the count indicators named in
    `indicators` (they accumulate over the period: net new stations, closures, …) are compared
    with goalposts and caps scaled by the elapsed share of the period (`counts:
    scale_goalposts`), or their values are annualised — divided by that share — (`counts:
    annualise`). Target completion is measured against the target to date (序时任务) and growth
    rates are comparable as they are; neither may be named."""

    counts: Literal["scale_goalposts", "annualise"]
    indicators: list[str]


class ScoreFactor(Strict):
    kind: Literal["linear"]
    reference: float  # the score whose factor is 1
    per_point: float  # factor = 1 + per_point × (score − reference)


class Pay(Strict):
    """pay = base × clip(grade coefficient × score factor, floor, cap), rounded half up to the
    fen; the factor is rounded half up to 4 decimals first."""

    base: Decimal = Field(gt=0)  # yuan per period
    coefficients: dict[str, Decimal]  # grade name → coefficient
    score_factor: ScoreFactor
    floor: Decimal = Field(ge=0)
    cap: Decimal = Field(gt=0)

    @model_validator(mode="after")
    def bounds(self):
        if self.cap < self.floor:
            raise refuse(_("cap must not be below floor"))
        return self


class Robustness(Strict):
    """Weights perturbed by Dirichlet draws around the scheme's weights."""

    draws: int = Field(ge=10, le=100_000)
    seed: int
    concentration: float = Field(gt=0)  # alpha = concentration × weights
    percentiles: tuple[float, float]  # e.g. [5, 95]
    grade_confidence: float = Field(gt=0, le=1)  # flagged below this P(own grade)
    elimination_between: tuple[float, float]  # flagged when P(elimination zone) is inside


class Scheme(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    version: int = Field(ge=1)
    population: Literal["city_agencies", "market_managers"]
    period: Literal["year", "quarter", "month"]
    indicators: list[Indicator] = Field(min_length=1)
    weights: Weights
    aggregation: Aggregation
    grades: Grades
    elimination: Elimination | None  # the key is required: null says "nobody is eliminated"
    partial_period: PartialPeriod  # how a period evaluated before its end is compared
    pay: Pay | None  # the key is required: null says "no pay rule"
    robustness: Robustness | None
    # optional English names of scheme data (pages in English show them; else the Chinese)
    title_en: str | None = None
    grade_labels_en: dict[str, str] | None = None  # grade name (一级, 不合格 …) → English

    @model_validator(mode="after")
    def coherent(self):
        names = [i.name for i in self.indicators]
        if len(set(names)) != len(names):
            raise refuse(_("indicator names must be unique"))
        for index, indicator in enumerate(self.indicators):
            where = f"indicators[{index}].normalisation"
            if self.aggregation.method == "weighted_sum" and indicator.normalisation is None:
                raise refuse(_("%(path)s: a weighted sum needs each indicator's") % {"path": where})
            if self.aggregation.method == "topsis" and indicator.normalisation is not None:
                raise refuse(
                    _("%(path)s: TOPSIS normalises every indicator by aggregation.normalisation")
                    % {"path": where}
                )
        self._check_weights(names)
        self._check_partial_period(names)
        grade_names = [band.name for band in self.grades.bands]
        if self.elimination is not None:
            self._check_elimination()
        if self.pay is not None and set(self.pay.coefficients) != set(grade_names):
            raise refuse(
                _("pay.coefficients must name each grade: %(grades)s")
                % {"grades": ", ".join(grade_names)}
            )
        return self

    def _check_partial_period(self, names: list[str]) -> None:
        sources = {i.name: i.source for i in self.indicators}
        for index, name in enumerate(self.partial_period.indicators):
            where = f"partial_period.indicators[{index}]"
            if name not in sources:
                raise refuse(
                    _("%(path)s: %(name)s is not an indicator of the scheme")
                    % {"path": where, "name": name}
                )
            if sources[name] not in COUNT_SOURCES:
                raise refuse(
                    _("%(path)s: %(name)s is not a count (a rate or a growth is not scaled)")
                    % {"path": where, "name": name}
                )

    def _check_elimination(self) -> None:
        elimination = self.elimination
        if self.grades.by == "quotas" and elimination.quotas is None:
            raise refuse(
                _(
                    "elimination.quotas: required with quota grades (among_non_eliminated or "
                    "among_all)"
                )
            )
        if self.grades.by == "thresholds" and elimination.quotas is not None:
            raise refuse(_("elimination.quotas: must be null with threshold grades"))
        if elimination.pay == "floor" and self.pay is None:
            raise refuse(_("elimination.pay: floor needs a pay rule (pay is null)"))

    def shown_title(self) -> str:
        return self.title_en if self.title_en and _english() else self.title

    def grade_label(self, name: str) -> str:
        """A grade's name in the active language (`grade_labels_en` in English if given)."""
        if self.grade_labels_en and _english():
            return self.grade_labels_en.get(name, name)
        return name

    def grade_names(self) -> list[str]:
        """The bands' names, then the elimination grade if it is a label of its own."""
        names = [band.name for band in self.grades.bands]
        if self.elimination is not None and self.elimination.grade not in names:
            names.append(self.elimination.grade)
        return names

    def _check_weights(self, names: list[str]) -> None:
        weights = self.weights
        if weights.method == "direct":
            if set(weights.values) != set(names):
                raise refuse(
                    _("weights.values must name each indicator: %(names)s")
                    % {"names": ", ".join(names)}
                )
            if (
                any(v < 0 for v in weights.values.values())
                or abs(sum(weights.values.values()) - 1) > 1e-6
            ):
                raise refuse(_("weights.values must be non-negative and add up to 1"))
        if weights.method == "ahp":
            self.ahp_result()  # shape, cells, reciprocity and CR

    def ahp_result(self):
        """The AHP result of the weights' matrix (AhpWeights only); refuses a matrix that is not
        positive reciprocal, or whose CR > 0.1 without an override_reason."""
        import numpy as np

        from fucai.evaluation.methods import ahp, check_reciprocal

        weights = self.weights
        names = [i.name for i in self.indicators]
        n = len(names)
        if len(weights.matrix) != n or any(len(row) != n for row in weights.matrix):
            raise refuse(_("weights.matrix must be %(n)s × %(n)s (the indicators)") % {"n": n})
        matrix = np.empty((n, n))
        for i, row in enumerate(weights.matrix):
            for j, cell in enumerate(row):
                value = parse_number(cell)
                if value is None:
                    raise refuse(
                        _("weights.matrix[%(i)s][%(j)s]: %(cell)r is not a number or fraction")
                        % {"i": i, "j": j, "cell": cell}
                    )
                matrix[i, j] = value
        bad = check_reciprocal(names, matrix)
        if bad:
            i, j, _kind = bad[0]
            raise refuse(
                _("weights.matrix[%(i)s][%(j)s]: not a positive reciprocal matrix")
                % {"i": i, "j": j}
            )
        result = ahp(names, matrix, weights.random_index, weights.precision, weights.iterations)
        if not result.consistent and not (weights.override_reason or "").strip():
            raise refuse(
                _(
                    "weights.matrix: consistency ratio %(cr).3f > %(limit)s; make the judgements "
                    "consistent or give weights.override_reason"
                )
                % {"cr": result.cr, "limit": CR_LIMIT}
            )
        return result


assert set(RANDOM_INDEX) == {"saaty", "donegan_dodd"}  # the Literal above names them


def parse_number(cell) -> float | None:
    """A number or a fraction such as "1/3" (None if it is neither)."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip()
    try:
        if "/" in text:
            top, bottom = text.split("/")
            return float(top) / float(bottom)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None


def ahp_cell(cell) -> str:
    """A pairwise judgement as people write it: 1, 3, 1/3 (a reciprocal as its fraction; a
    value that is neither an integer nor one's reciprocal to 0.1 %: up to 4 significant digits)."""
    from fractions import Fraction

    value = parse_number(cell)
    if value is None or value <= 0:
        return str(cell)
    whole, inverse = round(value), round(1 / value)
    candidates = ([Fraction(whole)] if whole else []) + ([1 / Fraction(inverse)] if inverse else [])
    for exact in candidates:
        if abs(float(exact) - value) <= 0.001 * value:
            return str(exact)
    return f"{value:.4g}"


class SchemeError(ValueError):
    """A scheme document that does not validate: each message names its path."""

    def __init__(self, source: str, messages: list[str]):
        self.source, self.messages = source, messages
        super().__init__(f"{source}: " + "; ".join(messages))


def load_scheme(path: str | Path) -> Scheme:
    """The scheme in a YAML (.yaml, .yml) or JSON (.json) file, validated."""
    import json

    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemeError(str(path), [exc.strerror or str(exc)]) from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise SchemeError(
            str(path), [_("not valid YAML or JSON: %(error)s") % {"error": exc}]
        ) from None
    return validate_scheme(data, str(path))


def validate_scheme(data, source: str = "scheme") -> Scheme:
    if not isinstance(data, dict):
        raise SchemeError(source, [_("the document must be a mapping of fields")])
    try:
        return Scheme.model_validate(data)
    except ValidationError as exc:
        raise SchemeError(source, [describe(error, data) for error in exc.errors()]) from None


def describe(error: dict, data) -> str:
    """One pydantic error as "path: sentence" in the user's language; the path is the document's
    (indicators[2].normalisation.ddof), without pydantic's union tags."""
    parts: list[str] = []
    node = data
    loc = list(error["loc"])
    for item in loc:
        if isinstance(node, list) and isinstance(item, int) and item < len(node):
            parts.append(f"[{item}]")
            node = node[item]
        elif isinstance(node, dict) and item in node:
            parts.append(f".{item}" if parts else str(item))
            node = node[item]
        elif isinstance(node, dict) and item in {node.get(k) for k in ("method", "by", "rule")}:
            continue  # a discriminated union's tag
        else:
            parts.append(f".{item}" if parts else str(item))
            node = None
    kind = error["type"]
    if kind == "union_tag_invalid":
        parts.append(f".{error['ctx']['discriminator'].strip(chr(39))}" if parts else "")
    if kind == "union_tag_not_found":
        parts.append(f".{error['ctx']['discriminator'].strip(chr(39))}" if parts else "")
        message = _("required: the scheme must name it")
    elif kind == "missing":
        message = _("required: the scheme must name it")
    elif kind == "extra_forbidden":
        message = _("unknown field")
    elif kind in ("literal_error", "union_tag_invalid"):
        expected = error.get("ctx", {}).get("expected") or error.get("ctx", {}).get("expected_tags")
        message = _("must be one of %(expected)s") % {"expected": expected}
    elif kind == "fucai":
        message = error["msg"]
    else:
        message = error["msg"]
    path = "".join(parts).lstrip(".")
    return f"{path}: {message}" if path else message
