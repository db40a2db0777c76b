"""/talents/: each page module contributes its own `urlpatterns` list (one line each below)."""

from __future__ import annotations

from django.urls import URLPattern

from skillcity.talents.views import cards

app_name = "talents"
urlpatterns: list[URLPattern] = []
# urlpatterns += <module>.urlpatterns — one line per page module.
urlpatterns += cards.urlpatterns
