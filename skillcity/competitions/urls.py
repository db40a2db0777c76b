"""/competitions/: each page module contributes its own `urlpatterns` list (one line each below)."""

from __future__ import annotations

from django.urls import URLPattern

from skillcity.competitions.views import awards

app_name = "competitions"
urlpatterns: list[URLPattern] = []
# urlpatterns += <module>.urlpatterns — one line per page module.
from skillcity.competitions.views import judges, organiser, players, public, stats, units  # noqa: E402 — the marking part's pages  # noqa: E402  (people)
from skillcity.competitions.views import titles as title_views  # noqa: E402

urlpatterns += organiser.urlpatterns + units.urlpatterns + judges.urlpatterns
urlpatterns += title_views.urlpatterns
urlpatterns += awards.urlpatterns
urlpatterns += players.urlpatterns + public.urlpatterns + stats.urlpatterns
