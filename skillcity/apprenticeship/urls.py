"""/apprenticeship/."""

from __future__ import annotations

from skillcity.apprenticeship.views import urlpatterns

app_name = "apprenticeship"
__all__ = ["app_name", "urlpatterns"]
