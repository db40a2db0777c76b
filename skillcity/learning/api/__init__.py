"""/api/v1/learning/: the same as the pages, one router per part (statements, courses, learners,
statistics), added here."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["在线学习"])

from skillcity.learning.api import statements  # noqa: E402

router.add_router("", statements.router)
