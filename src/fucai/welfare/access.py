"""What the welfare module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix): projects, grants and beneficiaries need welfare affairs
(`welfare_affairs`: 403 without it, for the network's editors too); a grant outside the role's
welfare reach is a 404 (reach WELFARE: 九江's welfare officer sees 九江's only).

The fund raised (fucai.welfare.views_fund, api): whoever sees sales sees the fund they raised,
in their scope (the responses are scanned for other cities' strings); the fund rates are
published figures listed for everyone, changed only with `edit_fund_rates` (the province)."""

from __future__ import annotations

from fucai.core.grant import EDIT_FUND_RATES
from fucai.core.testing.matrix import SALES_AS_OF, Expect

DAY = {"as_of": SALES_AS_OF}
RATE_EDITOR = {"needs": EDIT_FUND_RATES}

ACCESS: dict[str, Expect | list[Expect]] = {
    "welfare:raised": [Expect(query=DAY), Expect(query={**DAY, "format": "xlsx"})],
    "welfare:rate_list": Expect(),
    "welfare:rate_new": [
        Expect(**RATE_EDITOR),
        Expect(**RATE_EDITOR, method="POST", data={"rate": "2"}, ok=400),
    ],
    "welfare:rate_edit": Expect(**RATE_EDITOR, path={"pk": "{fund_rate}"}),
    "fucai_welfare_api_get_raised": [
        Expect(api=True, query=DAY),
        Expect(api=True, query={**DAY, "by": "city"}),
        Expect(api=True, query={**DAY, "by": "game"}),
    ],
}
