"""The learning pages, one module per part: the public catalogue, the learner's pages and player, the
provider's courses, the bureau's review and statistics. Each module lists its `urlpatterns`."""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []

from skillcity.learning.views import statements  # noqa: E402

urlpatterns += statements.urlpatterns
