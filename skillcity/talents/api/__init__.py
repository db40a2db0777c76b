"""/api/v1/talents/: one router; each area adds its own sub-router below (one line each)."""

from __future__ import annotations

from ninja import Router

from skillcity.talents.api import cards

router = Router(tags=["talents"])
# router.add_router("", <area>.router) — one line per area module.
router.add_router("", cards.router)
