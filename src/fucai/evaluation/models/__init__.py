"""Evaluation's records: schemes, frozen runs, results and objections (runs.py); manual
inputs (manual.py)."""

from fucai.evaluation.models.manual import ManualInput, ManualInputSet
from fucai.evaluation.models.runs import (
    EvaluationObjection,
    EvaluationResult,
    EvaluationRun,
    EvaluationScheme,
)

__all__ = [
    "EvaluationObjection",
    "EvaluationResult",
    "EvaluationRun",
    "EvaluationScheme",
    "ManualInput",
    "ManualInputSet",
]
