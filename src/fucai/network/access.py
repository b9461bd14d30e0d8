"""What the network's URLs answer each role (the permission matrix, fucai.core.testing.matrix):
a station outside the role's reach is a 404 on every path; changes need the capability to edit
master data (403 without it) and the station in the change reach."""

from __future__ import annotations

from fucai.core.grant import EDIT_MASTER_DATA, EDIT_SPACING_RULES
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

# -- field visits (fucai.network.visit_views, fucai.network.api.visits) ----------------------
# Recording needs `record_visits` (the centre, city agencies, market managers, Party affairs) at
# the station: another's station is a 404. A visit is seen where its station is (or by its own
# manager): another city's visit is a 404 on every path.
from fucai.accounts.grants import RECORD_VISITS  # noqa: E402

VISIT = {"pk": "{visit}"}
NEW_VISIT = {
    "idempotency_key": "8d0c1a52-6f0e-4b7e-9a51-0f3c2d9e7a10",
    "station": "{station}",
    "visited_on": "2023-09-01",
    "purpose": "routine",
    "findings": "矩阵走访",
    "lon": "{lon}",
    "lat": "{lat}",
}
ACCESS.update(
    {
        "network:visit_list": [
            Expect(),
            Expect(query={"format": "xlsx"}),
            Expect(query={"station": "{station}"}, unseen=200),  # an empty list
        ],
        "network:visit_new": [
            Expect(needs=RECORD_VISITS),
            Expect(method="POST", data={}, needs=RECORD_VISITS, ok=400),
            Expect(method="POST", data=NEW_VISIT, needs=RECORD_VISITS, ok=302),
        ],
        # the service worker: a script without data, for everybody (it is fetched logged in)
        "network:visit_sw": Expect(anonymous=200, scan=False),
        "network:visit_indicators": [Expect(), Expect(query={"format": "xlsx"})],
        "network:visit_detail": Expect(path=VISIT),
        "fucai_network_api_visits_list_visits": [
            Expect(api=True),
            Expect(api=True, query={"station": "{station}"}, unseen=200),
        ],
        "fucai_network_api_visits_create_visit": Expect(
            api=True, method="POST", data=NEW_VISIT, needs=RECORD_VISITS, ok=201
        ),
        "fucai_network_api_visits_indicators": Expect(api=True),
    }
)

# --- 四帮 onboarding (fucai.network.onboarding_views, api/onboarding.py) ---------------------
# a plan and its tasks follow their station (404 outside the view); a task is completed by its
# assignee or whoever may change the station (403 for the others who see it); the template is
# the provincial centre's (edit_onboarding_template)
EDIT_ONBOARDING_TEMPLATE = "edit_onboarding_template"
SURVEY_TASK = {"code": "{station}", "number": "1"}
TEMPLATE_ROLES = {"province": 200}
ACCESS |= {
    "network:onboarding_plan": Expect(path=STATION),
    "network:onboarding_task": [
        Expect(path=SURVEY_TASK),
        Expect(method="POST", data={}, path=SURVEY_TASK, reach=CHANGE, ok=400, unchangeable=403),
    ],
    "network:onboarding_overdue": [
        Expect(),
        Expect(query={"as_of": "2023-12-31", "format": "xlsx"}),
        Expect(query={"city": "{city}", "as_of": "2023-12-31"}, unseen=200),
        Expect(query={"mine": "1"}),
    ],
    "network:onboarding_template": [
        Expect(needs=EDIT_ONBOARDING_TEMPLATE, roles=TEMPLATE_ROLES),
        Expect(
            method="POST",
            data={},
            needs=EDIT_ONBOARDING_TEMPLATE,
            roles={"province": 400},
        ),
    ],
    "fucai_network_api_onboarding_station_plan": Expect(api=True, path=STATION),
    "fucai_network_api_onboarding_overdue_tasks": [
        Expect(api=True, query={"as_of": "2023-12-31"}),
        Expect(api=True, query={"as_of": "2023-12-31", "city": "{city}"}, unseen=200),
    ],
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

# -- leads (布点机会) and the spacing check: fucai.network.lead_views and api/leads.py ------------
# A lead hangs off its city and county: city agencies of that city and the province see it
# (market managers and owners, whose reach is stations, see none). Recording one needs
# edit_master_data in the county's change reach; another city's county is a 403, like a
# station's code. The check of a site is for everybody; it names no station the caller cannot see.
LEAD = {"pk": "{lead}"}
NEW_LEAD = {
    "contact_name": "矩阵联系人",
    "contact_phone": "13700003333",
    "county": "{county}",
    "address": "矩阵路9号",
    "lon": "{lon}",
    "lat": "{lat}",
    "scene": "supermarket",
    "operation": "dedicated",
    "source": "poster",
    "received_on": "2023-09-01",
}
CHECK_SITE = {"lon": "{lon}", "lat": "{lat}", "operation": "dedicated", "scene": "supermarket"}
ACCESS.update(
    {
        "fucai_network_api_leads_list_leads": [
            Expect(api=True),
            Expect(api=True, query={"city": "{city}"}, unseen=200),
        ],
        "fucai_network_api_leads_get_lead": Expect(
            api=True, path={"lead_id": "{lead}"}, roles=NOT_STATION_PEOPLE
        ),
        "fucai_network_api_leads_create_lead": Expect(
            api=True,
            method="POST",
            data=NEW_LEAD,
            needs=EDIT_MASTER_DATA,
            reach=CHANGE,
            ok=201,
            unseen=403,
            unchangeable=403,
        ),
        "fucai_network_api_leads_check_site": Expect(api=True, query=CHECK_SITE, unseen=200),
    }
)
ACCESS.update(
    {
        "network:lead_list": [
            Expect(),
            Expect(query={"format": "xlsx"}),
            Expect(query={"city": "{city}"}, unseen=200),
            Expect(query={"status": "new", "source": "poster"}),
        ],
        "network:lead_detail": Expect(path=LEAD, roles=NOT_STATION_PEOPLE),
        "network:lead_new": [
            Expect(needs=EDIT_MASTER_DATA),
            Expect(method="POST", data={}, needs=EDIT_MASTER_DATA, ok=400),
        ],
        "network:lead_transition": Expect(
            method="POST",
            data={},
            path=LEAD,
            needs=EDIT_MASTER_DATA,
            reach=CHANGE,
            ok=400,
            unchangeable=403,
        ),
        "network:lead_edit": [
            Expect(path=LEAD, needs=EDIT_MASTER_DATA, reach=CHANGE, unchangeable=403),
            Expect(
                method="POST",
                data={},
                path=LEAD,
                needs=EDIT_MASTER_DATA,
                reach=CHANGE,
                ok=400,
                unchangeable=403,
            ),
        ],
        "network:lead_convert": Expect(
            method="POST",
            data={},
            path=LEAD,
            needs=EDIT_MASTER_DATA,
            reach=CHANGE,
            ok=400,
            unchangeable=403,
        ),
    }
)
PERSONAL_FIELDS["network.Lead"] = ("contact_name", "contact_phone")

# -- spacing rules and point layers (fucai.network.spacing_views): the provincial centre only ----
SPACING_ROLES = {"province": 200}
RULE = {"pk": "{spacing_rule}"}
ACCESS |= {
    "network:spacing_rules": [
        Expect(needs=EDIT_SPACING_RULES, roles=SPACING_ROLES),
        Expect(method="POST", data={}, needs=EDIT_SPACING_RULES, roles={"province": 400}),
    ],
    "network:spacing_rule_edit": [
        Expect(path=RULE, needs=EDIT_SPACING_RULES, roles=SPACING_ROLES),
        Expect(
            method="POST", path=RULE, data={}, needs=EDIT_SPACING_RULES, roles={"province": 400}
        ),
    ],
    "network:spacing_layer_import": Expect(
        method="POST", data={}, needs=EDIT_SPACING_RULES, roles={"province": 400}
    ),
}
