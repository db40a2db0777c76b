"""/supervision/."""

from __future__ import annotations

from skillcity.supervision.views import urlpatterns

app_name = "supervision"
__all__ = ["app_name", "urlpatterns"]
