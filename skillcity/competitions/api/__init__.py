"""/api/v1/competitions/: one router; each area adds its own sub-router (one line each)."""

from __future__ import annotations

from ninja import Router

from skillcity.competitions.api import awards, contests, marking, public, titles

router = Router(tags=["competitions"])
router.add_router("", contests.router)
router.add_router("", marking.router)
router.add_router("", awards.router)
router.add_router("", titles.router)
router.add_router("", public.router)
