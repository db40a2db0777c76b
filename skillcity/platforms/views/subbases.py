"""Pages of the platforms' subbases part."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
