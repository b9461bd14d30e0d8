from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Evaluation and incentives (考评与激励, issue 13): schemes as versioned, validated documents
    (indicators, weights by AHP, entropy, CRITIC or given, weighted sum or TOPSIS, grades,
    elimination, pay), their maths from maintained libraries (AHPy, pymcdm), frozen runs with
    explanations, what-if and rank robustness; targets' completion and indicators computed from
    fucai's data, manual inputs. Commands: `fucai evaluate ahp|weights|run|period|manual|scheme`
    (docs/evaluation.md)."""

    name = "fucai.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation and incentives")

    def ready(self) -> None:
        from fucai.core.registry import Module, register

        register(
            Module(
                label="evaluation",
                urls=("evaluation/", "fucai.evaluation.urls"),
                api=("/evaluation", "fucai.evaluation.api:router"),
                menu=MENU,
                demo_builders=DEMO_BUILDERS,
                access="fucai.evaluation.access",
                report_sections=("fucai.evaluation.pack_section.evaluation_section",),
            )
        )


def _menu():
    from fucai.core.grant import SEE_EVALUATIONS
    from fucai.core.registry import MenuGroup, MenuItem

    items = (MenuItem(_("Schemes and runs"), "evaluation:home", SEE_EVALUATIONS, order=10),)
    return (MenuGroup("evaluation", _("Evaluation"), 50, items),)


MENU = _menu()
# after the network, sales, Party and welfare demos
DEMO_BUILDERS: tuple[tuple[int, str], ...] = (
    (96, "fucai.evaluation.demo_manual.ManualDemoBuilder"),  # after the targets and the branches
    (97, "fucai.evaluation.demo.SchemeDemoBuilder"),
)
