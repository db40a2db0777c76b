"""/schools/."""

from __future__ import annotations

from skillcity.schools.views import retention
from skillcity.schools.views import urlpatterns as school_patterns

app_name = "schools"
urlpatterns = [*school_patterns, *retention.urlpatterns]
__all__ = ["app_name", "urlpatterns"]
