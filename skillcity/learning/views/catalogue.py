"""The public catalogue (phone first): search and filters, a course's page, and enrolment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.access import _role
from skillcity.core.bounds import LEVEL_MAX, LEVEL_MIN, parse_int, query_ids, report_ignored_filters
from skillcity.core.errors import DomainError, NotFound
from skillcity.learning.models import Category, Course, CourseState
from skillcity.learning.selectors import catalogue as selectors
from skillcity.learning.services.courses import EDITABLE, course_hours
from skillcity.learning.services.enrolments import enrolment_create
from skillcity.learning.views import catalogue_cache
from skillcity.learning.views.course_forms import ReasonForm
from skillcity.registry.models import Industry, Occupation, SkillLevel


def _level(raw: str) -> int | None:
    try:
        return parse_int(raw, low=LEVEL_MIN, high=LEVEL_MAX) if raw.strip() else None
    except ValueError:
        return None


def catalogue(request: HttpRequest) -> HttpResponse:
    ids, bad = query_ids(request.GET, {"occupation": _("职业（工种）"), "industry": _("战略性产业")})
    report_ignored_filters(request, bad)
    filters = selectors.CatalogueFilters(
        q=request.GET.get("q", "")[: selectors.QUERY_MAX],
        category=request.GET.get("category", ""),
        occupation=ids["occupation"],
        industry=ids["industry"],
        level=_level(request.GET.get("level", "")),
    )

    def render_results() -> str:
        page = Paginator(selectors.catalogue(filters), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        course: Any
        for course in page.object_list:
            course.hours = course_hours(course.total_seconds)
        published = Course.objects.filter(state=CourseState.PUBLISHED)
        context = {
            "page": page,
            "filters": filters,
            "filtered": any(
                [filters.q, filters.category, filters.occupation, filters.industry, filters.level]
            ),
            "categories": Category.choices,
            "occupations": Occupation.objects.filter(courses__in=published).distinct().order_by("code"),
            "industries": Industry.objects.order_by("sort_order", "code"),
            "levels": SkillLevel.choices,
        }
        return render_to_string("learning/_catalogue_results.html", context, request)

    results = mark_safe(catalogue_cache.results(request, render_results))  # rendered by our own template
    return render(request, "learning/catalogue.html", {"results": results})


def course_detail(
    request: HttpRequest, code: str, reason_error: tuple[str, str] | None = None
) -> HttpResponse:
    """A course's page; `reason_error` (the review form, its message) when a bureau decision was
    refused for its reason, shown under that field."""
    user = request.user
    course: Any = selectors.course_page(user, code[:20])
    if course is None:
        raise NotFound(_("课程不存在或尚未发布"))
    role = _role(user)
    enrolment = selectors.enrolment_of(user, course)
    lessons = list(course.lessons.all())
    context: dict[str, Any] = {
        "course": course,
        "lessons": lessons,
        "hours": course_hours(course.total_seconds),
        "enrolment": enrolment,
        "next_lesson": selectors.next_lesson(enrolment, course) if enrolment else None,
        "is_bureau": role == "bureau_officer",
        "is_provider": role == "organisation_user"
        and getattr(user, "organisation_id", None) == course.provider_id,
        "editable": course.state in EDITABLE,
        "can_enrol": course.state == CourseState.PUBLISHED and role in (None, "worker"),
        "reason_form": ReasonForm(),
        "reason_error": reason_error or ("", ""),
    }
    context["show_decisions"] = context["is_bureau"] or context["is_provider"]
    return render(request, "learning/course.html", context, status=400 if reason_error else 200)


@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    course = Course.objects.filter(pk=pk, state__in=[CourseState.PUBLISHED, CourseState.UNPUBLISHED]).first()
    if course is None:
        raise NotFound(_("课程不存在或尚未发布"))
    page = reverse("learning:course", args=[course.code])
    if not request.user.is_authenticated:
        return redirect_to_login(page)
    already = selectors.enrolment_of(request.user, course) is not None
    try:
        enrolment_create(actor=request.user, course=course)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if already:
            messages.info(request, _("您已报名该课程，可继续学习"))
        else:
            messages.success(request, _("报名成功：%(t)s") % {"t": course.title})
    return redirect(page)


urlpatterns: list[URLPattern] = [
    path("", catalogue, name="catalogue"),
    path("courses/<str:code>/", course_detail, name="course"),
    path("courses/<int:pk>/enrol/", enrol, name="enrol"),
]
