"""/api/v1/competitions/: one router; each area adds its own sub-router below (one line each)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["competitions"])
# router.add_router("", <area>.router) — one line per area module (contests, marking, awards, titles, public).
from skillcity.competitions.api import (  # noqa: E402 — the areas import `router`'s package
    awards,
    contests,
    marking,
    public,
    schemes,
    titles,
)

router.add_router("", contests.router)
router.add_router("", marking.router)
router.add_router("", schemes.router)
router.add_router("", awards.router)
router.add_router("", titles.router)
router.add_router("", public.router)
