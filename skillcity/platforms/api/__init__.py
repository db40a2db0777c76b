"""/api/v1/platforms/: one router; each part adds its own sub-router (one line each)."""

from __future__ import annotations

from ninja import Router

from skillcity.platforms.api import bases, experts, standards, studios, subbases

router = Router(tags=["platforms"])
router.add_router("", studios.router)
router.add_router("", subbases.router)
router.add_router("", bases.router)
router.add_router("", standards.router)
router.add_router("", experts.router)
