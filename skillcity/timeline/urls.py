"""/timeline/."""

from __future__ import annotations

from skillcity.timeline.views import urlpatterns

app_name = "timeline"
__all__ = ["app_name", "urlpatterns"]
