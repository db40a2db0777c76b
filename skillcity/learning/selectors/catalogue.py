"""Reads of the course catalogue: the public list with its filters, one course, a provider's courses,
the bureau's review queue. Counts come as subqueries, so a page of courses is one query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from skillcity.core.access import _role
from skillcity.learning.models import (
    Category,
    Completion,
    Course,
    CourseState,
    Enrolment,
    Lesson,
    LessonProgress,
)

PAGE_SIZE = 20
QUERY_MAX = 50


def _count(model: Any, **extra: Any) -> Any:
    rows = (
        model.objects.filter(course=OuterRef("pk"), **extra)
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _seconds() -> Any:
    rows = (
        Lesson.objects.filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(s=Sum("duration_seconds"))
        .values("s")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_counts(courses: QuerySet[Course]) -> QuerySet[Course]:
    return courses.select_related("provider", "occupation").annotate(
        lessons_count=_count(Lesson), enrolled_count=_count(Enrolment), total_seconds=_seconds()
    )


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    category: str = ""
    occupation: int | None = None
    industry: int | None = None
    level: int | None = None


def catalogue(filters: CatalogueFilters) -> QuerySet[Course]:
    """Published courses matching the filters, newest first."""
    courses = Course.objects.filter(state=CourseState.PUBLISHED)
    q = filters.q.strip()[:QUERY_MAX]
    if q:
        courses = courses.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if filters.category in Category.values:
        courses = courses.filter(category=filters.category)
    if filters.occupation:
        courses = courses.filter(occupation_id=filters.occupation)
    if filters.industry:
        courses = courses.filter(industries=filters.industry)
    if filters.level:
        courses = courses.filter(level=filters.level)
    return with_counts(courses).prefetch_related("industries").order_by("-published_at", "-pk")


def course_visible_to(user: Any) -> QuerySet[Course]:
    """What a user may open: published courses; a provider's users also their own in any state; the
    bureau every course."""
    role = _role(user)
    if role == "bureau_officer":
        return Course.objects.all()
    visible = Q(state=CourseState.PUBLISHED)
    if role == "organisation_user" and getattr(user, "organisation_id", None):
        visible |= Q(provider_id=user.organisation_id)
    return Course.objects.filter(visible)


def course_page(user: Any, code: str) -> Course | None:
    return (
        with_counts(course_visible_to(user).filter(code=code))
        .prefetch_related("industries", "lessons", "decisions__actor")
        .first()
    )


def enrolment_of(user: Any, course: Course) -> Enrolment | None:
    worker_id = getattr(user, "worker_id", None) if _role(user) == "worker" else None
    if worker_id is None:
        return None
    return Enrolment.objects.filter(worker_id=worker_id, course=course).first()


def next_lesson(enrolment: Enrolment, course: Course) -> Lesson | None:
    """The first lesson the learner has not completed (the first lesson when all are)."""
    lessons = list(course.lessons.all())
    done = set(
        LessonProgress.objects.filter(enrolment=enrolment, completed=True).values_list("lesson_id", flat=True)
    )
    return next((lesson for lesson in lessons if lesson.pk not in done), lessons[0] if lessons else None)


def provider_courses(organisation_id: int) -> QuerySet[Course]:
    return (
        with_counts(Course.objects.filter(provider_id=organisation_id))
        .annotate(completed_count=_count(Completion))
        .order_by("-created_at", "-pk")
    )


def review_queue() -> QuerySet[Course]:
    return with_counts(Course.objects.filter(state=CourseState.SUBMITTED)).order_by("submitted_at", "pk")


def courses_by_state(state: str) -> QuerySet[Course]:
    return with_counts(Course.objects.filter(state=state)).order_by("-updated_at", "-pk")


def completion_rate(enrolled: int, completed: int) -> int:
    return round(completed * 100 / enrolled) if enrolled else 0


def completions_of(course: Course) -> int:
    return Completion.objects.filter(course=course).count()
