"""/learning/: each part of the app lists its own pages (views/<part>.py `urlpatterns`)."""

from __future__ import annotations

from skillcity.learning.views import urlpatterns

app_name = "learning"
__all__ = ["app_name", "urlpatterns"]
