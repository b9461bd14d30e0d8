"""What the planning URLs answer each role (the permission matrix, fucai.core.testing.matrix):
the blank areas of the user's own cities; another city's (`?city=`) is a 404 like a city that
does not exist. The demand layers are managed by the provincial centre only."""

from __future__ import annotations

from fucai.core.grant import EDIT_MASTER_DATA, EDIT_SPACING_RULES
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

SCENARIO = {"pk": "{scenario}"}
# a scenario belongs to its city: a market manager's or an owner's reach is stations, not cities
NOT_STATION_PEOPLE = {"manager": 404, "owner": 404}
ACCESS |= {
    "planning:scenario_list": [
        Expect(),
        Expect(method="POST", data={"name": ""}, needs=EDIT_MASTER_DATA, ok=200),
    ],
    "planning:scenario_detail": [
        Expect(path=SCENARIO, roles=NOT_STATION_PEOPLE),
        Expect(path=SCENARIO, query={"format": "xlsx"}, roles=NOT_STATION_PEOPLE),
        Expect(path=SCENARIO, query={"format": "geojson"}, roles=NOT_STATION_PEOPLE),
    ],
    "planning:scenario_progress": Expect(path=SCENARIO, roles=NOT_STATION_PEOPLE),
    "planning:scenario_data": Expect(path=SCENARIO, roles=NOT_STATION_PEOPLE),
    "planning:scenario_compare": Expect(query={"id": "{scenario}"}, roles=NOT_STATION_PEOPLE),
    "planning:site_lead": Expect(
        method="POST",
        path={**SCENARIO, "rank": "1"},
        needs=EDIT_MASTER_DATA,
        reach="change",
        ok=302,
    ),
    "fucai_planning_api_scenarios": Expect(api=True),
    "fucai_planning_api_scenario": Expect(
        api=True, path={"scenario_id": "{scenario}"}, roles=NOT_STATION_PEOPLE
    ),
}
