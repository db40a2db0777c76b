"""/api/v1/talents/: one router; each area adds its own sub-router below (one line each)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["talents"])
# router.add_router("", <area>.router) — one line per area module.
from skillcity.talents.api import leading as _leading  # noqa: E402

router.add_router("", _leading.router)
