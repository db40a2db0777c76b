"""The learning pages, one module per part: the public catalogue, the learner's pages and player, the
provider's courses, the bureau's review and statistics, the public verification of a certificate. Each module lists its `urlpatterns`."""

from __future__ import annotations

from typing import Any

from skillcity.learning.views import catalogue, learners, provider, review, statements, verify

urlpatterns: list[Any] = [
    *catalogue.urlpatterns,
    *learners.urlpatterns,
    *provider.urlpatterns,
    *review.urlpatterns,
    *statements.urlpatterns,
    *verify.urlpatterns,
]
