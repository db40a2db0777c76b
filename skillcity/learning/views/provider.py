"""The provider's pages: its courses with enrolments and completions, a course's form with its
lessons (uploads), submission, and one course's statistics (also open to the bureau)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.access import _role, acting_user, require_role
from skillcity.core.errors import DomainError, NotFound
from skillcity.learning.models import Course, CourseState, Lesson
from skillcity.learning.selectors import catalogue as selectors
from skillcity.learning.selectors.stats import course_figures
from skillcity.learning.services import courses as svc
from skillcity.learning.views.course_forms import CourseForm, LessonForm

PROVIDER = "organisation_user"
# The service names the file `media` (its column); the form calls it `file` (Form.media is Django's).
ALIASES = {"duration_seconds": "duration_minutes", "media": "file"}


def _own_course(request: HttpRequest, pk: int) -> Course:
    user = acting_user(request)
    require_role(user, PROVIDER)
    course = Course.objects.filter(pk=pk, provider_id=user.organisation_id).first()
    if course is None:
        raise NotFound(_("课程不存在或不是本单位的课程"))
    return course


def _own_lesson(request: HttpRequest, pk: int) -> Lesson:
    user = acting_user(request)
    require_role(user, PROVIDER)
    lesson = (
        Lesson.objects.select_related("course")
        .filter(pk=pk, course__provider_id=user.organisation_id)
        .first()
    )
    if lesson is None:
        raise NotFound(_("课时不存在或不是本单位的课程"))
    return lesson


def _course_values(form: CourseForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "category": data["category"],
        "summary": data["summary"],
        "occupation": data["occupation"],
        "level": data["level"],
        "industries": list(data["industries"]),
        "completion_share": data["completion_share"],
    }


@login_required
def provider_courses(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, PROVIDER)
    courses: list[Any] = list(selectors.provider_courses(user.organisation_id or 0))
    for course in courses:
        course.rate = selectors.completion_rate(course.enrolled_count, course.completed_count)
        course.hours = svc.course_hours(course.total_seconds)
    totals = {
        "courses": len(courses),
        "published": sum(1 for c in courses if c.state == CourseState.PUBLISHED),
        "enrolled": sum(c.enrolled_count for c in courses),
        "completed": sum(c.completed_count for c in courses),
    }
    totals["rate"] = selectors.completion_rate(totals["enrolled"], totals["completed"])
    return render(request, "learning/provider/courses.html", {"courses": courses, "totals": totals})


@login_required
def course_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, PROVIDER)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = svc.course_create(actor=user, **_course_values(form))
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            messages.success(request, _("已创建课程 %(c)s，请添加课时后提交审核") % {"c": course.code})
            return redirect("learning:course_edit", pk=course.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "learning/provider/course_form.html", {"form": form, "course": None}, status=status
    )


def _edit_page(
    request: HttpRequest, course: Course, form: CourseForm, lesson_form: LessonForm, status: int = 200
) -> HttpResponse:
    editable = course.state in svc.EDITABLE
    if not editable:
        form.disable()
    return render(
        request,
        "learning/provider/course_form.html",
        {
            "course": course,
            "form": form,
            "lesson_form": lesson_form,
            "lessons": list(course.lessons.all()),
            "editable": editable,
            "decisions": list(course.decisions.select_related("actor").order_by("-at", "-id")[:10]),
        },
        status=status,
    )


def _initial(course: Course) -> dict[str, Any]:
    return {
        "title": course.title,
        "category": course.category,
        "summary": course.summary,
        "occupation": course.occupation_id,
        "level": course.level,
        "industries": [i.pk for i in course.industries.all()],
        "completion_share": course.completion_share,
    }


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = _own_course(request, pk)
    if request.method != "POST":
        return _edit_page(request, course, CourseForm(initial=_initial(course)), LessonForm())
    form = CourseForm(request.POST)
    if form.is_valid():
        try:
            svc.course_update(actor=acting_user(request), course=course, **_course_values(form))
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            messages.success(request, _("已保存课程信息"))
            return redirect("learning:course_edit", pk=course.pk)
    return _edit_page(request, course, form, LessonForm(), status=400)


@login_required
@require_POST
def lesson_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = _own_course(request, pk)
    form = LessonForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            svc.lesson_add(
                actor=acting_user(request),
                course=course,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                duration_seconds=form.duration_seconds,
                pass_score=form.cleaned_data["pass_score"],
                media=form.cleaned_data["file"],
            )
        except DomainError as exc:
            form.show_domain_error(exc, aliases=ALIASES)
            form.mark_invalid()
        else:
            messages.success(request, _("已添加课时：%(t)s") % {"t": form.cleaned_data["title"]})
            return redirect("learning:course_edit", pk=course.pk)
    return _edit_page(request, course, CourseForm(initial=_initial(course)), form, status=400)


@login_required
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _own_lesson(request, pk)
    initial = {
        "title": lesson.title,
        "duration_minutes": round(lesson.duration_seconds / 60, 1),
        "pass_score": lesson.pass_score,
    }
    form = LessonForm(request.POST or None, request.FILES or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.lesson_update(
                actor=acting_user(request),
                lesson=lesson,
                title=form.cleaned_data["title"],
                duration_seconds=form.duration_seconds,
                pass_score=form.cleaned_data["pass_score"],
                media=form.cleaned_data["file"],
            )
        except DomainError as exc:
            form.show_domain_error(exc, aliases=ALIASES)
            form.mark_invalid()
        else:
            messages.success(request, _("已保存课时：%(t)s") % {"t": form.cleaned_data["title"]})
            return redirect("learning:course_edit", pk=lesson.course_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "learning/provider/lesson_form.html",
        {
            "lesson": lesson,
            "course": lesson.course,
            "form": form,
            "editable": lesson.course.state in svc.EDITABLE,
        },
        status=status,
    )


@login_required
@require_POST
def lesson_remove(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _own_lesson(request, pk)
    try:
        svc.lesson_remove(actor=acting_user(request), lesson=lesson)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已删除课时：%(t)s") % {"t": lesson.title})
    return redirect("learning:course_edit", pk=lesson.course_id)


@login_required
@require_POST
def course_submit(request: HttpRequest, pk: int) -> HttpResponse:
    course = _own_course(request, pk)
    try:
        svc.course_submit(actor=acting_user(request), course=course)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已提交审核：%(t)s") % {"t": course.title})
    return redirect("learning:course_edit", pk=course.pk)


@login_required
def course_stats(request: HttpRequest, pk: int) -> HttpResponse:
    """One course's figures: its provider's users and the bureau."""
    user = acting_user(request)
    require_role(user, PROVIDER, "bureau_officer")
    courses = (
        Course.objects.all()
        if _role(user) == "bureau_officer"
        else Course.objects.filter(provider_id=user.organisation_id)
    )
    course = courses.select_related("provider").filter(pk=pk).first()
    if course is None:
        raise NotFound(_("课程不存在或不是本单位的课程"))
    return render(
        request, "learning/provider/course_stats.html", {"course": course, "f": course_figures(course)}
    )


urlpatterns: list[URLPattern] = [
    path("provider/", provider_courses, name="provider_courses"),
    path("provider/new/", course_new, name="course_new"),
    path("provider/courses/<int:pk>/", course_edit, name="course_edit"),
    path("provider/courses/<int:pk>/lessons/", lesson_add, name="lesson_add"),
    path("provider/courses/<int:pk>/submit/", course_submit, name="course_submit"),
    path("provider/courses/<int:pk>/stats/", course_stats, name="course_stats"),
    path("provider/lessons/<int:pk>/", lesson_edit, name="lesson_edit"),
    path("provider/lessons/<int:pk>/remove/", lesson_remove, name="lesson_remove"),
]
