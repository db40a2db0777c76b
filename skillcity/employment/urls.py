"""/employment/."""

from __future__ import annotations

from skillcity.employment.views import urlpatterns

app_name = "employment"
__all__ = ["app_name", "urlpatterns"]
