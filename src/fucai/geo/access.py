"""What the geography URLs answer each role (the permission matrix, fucai.core.testing.matrix):
boundaries are cut to the role's cities; the divisions are public geography."""

from __future__ import annotations

from fucai.core.testing.matrix import Expect

ACCESS = {
    "geo:boundaries": [
        Expect(path={"level": "city"}),
        Expect(path={"level": "county"}),
        Expect(path={"level": "county"}, query={"city": "{city}"}, unseen=200),
        Expect(path={"level": "town"}, ok=404),
    ],
    "fucai_geo_api_list_divisions": Expect(api=True, scan=False),
    "fucai_geo_api_get_boundaries": [
        Expect(api=True, path={"level": "city"}),
        Expect(api=True, path={"level": "county"}),
    ],
}
