"""/talents/: each page module contributes its own `urlpatterns` list (one line each below)."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "talents"
urlpatterns: list[URLPattern] = []
# urlpatterns += <module>.urlpatterns — one line per page module.
from skillcity.talents.views.leading import urlpatterns as leading_pages  # noqa: E402 — leading talents

urlpatterns += leading_pages
