from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Evaluation and incentives (考评与激励, issue 13): schemes as validated documents (indicators,
    weights by AHP, entropy, CRITIC or given, weighted sum or TOPSIS, grades, elimination, pay),
    their maths from maintained libraries (AHPy, pymcdm), and rank robustness under perturbed
    weights. Commands: `fucai evaluate ahp|weights|run|period|manual` (docs/evaluation.md)."""

    name = "fucai.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation and incentives")

    def ready(self) -> None:
        from fucai.core.registry import Module, register

        register(
            Module(
                label="evaluation",
                access="fucai.evaluation.access",
                # after the network, the sales targets and the Party branches
                demo_builders=((96, "fucai.evaluation.demo_manual.ManualDemoBuilder"),),
            )
        )
