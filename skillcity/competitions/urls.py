"""/competitions/: each page module contributes its own `urlpatterns` list (one line each)."""

from __future__ import annotations

from django.urls import URLPattern

from skillcity.competitions.views import awards, judges, organiser, players, public, stats, titles, units

app_name = "competitions"
urlpatterns: list[URLPattern] = []
urlpatterns += organiser.urlpatterns + units.urlpatterns + judges.urlpatterns
urlpatterns += awards.urlpatterns
urlpatterns += titles.urlpatterns
urlpatterns += players.urlpatterns + public.urlpatterns + stats.urlpatterns
