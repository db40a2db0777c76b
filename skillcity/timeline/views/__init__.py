"""Pages of timeline (issue 19)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
