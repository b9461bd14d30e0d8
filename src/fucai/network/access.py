"""What the network's URLs answer each role (the permission matrix, fucai.core.testing.matrix):
a station outside the role's reach is a 404 on every path; changes need the capability to edit
master data (403 without it) and the station in the change reach."""

from __future__ import annotations

from fucai.core.grant import EDIT_MASTER_DATA
from fucai.core.testing.matrix import CHANGE, Expect

STATION = {"code": "{station}"}
# a POST without data: refused (403/404) for those who may not, a form with errors (400) for
# those who may
CHANGE_FORM = {"method": "POST", "data": {}, "path": STATION, "needs": EDIT_MASTER_DATA}
NEW_STATION = {
    "code": "{new_station}",
    "name": "矩阵新站",
    "county": "{county}",
    "address": "矩阵路1号",
    "lon": "{lon}",
    "lat": "{lat}",
    "scene": "street",
    "operation": "shared",
}

ACCESS = {
    "network:overview": [
        Expect(),
        Expect(query={"format": "xlsx"}),
        Expect(query={"by": "city"}),
        Expect(query={"export": "alerts"}),  # the sales alerts in Excel
    ],
    # an owner's landing: a redirect to their station's page or to the station list, for all
    "network:own_stations": Expect(ok=302),
    # the owner's phone in full, once, audited: for those who may change the station
    "network:owner_phone": Expect(**CHANGE_FORM, reach=CHANGE),
    "network:station_list": [
        Expect(),
        Expect(query={"format": "xlsx"}),
        Expect(query={"city": "{city}"}, unseen=200),
    ],
    "network:station_detail": [
        Expect(path=STATION),
        Expect(path=STATION, query={"export": "history"}),
        Expect(path=STATION, query={"export": "managers"}),
        Expect(path=STATION, query={"export": "ytd"}),
        Expect(path=STATION, query={"export": "position"}),  # its rank: a number, no figures
        Expect(path=STATION, query={"export": "monthly"}),
        Expect(path=STATION, query={"export": "games"}),
    ],
    # the station page's chart data
    "network:station_sales": [
        Expect(path=STATION, query={"chart": "monthly"}),
        Expect(path=STATION, query={"chart": "games"}),
    ],
    "network:station_edit": Expect(**CHANGE_FORM, reach=CHANGE, ok=400),
    "network:station_transition": Expect(**CHANGE_FORM, reach=CHANGE, ok=400),
    "network:map": Expect(),
    "network:map_stations": [Expect(), Expect(query={"city": "{city}"}, unseen=200)],
    "network:import": [
        Expect(needs=EDIT_MASTER_DATA),
        Expect(method="POST", data={}, needs=EDIT_MASTER_DATA),
    ],
    # the API: outside the view reach 404, seen but not changeable 403
    "fucai_network_api_stations_list_stations": [
        Expect(api=True),
        Expect(api=True, query={"city": "{city}"}, unseen=200),
    ],
    "fucai_network_api_stations_create_station": Expect(
        api=True,
        method="POST",
        data=NEW_STATION,
        needs=EDIT_MASTER_DATA,
        reach=CHANGE,
        ok=201,
        unseen=403,
        unchangeable=403,
    ),
    "fucai_network_api_stations_get_station": Expect(api=True, path=STATION),
    "fucai_network_api_stations_update_station": Expect(
        api=True,
        method="PATCH",
        path=STATION,
        data={"staff_count": 4},
        reach=CHANGE,
        unchangeable=403,
    ),
    "fucai_network_api_stations_transition_station": Expect(
        api=True,
        method="POST",
        path=STATION,
        data={"status": "suspended", "date": "2023-10-01"},
        reach=CHANGE,
        ok=201,
        unchangeable=403,
    ),
    "fucai_network_api_stations_station_history": Expect(api=True, path=STATION),
    "fucai_network_api_lists_summary": [Expect(api=True), Expect(api=True, query={"by": "county"})],
    "fucai_network_api_lists_list_managers": Expect(api=True),
    "fucai_network_api_lists_list_territories": Expect(api=True),
    "fucai_network_api_lists_list_partners": Expect(api=True),
}

# -- partners (组织联姻): fucai.network.partner_views and api/partners.py ------------------------
# A partner hangs off its city: city agencies of that city and the province see it (market
# managers and owners, whose reach is stations, see none: the list is empty, a partner a 404).
from fucai.core.grant import SEE_PERSONAL_DATA  # noqa: E402

PARTNER = {"pk": "{partner}"}
NOT_STATION_PEOPLE = {"manager": 404, "owner": 404}
ACCESS.update(
    {
        "network:partner_list": [
            Expect(),
            Expect(query={"format": "xlsx"}),
            Expect(query={"as_of": "2023-09-03"}),
            Expect(query={"city": "{city}"}, unseen=200),
        ],
        "network:partner_detail": [
            Expect(path=PARTNER, roles=NOT_STATION_PEOPLE),
            Expect(path=PARTNER, query={"as_of": "2023-09-03"}, roles=NOT_STATION_PEOPLE),
            Expect(path=PARTNER, query={"export": "sites"}, roles=NOT_STATION_PEOPLE),
            Expect(path=PARTNER, query={"export": "agreements"}, roles=NOT_STATION_PEOPLE),
            Expect(path=PARTNER, query={"export": "outlets"}, roles=NOT_STATION_PEOPLE),
        ],
        # an agreement's contact in full, once, audited: for those who may change the partner
        "network:partner_contact": Expect(
            method="POST",
            path={"pk": "{partner_agreement}"},
            needs=SEE_PERSONAL_DATA,
            reach=CHANGE,
        ),
        "fucai_network_api_partners_partner_sales": [
            Expect(api=True),
            Expect(api=True, query={"as_of": "2023-09-03"}),
            Expect(api=True, query={"city": "{city}"}, unseen=200),
        ],
        "fucai_network_api_partners_get_partner": Expect(
            api=True, path={"partner_id": "{partner}"}, roles=NOT_STATION_PEOPLE
        ),
    }
)

# personal data of the partner models (fucai.core.personal.PersonalField: encrypted at rest,
# masked in pages, exports, the API and the audit trail)
PERSONAL_FIELDS = {
    "network.PartnerOrganisation": ("contact_name",),
    "network.PartnerAgreement": ("contact_name", "contact_phone"),
}
