"""/schools/."""

from __future__ import annotations

from skillcity.schools.views import urlpatterns

app_name = "schools"
__all__ = ["app_name", "urlpatterns"]
