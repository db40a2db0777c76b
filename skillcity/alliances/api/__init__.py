"""/api/v1/alliances/: the same operations as the pages — create, members, documents, filing and the
bureau's decisions, Annex 1, half-year reports with Annex 3, Annex 2 as JSON, the .xlsx downloads.
Lookups through alliances.selectors (scoped like every page), writes through alliances.services."""

from __future__ import annotations

from ninja import Router

from skillcity.alliances.api import alliances, members, reports

router = Router(tags=["alliances"])
# Order matters for Django's URL matching: the fixed paths (/statistics) before /{pk}.
router.add_router("", alliances.router)
router.add_router("", members.router)
router.add_router("", reports.router)
