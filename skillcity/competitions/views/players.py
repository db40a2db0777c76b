"""我的竞赛: a worker's own contests, published results, titles and prizes (phone first)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from skillcity.competitions.selectors import people
from skillcity.core.access import acting_user, require_role


@login_required
def my_contests(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "worker")
    page = people.player_page(user.worker) if user.worker is not None else people.PlayerPage([], [], [])
    return render(request, "competitions/people/my_contests.html", {"page": page})


urlpatterns = [path("mine/", my_contests, name="my_contests")]
