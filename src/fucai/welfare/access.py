"""What the welfare module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix): projects, grants and beneficiaries need welfare affairs
(`welfare_affairs`: 403 without it, for the network's editors too); a grant outside the role's
welfare reach is a 404 (reach WELFARE: 九江's welfare officer sees 九江's only).

The fund raised (fucai.welfare.views_fund, api): whoever sees sales sees the fund they raised,
in their scope (the responses are scanned for other cities' strings); the fund rates are
published figures listed for everyone, changed only with `edit_fund_rates` (the province)."""

from __future__ import annotations

from fucai.core.grant import EDIT_FUND_RATES, RECORD_WELFARE_ACTIVITIES
from fucai.core.testing.matrix import ACTIVITIES, CHANGE, SALES_AS_OF, Expect

DAY = {"as_of": SALES_AS_OF}
RATE_EDITOR = {"needs": EDIT_FUND_RATES}
YEAR = {"year": "2023"}
ACTIVITY = {"pk": "{welfare_activity}"}
# an activity hangs off its city and county: a market manager or an owner (who see stations,
# not the city) does not see it
NOT_STATION_PEOPLE = {"manager": 404, "owner": 404}
RECORDER = {"needs": RECORD_WELFARE_ACTIVITIES}

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
}
