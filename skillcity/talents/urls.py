"""/talents/: each page module contributes its own `urlpatterns` list (one line each)."""

from __future__ import annotations

from django.urls import URLPattern

from skillcity.talents.views import cards, evidence, leading

app_name = "talents"
urlpatterns: list[URLPattern] = []
urlpatterns += cards.urlpatterns
urlpatterns += leading.urlpatterns
urlpatterns += evidence.urlpatterns
