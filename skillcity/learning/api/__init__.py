"""/api/v1/learning/: the same as the pages, one router per part (statements, courses, learners,
statistics), added here."""

from __future__ import annotations

from ninja import Router

from skillcity.learning.api import courses, statements, stats

router = Router(tags=["在线学习"])
router.add_router("", statements.router)
router.add_router("", courses.router)
router.add_router("", stats.router)
