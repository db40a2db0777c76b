"""/api/v1/talents/: one router; each area adds its own sub-router (one line each)."""

from __future__ import annotations

from ninja import Router

from skillcity.talents.api import cards, leading

router = Router(tags=["talents"])
router.add_router("", cards.router)
router.add_router("", leading.router)
