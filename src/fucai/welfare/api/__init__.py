"""The welfare part of the API: /api/welfare/…"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["welfare"])
