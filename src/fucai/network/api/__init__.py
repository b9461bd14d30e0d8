"""The network part of the API: /api/network/…"""

from __future__ import annotations

from ninja import Router

from fucai.network.api import lists, partners, stations

router = Router()
router.add_router("", stations.router)
router.add_router("", lists.router)
router.add_router("", partners.router)
