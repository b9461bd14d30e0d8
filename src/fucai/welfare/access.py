"""What the welfare module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix): projects, grants and beneficiaries need welfare affairs
(`welfare_affairs`: 403 without it, for the network's editors too); a grant outside the role's
welfare reach is a 404 (reach WELFARE: 九江's welfare officer sees 九江's only).

The fund raised (fucai.welfare.views_fund, api): whoever sees sales sees the fund they raised,
in their scope (the responses are scanned for other cities' strings); the fund rates are
published figures listed for everyone, changed only with `edit_fund_rates` (the province)."""

from __future__ import annotations

from fucai.core.grant import EDIT_FUND_RATES, RECORD_WELFARE_ACTIVITIES, WELFARE_AFFAIRS
from fucai.core.testing.matrix import ACTIVITIES, CHANGE, SALES_AS_OF, WELFARE, Expect

DAY = {"as_of": SALES_AS_OF}
RATE_EDITOR = {"needs": EDIT_FUND_RATES}
YEAR = {"year": "2023"}
ACTIVITY = {"pk": "{welfare_activity}"}
# an activity hangs off its city and county: a market manager or an owner (who see stations,
# not the city) does not see it
NOT_STATION_PEOPLE = {"manager": 404, "owner": 404}
RECORDER = {"needs": RECORD_WELFARE_ACTIVITIES}
PAGE = {"needs": WELFARE_AFFAIRS}
OF_CITY = {"needs": WELFARE_AFFAIRS, "reach": WELFARE}
XLSX = {"format": "xlsx"}

ACCESS: dict[str, Expect | list[Expect]] = {
    "welfare:raised": [Expect(query=DAY), Expect(query={**DAY, "format": "xlsx"})],
    "welfare:rate_list": Expect(),
    "welfare:rate_new": [
        Expect(**RATE_EDITOR),
        Expect(**RATE_EDITOR, method="POST", data={"rate": "2"}, ok=400),
    ],
    "welfare:rate_edit": Expect(**RATE_EDITOR, path={"pk": "{fund_rate}"}),
    # 福彩公益行 activities and placements, 福彩公益驿站, the map (fucai.welfare.views_activity)
    "welfare:activity_list": [Expect(query=YEAR), Expect(query={**YEAR, "format": "xlsx"})],
    "welfare:activity_detail": Expect(path=ACTIVITY, roles=NOT_STATION_PEOPLE),
    "welfare:activity_new": [
        Expect(**RECORDER),
        Expect(**RECORDER, method="POST", data={"title": ""}, ok=400),
    ],
    "welfare:activity_edit": [
        Expect(**RECORDER, path=ACTIVITY, reach=ACTIVITIES),
        Expect(
            **RECORDER, path=ACTIVITY, reach=ACTIVITIES, method="POST", data={"title": ""}, ok=400
        ),
    ],
    "welfare:post_list": [Expect(), Expect(query={"format": "xlsx"})],
    "welfare:post_edit": [
        Expect(path={"code": "{station}"}, reach=CHANGE),
        Expect(
            path={"code": "{station}"},
            reach=CHANGE,
            method="POST",
            data={"services": "no-such-service"},
            ok=400,
        ),
    ],
    "welfare:map": Expect(query=YEAR),
    "welfare:map_data": Expect(query=YEAR),
    "fucai_welfare_api_get_activities": Expect(api=True, query=YEAR),
    "fucai_welfare_api_get_posts": Expect(api=True),
    "fucai_welfare_api_get_raised": [
        Expect(api=True, query=DAY),
        Expect(api=True, query={**DAY, "by": "city"}),
        Expect(api=True, query={**DAY, "by": "game"}),
    ],
    # projects, grants, households, notices (pages)
    "welfare:projects": [
        Expect(**PAGE),
        Expect(**PAGE, query={"as_of": "2023-09-03"}),
        Expect(**PAGE, query={"as_of": "2023-09-03", **XLSX}),
    ],
    "welfare:project_detail": [
        Expect(**OF_CITY, path={"pk": "{welfare_project}"}),
        Expect(**OF_CITY, path={"pk": "{welfare_project}"}, query=XLSX),
    ],
    # creating and editing a project: a POST without data is the form's errors (400)
    "welfare:project_new": [Expect(**PAGE), Expect(**PAGE, method="POST", data={}, ok=400)],
    "welfare:project_edit": [
        Expect(**OF_CITY, path={"pk": "{welfare_project}"}),
        Expect(**OF_CITY, path={"pk": "{welfare_project}"}, method="POST", data={}, ok=400),
    ],
    # a move the lifecycle does not allow (an open project back to planned): refused (400)
    "welfare:project_move": Expect(
        **OF_CITY,
        path={"pk": "{welfare_project}"},
        method="POST",
        data={"to_status": "planned", "on": "2023-09-01"},
        ok=400,
    ),
    "welfare:grants": [
        Expect(**PAGE),
        Expect(**PAGE, query={"status": "approved", "year": "2023"}),
        Expect(**PAGE, query=XLSX),
    ],
    "welfare:grant_new": [Expect(**PAGE), Expect(**PAGE, method="POST", data={}, ok=400)],
    "welfare:grant_detail": Expect(**OF_CITY, path={"pk": "{grant}"}),
    # a POST without data: the form's errors (400) for those who may
    "welfare:grant_step": Expect(**OF_CITY, path={"pk": "{grant}"}, method="POST", data={}, ok=400),
    # paying a grant with an open objection: refused (400)
    "welfare:grant_objection": Expect(
        **OF_CITY, path={"pk": "{grant}"}, method="POST", data={}, ok=400
    ),
    "welfare:objection_resolve": Expect(
        **OF_CITY, path={"pk": "{objection}"}, method="POST", data={}, ok=400
    ),
    "welfare:households": [Expect(**PAGE), Expect(**PAGE, query=XLSX)],
    "welfare:household_detail": Expect(**OF_CITY, path={"pk": "{household}"}),
    # the household in full: a welfare officer of its city (see_beneficiaries), audited
    "welfare:household_show": Expect(**OF_CITY, path={"pk": "{household}"}, method="POST"),
    "welfare:notices": Expect(**PAGE),
    "welfare:notice_new": [Expect(**PAGE), Expect(**PAGE, method="POST", data={}, ok=400)],
    "welfare:notice_detail": [
        Expect(**OF_CITY, path={"pk": "{notice}"}),
        Expect(**OF_CITY, path={"pk": "{notice}"}, query=XLSX),
        Expect(**OF_CITY, path={"pk": "{notice}"}, query={"format": "pdf"}),
    ],
    # the API
    "fucai_welfare_api_get_grants_summary": [
        Expect(api=True, **PAGE, query={"as_of": "2023-09-03"}),
        Expect(api=True, **OF_CITY, query={"as_of": "2023-09-03", "city": "{city}"}),
    ],
    "fucai_welfare_api_list_grants": Expect(api=True, **PAGE, query={"year": "2023"}),
    "fucai_welfare_api_get_grant": Expect(api=True, **OF_CITY, path={"grant_id": "{grant}"}),
    # paying an approved grant whose objection is open: refused (400)
    "fucai_welfare_api_post_grant_step": Expect(
        api=True,
        **OF_CITY,
        method="POST",
        path={"grant_id": "{grant}"},
        data={"step": "payment", "on": "2023-09-01"},
        ok=400,
    ),
    # an objection after the notice period (1–7 August): refused (400)
    "fucai_welfare_api_post_grant_objection": Expect(
        api=True,
        **OF_CITY,
        method="POST",
        path={"grant_id": "{grant}"},
        data={"received_on": "2023-09-01", "text": "矩阵迟到异议"},
        ok=400,
    ),
    # an outcome that is neither dismissed nor upheld: refused (400)
    "fucai_welfare_api_post_objection_resolve": Expect(
        api=True,
        **OF_CITY,
        method="POST",
        path={"objection_id": "{objection}"},
        data={"outcome": "maybe", "resolution": "矩阵", "on": "2023-09-01"},
        ok=400,
    ),
}
