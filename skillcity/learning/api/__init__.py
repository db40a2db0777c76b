"""/api/v1/learning/: the same as the pages, one router per part (statements, catalogue, provider,
review, statistics), added here."""

from __future__ import annotations

from ninja import Router

from skillcity.learning.api import catalogue, provider, review, statements, stats

router = Router(tags=["在线学习"])
router.add_router("", statements.router)
router.add_router("", catalogue.router)
router.add_router("", provider.router)
router.add_router("", review.router)
router.add_router("", stats.router)
