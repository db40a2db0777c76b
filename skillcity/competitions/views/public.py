"""Public pages (no login): the competition calendar and a project's published results."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from skillcity.competitions.models import Level
from skillcity.competitions.selectors import people
from skillcity.registry.models import Town


class CalendarFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(label=_("竞赛级别"), required=False)
    town = forms.ModelChoiceField(
        label=_("镇街"),
        required=False,
        queryset=Town.objects.order_by("sort_order", "code"),
        empty_label=_("全部镇街"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year, level = self.fields["year"], self.fields["level"]
        assert isinstance(year, forms.TypedChoiceField) and isinstance(level, forms.ChoiceField)
        year.choices = [("", _("全部年度"))] + [(y, str(y)) for y in people.calendar_years()]
        level.choices = [("", _("全部级别")), *Level.choices]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "level": data.get("level") or "",
            "town": data["town"].pk if data.get("town") else None,
        }


def calendar(request: HttpRequest) -> HttpResponse:
    """The latest year first (a visitor who chose nothing sees this year's calendar, not five years of
    200 contests); "全部年度" shows every year, paged."""
    query = request.GET.copy()
    years = people.calendar_years()
    if "year" not in query and years:
        query["year"] = str(years[0])
    form = CalendarFilterForm(query)
    found = people.calendar_competitions(**form.filters())
    page = Paginator(found, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    by_year: dict[int, list[Any]] = {}
    for competition in page:
        by_year.setdefault(competition.year, []).append(competition)
    return render(
        request,
        "competitions/people/calendar.html",
        {"form": form, "by_year": sorted(by_year.items(), reverse=True), "page": page},
    )


def project_results(request: HttpRequest, pk: int) -> HttpResponse:
    project = people.published_project(pk)
    if project is None:
        # A public page: answered here, not by the middleware, which sends an anonymous 404 to the login.
        message = _("该项目不存在或成绩尚未经裁判长确认公布")
        return render(request, "web/error.html", {"status": 404, "message": message}, status=404)
    return render(
        request,
        "competitions/people/results.html",
        {"project": project, "competition": project.competition, "results": people.public_results(project)},
    )


urlpatterns = [
    path("calendar/", calendar, name="calendar"),
    path("results/<int:pk>/", project_results, name="public_results"),
]
