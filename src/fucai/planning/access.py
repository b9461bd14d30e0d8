"""What the planning URLs answer each role (the permission matrix, fucai.core.testing.matrix):
the blank areas of the user's own cities; another city's (`?city=`) is a 404 like a city that
does not exist. The demand layers are managed by the provincial centre only."""

from __future__ import annotations

from fucai.core.grant import EDIT_SPACING_RULES
from fucai.core.testing.matrix import Expect

CITY = {"city": "{city}"}

ACCESS = {
    "planning:blank_areas": [
        Expect(),
        Expect(query=CITY),
        Expect(query={**CITY, "format": "xlsx"}),
        Expect(query={**CITY, "format": "geojson"}),
    ],
    "planning:blank_area_data": [Expect(), Expect(query=CITY)],
    "fucai_planning_api_blank_areas": [Expect(api=True), Expect(api=True, query=CITY)],
    "fucai_planning_api_blank_area_cells": Expect(api=True, query=CITY),
    # the demand layers: the provincial centre's (who edits the spacing rules); a POST without
    # a file is a form with errors
    "planning:demand_layers": [
        Expect(needs=EDIT_SPACING_RULES, roles={"province": 200}),
        Expect(method="POST", data={}, needs=EDIT_SPACING_RULES, roles={"province": 400}),
    ],
}
