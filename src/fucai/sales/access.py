"""What the sales URLs answer each role (the permission matrix, fucai.core.testing.matrix): the
cockpit and its chart API in the role's scope; imports for the provincial centre and the city
agencies only (403 for the others), an import of another city a 404."""

from __future__ import annotations

from fucai.core.grant import IMPORT_SALES, SET_SALES_TARGETS
from fucai.core.testing.matrix import CHANGE, SALES_AS_OF, Expect

DAY = {"as_of": SALES_AS_OF}
BATCH = {"batch": "{batch}"}
# an import is seen where the role may import (its change reach in every role here)
IMPORTER = {"needs": IMPORT_SALES, "reach": CHANGE}

ACCESS = {
    "sales:cockpit": [
        Expect(query=DAY),
        *(Expect(query={**DAY, "export": name}) for name in ("ranking", "games", "monthly")),
        # the drill-down: a city or county outside the role's view is a 404, as a missing one
        Expect(query={**DAY, "city": "{city}"}),
        Expect(query={**DAY, "county": "{county}"}),
        Expect(query={**DAY, "county": "{county}", "export": "ranking"}),
    ],
    "sales:import_list": Expect(**IMPORTER),
    "sales:import_new": [
        Expect(**IMPORTER),
        Expect(**IMPORTER, method="POST", data={"kind": "daily"}, ok=400),
    ],
    "sales:import_detail": Expect(**IMPORTER, path=BATCH),
    "sales:import_progress": Expect(**IMPORTER, path=BATCH),
    "sales:import_errors": Expect(**IMPORTER, path=BATCH),
    # the targets page: every role its own targets (none in the matrix's world: an empty table)
    "sales:targets": [
        Expect(query=DAY),
        Expect(query={**DAY, "level": "station"}),
        Expect(query={**DAY, "level": "manager", "format": "xlsx"}),
    ],
    # setting them: the provincial centre only (a year's targets are one document)
    "sales:targets_template": Expect(needs=SET_SALES_TARGETS, query={"year": "2023"}),
    "sales:targets_import": Expect(needs=SET_SALES_TARGETS, method="POST", data={}, ok=400),
    "sales:targets_entry": Expect(
        needs=SET_SALES_TARGETS,
        method="POST",
        data={"year": "2023", "level": "city", "code": "360700", "annual": "x"},
        ok=400,
    ),
    "fucai_sales_api_targets_targets_completion": [
        Expect(api=True, query=DAY),
        Expect(api=True, query={**DAY, "level": "station"}),
    ],
    "fucai_sales_api_summary_summary": [
        Expect(api=True, query=DAY),
        Expect(api=True, query={**DAY, "by": "station"}),
    ],
    "fucai_sales_api_cockpit_monthly": [
        Expect(api=True, query=DAY),
        Expect(api=True, query={**DAY, "city": "{city}"}, unseen=403),
    ],
    "fucai_sales_api_cockpit_games": [
        Expect(api=True, query=DAY),
        Expect(api=True, query={**DAY, "county": "{county}"}, unseen=403),
    ],
    "fucai_sales_api_cockpit_sales_map": [
        # a role that sees no city (赣州's user administrator) gets 403, not an empty map
        Expect(api=True, query=DAY, roles={"ganzhou_admin": 403}),
        Expect(api=True, query={**DAY, "city": "{city}"}, unseen=403),
        Expect(api=True, query={**DAY, "county": "{county}"}, unseen=403),
    ],
}
