"""The bureau's pages: the review queue (publish, return with a reason), unpublishing a published
course with a reason (from its page), and the statistics of the online learning (a town officer sees
their own town's learners)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.access import _role, acting_user, require_role
from skillcity.core.errors import DomainError, NotFound
from skillcity.learning.models import Course, CourseState
from skillcity.learning.selectors import catalogue as selectors
from skillcity.learning.selectors.stats import bureau_figures
from skillcity.learning.services import courses as svc
from skillcity.learning.views.catalogue import course_detail
from skillcity.learning.views.course_forms import ReasonForm

BUREAU = "bureau_officer"


def _course(pk: int) -> Course:
    course = Course.objects.filter(pk=pk).first()
    if course is None:
        raise NotFound(_("课程不存在"))
    return course


@login_required
def review(request: HttpRequest, reason_errors: dict[int, str] | None = None) -> HttpResponse:
    require_role(acting_user(request), BUREAU)
    queue: list[Any] = list(selectors.review_queue())
    for course in queue:
        course.hours = svc.course_hours(course.total_seconds)
        course.reason_error = (reason_errors or {}).get(course.pk, "")
    return render(
        request,
        "learning/review.html",
        {
            "queue": queue,
            "recent": list(selectors.courses_by_state(CourseState.PUBLISHED)[:10]),
            "unpublished": list(selectors.courses_by_state(CourseState.UNPUBLISHED)[:10]),
            "reason_form": ReasonForm(),
        },
        status=400 if reason_errors else 200,
    )


def _back(request: HttpRequest, course: Course) -> HttpResponse:
    if request.POST.get("next") == "course":
        return redirect(reverse("learning:course", args=[course.code]))
    return redirect("learning:review")


def _decide(
    request: HttpRequest, pk: int, decide: Callable[..., Any], done: str, form: str = "", **kwargs: Any
) -> HttpResponse:
    """One review decision by the bureau: the service refuses (a missing or too long reason shown
    under the reason's field on the page it was typed on, anything else as the page's message) or it
    is done."""
    user = acting_user(request)
    require_role(user, BUREAU)
    course = _course(pk)
    try:
        decide(actor=user, course=course, **kwargs)
    except DomainError as exc:
        reason_error = (exc.fields or {}).get("reason")
        if reason_error and request.POST.get("next") == "course":
            return course_detail(request, course.code, reason_error=(form, str(reason_error)))
        if reason_error:
            return review(request, reason_errors={course.pk: str(reason_error)})
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done % {"t": course.title})
    return _back(request, course)


@login_required
@require_POST
def course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, svc.course_publish, _("已发布课程：%(t)s"))


@login_required
@require_POST
def course_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        svc.course_return,
        _("已退回课程：%(t)s"),
        form="return",
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def course_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        svc.course_unpublish,
        _("已下架课程：%(t)s"),
        form="unpublish",
        reason=request.POST.get("reason", ""),
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, BUREAU, "town_officer")
    town = user.town if _role(user) == "town_officer" else None
    return render(request, "learning/stats.html", {"f": bureau_figures(town)})


urlpatterns: list[URLPattern] = [
    path("review/", review, name="review"),
    path("review/<int:pk>/publish/", course_publish, name="course_publish"),
    path("review/<int:pk>/return/", course_return, name="course_return"),
    path("review/<int:pk>/unpublish/", course_unpublish, name="course_unpublish"),
    path("stats/", stats, name="stats"),
]
