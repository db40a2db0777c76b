"""Pages of the public training sub-bases (issue 17 §2, §7)."""

from __future__ import annotations

from django.urls import URLPattern, path

from skillcity.platforms.views.subbases import pages

urlpatterns: list[URLPattern] = [
    path("subbases/", pages.subbase_list, name="subbase_list"),
    path("subbases/<int:pk>/", pages.subbase_detail, name="subbase_detail"),
    path("subbases/purchases/", pages.purchases, name="subbase_purchases"),
    path("subbases/courses/<int:pk>/", pages.course, name="subbase_course"),
    path("public/subbases/", pages.public_list, name="subbase_public"),
]
