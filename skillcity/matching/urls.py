"""/matching/."""

from __future__ import annotations

from skillcity.matching.views import urlpatterns

app_name = "matching"
__all__ = ["app_name", "urlpatterns"]
