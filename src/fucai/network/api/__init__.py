"""The network part of the API: /api/network/…"""

from __future__ import annotations

from ninja import Router

from fucai.network.api import leads, lists, onboarding, partners, stations
from fucai.network.api import visits as field_visits

router = Router()
router.add_router("", stations.router)
router.add_router("", lists.router)
router.add_router("", field_visits.router)
router.add_router("", onboarding.router)  # 四帮 onboarding
router.add_router("", partners.router)
router.add_router("", leads.router)  # leads and the spacing check
