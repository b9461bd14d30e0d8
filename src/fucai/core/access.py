"""What core's URLs answer each role (the permission matrix, fucai.core.testing.matrix): the
home page and the audit trail (pages and Excel), login, logout, the language switch, the API's
schema and docs, the audit API, and attachments (a photo of a station of each city: seen by whoever
sees the station)."""

from __future__ import annotations

from fucai.core.testing.matrix import LOGIN, Expect

XLSX = {"format": "xlsx"}
PUBLIC = {"anonymous": 200, "scan": False}  # the same for everyone, no data of anybody

ACCESS = {
    "core:home": Expect(ok=302),  # to the first landing page the grant allows
    "core:audit": [Expect(), Expect(query=XLSX)],
    "login": [Expect(anonymous=200), Expect(method="POST", data={}, anonymous=200)],
    "logout": Expect(method="POST", data={}, ok=LOGIN, anonymous=LOGIN),
    "set_language": Expect(method="POST", data={"language": "en"}, ok=302, anonymous=302),
    "api:openapi-json": Expect(**PUBLIC),
    "api:openapi-view": Expect(**PUBLIC),
    "api:api-root": Expect(ok=404, anonymous=404),
    "fucai_core_api_audit_list_changes": [
        Expect(api=True),
        Expect(api=True, query={"station": "{station}"}, unseen=200),
        Expect(api=True, query={"object_type": "network.station"}),
    ],
    # a photo of the object's station (fucai.core.attachments): the file and its thumbnail
    "core:attachment": Expect(path={"pk": "{attachment}"}, scan=False),
    "core:attachment_thumb": Expect(path={"pk": "{attachment}"}, scan=False),
}
