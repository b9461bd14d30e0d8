"""What the Party module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix): everything needs the Party-affairs capability (403 without it, for
the provincial centre's editors too); a branch or meeting outside the role's Party branches is a
404 (reach PARTY: 九江's Party affairs see 九江's branch only)."""

from __future__ import annotations

from fucai.core.grant import PARTY_AFFAIRS
from fucai.core.testing.matrix import PARTY, Expect

BRANCH = {"branch": "{branch}"}
PARTY_PAGE = {"needs": PARTY_AFFAIRS}
OF_BRANCH = {"needs": PARTY_AFFAIRS, "reach": PARTY}

ACCESS = {
    "party:home": Expect(**PARTY_PAGE),
    "party:branch_list": Expect(**PARTY_PAGE),
    "party:member_list": [Expect(**PARTY_PAGE), Expect(**OF_BRANCH, query=BRANCH)],
    "party:meeting_list": [
        Expect(**PARTY_PAGE),
        Expect(**OF_BRANCH, query={**BRANCH, "type": "committee"}),
    ],
    "party:meeting_detail": Expect(**OF_BRANCH, path={"pk": "{meeting}"}),
    # a POST without data: a form with errors (400) for those who may
    "party:meeting_new": [
        Expect(**PARTY_PAGE),
        Expect(**PARTY_PAGE, method="POST", data={}, ok=400),
    ],
    "party:compliance": [
        Expect(**PARTY_PAGE),
        Expect(**OF_BRANCH, query={**BRANCH, "year": "2023", "as_of": "2023-09-03"}),
        Expect(**OF_BRANCH, query={**BRANCH, "year": "2023", "format": "xlsx"}),
    ],
    "party:pairing_list": [
        Expect(**PARTY_PAGE),
        Expect(**PARTY_PAGE, query={"as_of": "2023-09-03", "stale_days": "30"}),
        Expect(**PARTY_PAGE, query={"as_of": "2023-09-03", "format": "xlsx"}),
    ],
    "party:pairing_new": [
        Expect(**PARTY_PAGE),
        Expect(**PARTY_PAGE, method="POST", data={}, ok=400),
    ],
    "party:pairing_detail": Expect(**OF_BRANCH, path={"pk": "{pairing}"}),
    "party:area_list": [
        Expect(**PARTY_PAGE),
        Expect(**PARTY_PAGE, query={"as_of": "2023-09-03"}),
        Expect(**PARTY_PAGE, query={"as_of": "2023-09-03", "format": "xlsx"}),
    ],
    "party:area_detail": Expect(**OF_BRANCH, path={"pk": "{area}"}),
    "party:area_map": Expect(**OF_BRANCH, path={"pk": "{area}"}, query={"as_of": "2023-09-03"}),
    "party:study_list": [
        Expect(**PARTY_PAGE),
        Expect(**PARTY_PAGE, method="POST", data={}, ok=400),
    ],
    "party:study_detail": [
        Expect(**OF_BRANCH, path={"pk": "{study}"}),
        Expect(**OF_BRANCH, path={"pk": "{study}"}, query={"format": "xlsx"}),
    ],
    "party:study_progress": Expect(**OF_BRANCH, path={"pk": "{study}"}),
    "fucai_party_api_list_branches": Expect(api=True, **PARTY_PAGE),
    "fucai_party_api_get_pairing_coverage": Expect(
        api=True, **PARTY_PAGE, query={"as_of": "2023-09-03"}
    ),
    "fucai_party_api_list_areas": Expect(api=True, **PARTY_PAGE, query={"as_of": "2023-09-03"}),
    "fucai_party_api_get_effect_study": Expect(api=True, **OF_BRANCH, path={"study_id": "{study}"}),
    "fucai_party_api_get_compliance": [
        Expect(api=True, **PARTY_PAGE, query={"year": "2023"}),
        Expect(api=True, **OF_BRANCH, query={**BRANCH, "year": "2023"}),
    ],
}

# the 四强 self-assessment: a branch's year (2023: the seeded checklist's first year)
OF_YEAR = {**OF_BRANCH, "path": {"code": "{branch}", "year": "2023"}}
ACCESS |= {
    "party:assessment_list": Expect(**PARTY_PAGE),
    "party:assessment_detail": [Expect(**OF_YEAR), Expect(**OF_YEAR, query={"format": "xlsx"})],
    "party:assessment_edit": [
        Expect(**OF_YEAR),
        Expect(**OF_YEAR, method="POST", data={}, ok=400),
    ],
    "fucai_party_api_list_assessments": [
        Expect(api=True, **PARTY_PAGE),
        Expect(api=True, **OF_BRANCH, query={**BRANCH, "year": "2023"}),
    ],
}

# members: the list's Excel export (masked), adding one, editing or deleting one of one's
# branches
ACCESS["party:member_list"].append(Expect(**OF_BRANCH, query={**BRANCH, "format": "xlsx"}))
ACCESS |= {
    "party:member_new": [
        Expect(**PARTY_PAGE),
        Expect(**PARTY_PAGE, method="POST", data={}, ok=400),
    ],
    "party:member_edit": [
        Expect(**OF_BRANCH, path={"pk": "{member}"}),
        Expect(**OF_BRANCH, path={"pk": "{member}"}, method="POST", data={}, ok=400),
    ],
    # the fixture member chairs a meeting: its deletion is refused (409), the page says why
    "party:member_delete": [
        Expect(**OF_BRANCH, path={"pk": "{member}"}),
        Expect(**OF_BRANCH, path={"pk": "{member}"}, method="POST", ok=409),
    ],
}

# 党员先锋示范岗 (fucai.party.views_vanguard, api): Party affairs only; a consent outside the
# role's branches is a 404; a POST without data is a form with errors (400)
ACCESS |= {
    "party:vanguard_list": [
        Expect(**PARTY_PAGE),
        Expect(**PARTY_PAGE, query={"as_of": "2023-09-03"}),
        Expect(**PARTY_PAGE, query={"as_of": "2023-09-03", "format": "xlsx"}),
    ],
    "party:vanguard_map": Expect(**PARTY_PAGE, query={"as_of": "2023-09-03"}),
    "party:vanguard_consent_new": [
        Expect(**PARTY_PAGE),
        Expect(**PARTY_PAGE, method="POST", data={}, ok=400),
    ],
    "party:vanguard_consent_revoke": Expect(
        **OF_BRANCH, path={"pk": "{vanguard_consent}"}, method="POST", data={}, ok=400
    ),
    "fucai_party_api_list_vanguard": [
        Expect(api=True, **PARTY_PAGE),
        Expect(api=True, **PARTY_PAGE, query={"as_of": "2023-09-03"}),
    ],
}
