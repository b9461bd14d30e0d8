"""The sales part of the API: /api/sales/… (figures in the caller's scope, `Scope.for_user`)."""

from __future__ import annotations

from ninja import Router

from fucai.sales.api import cockpit, summary, targets

router = Router()
router.add_router("", summary.router)
router.add_router("", cockpit.router)
router.add_router("", targets.router)
