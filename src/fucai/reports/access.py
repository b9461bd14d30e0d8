"""What the reports module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix).

Report packs (fucai.reports.visibility): the archive lists the packs whose whole scope the
role's view reach holds (anyone signed in gets the page, perhaps empty); a pack outside it is a
404 like a missing one — a market manager or an owner, who see stations and not their city,
see no city's pack. Making a pack now needs `generate_report_packs` (the provincial centre)."""

from __future__ import annotations

from fucai.core.grant import GENERATE_REPORT_PACKS
from fucai.core.testing.matrix import Expect

STATION_PEOPLE = {"manager": 404, "owner": 404}

ACCESS: dict[str, Expect | list[Expect]] = {
    "reports:packs": Expect(),
    "reports:pack_new": Expect(
        needs=GENERATE_REPORT_PACKS, method="POST", data={"period": "2023"}, ok=400
    ),
    "reports:pack_download": Expect(path={"pk": "{report_pack}"}, roles=STATION_PEOPLE),
}
