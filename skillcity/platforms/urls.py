"""/platforms/: each page module contributes its own `urlpatterns` list (one line each)."""

from __future__ import annotations

from django.urls import URLPattern

from skillcity.platforms.views import bases, experts, standards, studios, subbases
from skillcity.platforms.views.experts import grant_review

app_name = "platforms"
urlpatterns: list[URLPattern] = []
urlpatterns += studios.urlpatterns
urlpatterns += subbases.urlpatterns
urlpatterns += bases.urlpatterns
urlpatterns += standards.urlpatterns
urlpatterns += experts.urlpatterns
urlpatterns += grant_review.urlpatterns
