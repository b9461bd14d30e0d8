"""What the reports module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix).

The bulletin (`reports:home`): every signed-in role gets the page; a scope is the province or a
whole city in the role's view — another city's bulletin (`?scope=` its adcode) is the same 404
as a scope that does not exist. A market manager or an owner (who see stations, not a city)
and a user administrator (no network data) hold no scope: the page says so, and any scope they
ask for is a 404. The sentence templates are the provincial centre's editors' (master data over
the whole province): a city agency's editors get 403 like everyone else.

The bulletin's downloads: a city's bulletin to the roles that see the whole city (not a market
manager or an owner, who see some of its stations: 404), the province's to the roles that see
everything (the provincial centre, the province's Party affairs); a date that is not one is a
400 for every signed-in role.

Report packs (fucai.reports.visibility): the archive lists the packs whose whole scope the
role's view reach holds (anyone signed in gets the page, perhaps empty); a pack outside it is a
404 like a missing one — a market manager or an owner, who see stations and not their city,
see no city's pack. Making a pack now needs `generate_report_packs` (the provincial centre)."""

from __future__ import annotations

from fucai.core.grant import EDIT_MASTER_DATA, GENERATE_REPORT_PACKS
from fucai.core.testing.matrix import SALES_AS_OF, Expect

DAY = {"as_of": SALES_AS_OF}
# seeing a city's stations one by one is not holding the city (no city bulletin, no city pack)
STATION_PEOPLE = {"manager": 404, "owner": 404}
# the province's editors only (a city agency's editors hold master data of their city)
PROVINCE_EDITORS = {
    "needs": EDIT_MASTER_DATA,
    "roles": {"ganzhou": 403, "jiujiang": 403, "two_roles": 403},
}
# who sees the province whole (every other signed-in role gets a 404 for it)
PROVINCE_ROLES = ("province", "party")
SIGNED_IN = ("province", "ganzhou", "jiujiang", "manager", "owner", "party", "welfare",
             "two_roles", "ganzhou_admin")  # fmt: skip


def _bulletin() -> list[Expect]:
    province = {role: 200 if role in PROVINCE_ROLES else 404 for role in SIGNED_IN}
    return [
        Expect(query={"as_of": SALES_AS_OF, "scope": "{city}"}, roles=STATION_PEOPLE),
        Expect(query={"as_of": SALES_AS_OF, "scope": "province"}, roles=province),
        Expect(query={"as_of": "2023-02-30", "scope": "province"}, ok=400),
    ]


ACCESS: dict[str, Expect | list[Expect]] = {
    "reports:home": [
        Expect(query=DAY),
        Expect(query={**DAY, "scope": "{city}"}, roles=STATION_PEOPLE),
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
    "reports:bulletin_docx": _bulletin(),
    "reports:bulletin_pdf": _bulletin(),
    "reports:packs": Expect(),
    "reports:pack_new": Expect(
        needs=GENERATE_REPORT_PACKS, method="POST", data={"period": "2023"}, ok=400
    ),
    "reports:pack_download": Expect(path={"pk": "{report_pack}"}, roles=STATION_PEOPLE),
}
