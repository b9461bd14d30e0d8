"""What the evaluation module's URLs answer each role (fucai.core.testing.matrix), as decided by
fucai.evaluation.visibility: 403 without a role that sees evaluations; a run, result or
objection outside what the role sees is a 404 (reach EVALUATION: the province both cities' runs,
a city agency its own city's managers, the market manager their own published result). Running,
publishing, new scheme versions and saved what-ifs: the province (run evaluations). Resolving an
objection: the scheme's owners (JUDGE); filing one: the person evaluated (OBJECTOR); the others
who see it: 403."""

from __future__ import annotations

from fucai.core.grant import RUN_EVALUATIONS, SEE_EVALUATIONS
from fucai.core.testing.matrix import EVALUATION, JUDGE, MATRIX_SCHEME, OBJECTOR, Expect

SEE = {"needs": SEE_EVALUATIONS}
RUN = {"needs": SEE_EVALUATIONS, "reach": EVALUATION, "path": {"pk": "{evaluation_run}"}}
RESULT = {"needs": SEE_EVALUATIONS, "reach": EVALUATION, "path": {"pk": "{evaluation_result}"}}
SCHEME = {"path": {"name": MATRIX_SCHEME}}
RUNS = {"needs": RUN_EVALUATIONS}

ACCESS = {
    "evaluation:home": Expect(**SEE),
    "evaluation:scheme_detail": [
        Expect(**SEE, **SCHEME),
        Expect(**SEE, **SCHEME, query={"version": "1"}),
    ],
    # the manual-input sheet: a template (GET ?period=) and its import (a POST without a file:
    # the refusal, 400)
    "evaluation:manual_inputs": [
        Expect(**RUNS, **SCHEME, query={"period": "2023"}),
        Expect(**RUNS, **SCHEME, method="POST", data={"period": "2023"}, ok=400),
    ],
    "evaluation:scheme_edit": [
        Expect(**RUNS, **SCHEME),
        Expect(**RUNS, **SCHEME, method="POST", data={}, ok=400),
    ],
    # a POST without a period: 400 for the province
    "evaluation:run_new": Expect(**RUNS, **SCHEME, method="POST", data={}, ok=400),
    "evaluation:run_detail": [
        Expect(**RUN),
        Expect(**RUN, query={"format": "xlsx"}),
        Expect(**RUN, query={"with": "{evaluation_run}"}),
    ],
    "evaluation:run_progress": Expect(**RUN),
    # already published: back to the run
    "evaluation:run_publish": Expect(**{**RUN, **RUNS}, method="POST", data={}, ok=302),
    "evaluation:whatif": Expect(**RUN),
    "evaluation:whatif_json": [
        Expect(**RUN),
        Expect(**RUN, query={"w_done": "1", "w_visits": "3"}),
    ],
    # nothing changed: 400 (nothing saved)
    "evaluation:whatif_save": Expect(**{**RUN, **RUNS}, method="POST", data={}, ok=400),
    "evaluation:robustness": Expect(**RUN),
    "evaluation:result_detail": Expect(**RESULT),
    # an empty objection: 400 for the manager on their own result, 403 for the others who see it
    "evaluation:objection_new": Expect(
        **{**RESULT, "reach": OBJECTOR}, method="POST", data={}, ok=400, unchangeable=403
    ),
    "evaluation:objection_resolve": Expect(
        needs=SEE_EVALUATIONS,
        reach=JUDGE,
        path={"pk": "{evaluation_objection}"},
        method="POST",
        data={},
        ok=400,
        unchangeable=403,
    ),
    "fucai_evaluation_api_list_runs": Expect(api=True, **SEE),
    "fucai_evaluation_api_get_run": Expect(
        api=True, needs=SEE_EVALUATIONS, reach=EVALUATION, path={"run_id": "{evaluation_run}"}
    ),
    "fucai_evaluation_api_get_result": Expect(
        api=True,
        needs=SEE_EVALUATIONS,
        reach=EVALUATION,
        path={"result_id": "{evaluation_result}"},
    ),
}
