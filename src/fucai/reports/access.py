"""What the reports module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix).

The bulletin (`reports:home`): every signed-in role gets the page; a scope is the province or a
whole city in the role's view — another city's bulletin (`?scope=` its adcode) is the same 404
as a scope that does not exist. A market manager or an owner (who see stations, not a city)
and a user administrator (no network data) hold no scope: the page says so, and any scope they
ask for is a 404. The sentence templates are the provincial centre's editors' (master data over
the whole province): a city agency's editors get 403 like everyone else."""

from __future__ import annotations

from fucai.core.grant import EDIT_MASTER_DATA
from fucai.core.testing.matrix import SALES_AS_OF, Expect

DAY = {"as_of": SALES_AS_OF}
# seeing a city's stations one by one is not holding the city (no city bulletin)
NOT_STATION_PEOPLE = {"manager": 404, "owner": 404}
# the province's editors only (a city agency's editors hold master data of their city)
PROVINCE_EDITORS = {
    "needs": EDIT_MASTER_DATA,
    "roles": {"ganzhou": 403, "jiujiang": 403, "two_roles": 403},
}

ACCESS: dict[str, Expect | list[Expect]] = {
    "reports:home": [
        Expect(query=DAY),
        Expect(query={**DAY, "scope": "{city}"}, roles=NOT_STATION_PEOPLE),
    ],
    "reports:sentences": Expect(**PROVINCE_EDITORS),
    "reports:sentence_edit": [
        Expect(**PROVINCE_EDITORS, path={"pk": "1"}, scan=False),
        Expect(
            **PROVINCE_EDITORS,
            path={"pk": "1"},
            method="POST",
            data={"template": "{no_such_field}", "paragraph": "1", "order": "1"},
            ok=400,
            scan=False,
        ),
    ],
}
