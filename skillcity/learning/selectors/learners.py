"""What a learner's pages read: their enrolments with progress, a course's lessons with the learner's
progress in each, and who may open a lesson or a completion certificate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from skillcity.core.errors import NotFound
from skillcity.learning.models import Completion, Enrolment, Lesson, LessonKind, LessonProgress

MY_COURSES_MAX = 200  # a learner's page lists at most this many enrolments, the most recent first


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return "bureau_officer" if user.is_superuser else str(user.role)


def enrolment_of(user: Any, course_id: int) -> Enrolment | None:
    """The signed-in worker's enrolment in a course, if any."""
    if _role(user) != "worker" or user.worker_id is None:
        return None
    return Enrolment.objects.filter(worker_id=user.worker_id, course_id=course_id).first()


def lesson_for_viewer(user: Any, pk: Any) -> tuple[Lesson, Enrolment | None]:
    """A lesson its viewer may open: an enrolled learner (with their enrolment), a user of the course's
    provider, or the bureau (both without one, to preview). Anyone else: not found, so that which
    lessons exist does not leak."""
    try:
        lesson = Lesson.objects.select_related("course", "course__provider").get(pk=int(pk))
    except (Lesson.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("课时不存在或您无权查看")) from None
    role = _role(user)
    if role == "bureau_officer":
        return lesson, None
    if role == "organisation_user" and user.organisation_id == lesson.course.provider_id:
        return lesson, None
    if role == "worker":
        enrolment = enrolment_of(user, lesson.course_id)
        if enrolment is not None:
            return lesson, enrolment
    raise NotFound(_("课时不存在或您无权查看"))


@dataclass(frozen=True)
class LessonRow:
    lesson: Lesson
    percent: int  # 0–100, of the lesson's duration watched (a quiz: 100 when passed)
    completed: bool
    score: Decimal | None
    last_position: Decimal


def lesson_rows(course_id: int, enrolment: Enrolment | None) -> list[LessonRow]:
    """The course's lessons in order, each with the learner's derived progress (two queries)."""
    lessons = list(Lesson.objects.filter(course_id=course_id).defer("questions").order_by("position"))
    progress: dict[int, LessonProgress] = {}
    if enrolment is not None:
        progress = {p.lesson_id: p for p in LessonProgress.objects.filter(enrolment=enrolment)}
    rows = []
    for lesson in lessons:
        mine = progress.get(lesson.pk)
        if mine is None:
            rows.append(LessonRow(lesson, 0, False, None, Decimal(0)))
            continue
        if mine.completed:
            percent = 100
        elif lesson.kind == LessonKind.QUIZ:
            percent = 0
        else:
            percent = min(100, mine.watched_seconds * 100 // max(1, lesson.duration_seconds))
        rows.append(LessonRow(lesson, percent, mine.completed, mine.best_score, mine.last_position))
    return rows


@dataclass(frozen=True)
class MyCourse:
    enrolment: Enrolment
    completion: Completion | None
    next_lesson_id: int | None  # where 继续学习 goes: the first lesson not completed (else the first)
    lesson_count: int


def my_courses(worker_id: int) -> list[MyCourse]:
    """The worker's enrolments, the most recently active first, with where to continue (three queries)."""
    enrolments = list(
        Enrolment.objects.filter(worker_id=worker_id)
        .select_related("course", "course__provider")
        .order_by("-last_active_at", "-enrolled_at", "-id")[:MY_COURSES_MAX]
    )
    ids = [e.pk for e in enrolments]
    course_ids = [e.course_id for e in enrolments]
    completions = {c.enrolment_id: c for c in Completion.objects.filter(enrolment_id__in=ids)}
    done = set(
        LessonProgress.objects.filter(enrolment_id__in=ids, completed=True).values_list(
            "enrolment_id", "lesson_id"
        )
    )
    lessons: dict[int, list[int]] = {}
    for course_id, lesson_id in (
        Lesson.objects.filter(course_id__in=course_ids).order_by("position").values_list("course_id", "id")
    ):
        lessons.setdefault(course_id, []).append(lesson_id)
    rows = []
    for enrolment in enrolments:
        ordered = lessons.get(enrolment.course_id, [])
        pending = [pk for pk in ordered if (enrolment.pk, pk) not in done]
        next_id = pending[0] if pending else (ordered[0] if ordered else None)
        rows.append(MyCourse(enrolment, completions.get(enrolment.pk), next_id, len(ordered)))
    return rows


def completions_of(worker_id: int) -> QuerySet[Completion]:
    """A worker's online-learning records (学习记录), the latest first."""
    return Completion.objects.filter(worker_id=worker_id).select_related("course", "course__provider")


def completion_for_viewer(user: Any, number: str) -> Completion:
    """A completion certificate for its learner, the bureau, or a user of the course's provider."""
    completion = (
        Completion.objects.select_related("worker", "course", "course__provider")
        .filter(number=number)
        .first()
    )
    role = _role(user)
    if completion is not None and (
        role == "bureau_officer"
        or (role == "worker" and user.worker_id == completion.worker_id)
        or (role == "organisation_user" and user.organisation_id == completion.course.provider_id)
    ):
        return completion
    raise NotFound(_("结业证明不存在或您无权查看"))
