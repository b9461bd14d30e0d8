"""What the welfare module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix): projects, grants and beneficiaries need welfare affairs
(`welfare_affairs`: 403 without it, for the network's editors too); a grant outside the role's
welfare reach is a 404 (reach WELFARE: 九江's welfare officer sees 九江's only)."""

from __future__ import annotations

from fucai.core.grant import WELFARE_AFFAIRS
from fucai.core.testing.matrix import WELFARE, Expect

PAGE = {"needs": WELFARE_AFFAIRS}
OF_CITY = {"needs": WELFARE_AFFAIRS, "reach": WELFARE}
XLSX = {"format": "xlsx"}

ACCESS: dict[str, Expect | list[Expect]] = {
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
