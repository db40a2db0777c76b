"""Units' registration pages: the projects open for registration, the unit's entries (players' ID
numbers masked), and the registration of a player or team with its coach."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from skillcity.competitions.selectors.contests import (
    entries_of_unit,
    open_project,
    projects_open_for_registration,
)
from skillcity.competitions.services import contests
from skillcity.competitions.views.marking_forms import EntryForm
from skillcity.core.access import acting_user, require_role
from skillcity.core.errors import DomainError
from skillcity.registry.models import Worker


def _unit_user(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "organisation_user")
    return user


@login_required
def unit_home(request: HttpRequest) -> HttpResponse:
    user = _unit_user(request)
    entries = entries_of_unit(user).prefetch_related("players__worker")[:200]
    return render(
        request,
        "competitions/marking/unit_home.html",
        {"projects": projects_open_for_registration()[:200], "entries": entries, "unit": user.organisation},
    )


@login_required
def entry_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = _unit_user(request)
    project = open_project(pk)
    unit = user.organisation
    form = EntryForm(request.POST or None, team_size=project.team_size, auto_id="entry-%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        workers: list[Worker] = []
        for bound in form.player_fields():
            number = (data.get(bound.name) or "").strip().upper()
            if not number:
                continue
            # Only the unit's own staff are looked up: another unit's worker reads as unknown.
            worker = Worker.objects.filter(id_number=number, employer=unit).first()
            if worker is None:
                form.add_error(bound.name, _("本单位登记的职工中没有该身份证号码"))
            else:
                workers.append(worker)
        coach = None
        coach_number = (data.get("coach_id_number") or "").strip().upper()
        if coach_number:
            coach = Worker.objects.filter(id_number=coach_number).first()
            if coach is None:
                form.add_error("coach_id_number", _("没有该身份证号码的劳动者登记；可只填写教练姓名"))
        if not form.errors:
            try:
                entry = contests.entry_register(
                    project=project,
                    actor=user,
                    unit=unit,
                    workers=workers,
                    team_name=data.get("team_name", ""),
                    coach=coach,
                    coach_name=data.get("coach_name", ""),
                )
                messages.success(request, _("已报名，参赛编号 %(b)s") % {"b": entry.bib})
                return redirect("competitions:unit_home")
            except DomainError as exc:
                form.show_domain_error(exc, aliases={"workers": "player_1", "coach": "coach_id_number"})
    form.mark_invalid()
    return render(
        request,
        "competitions/marking/entry_form.html",
        {"project": project, "form": form, "unit": unit},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("units/", unit_home, name="unit_home"),
    path("units/projects/<int:pk>/register/", entry_register, name="entry_register"),
]
