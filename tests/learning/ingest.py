"""Helpers of the statement log's tests: a published course with lessons, an enrolment, and
statements as the player sends them."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from skillcity.learning.models import Course, CourseState, Enrolment, Lesson, LessonKind
from skillcity.learning.services.statements import EVENT_EXTENSION, TIME_EXTENSION, VERB_PREFIX
from tests.factories import OrganisationFactory

T0 = timezone.make_aware(datetime.datetime(2026, 12, 7, 9, 0, 0))


def course_with_lessons(
    *, code: str = "KC0001", lessons: tuple[tuple[str, int], ...] = (("video", 600),), share: int = 90
) -> Course:
    course = Course.objects.create(
        code=code,
        title=f"课程{code}",
        category="skill",
        provider=OrganisationFactory(),
        state=CourseState.PUBLISHED,
        completion_share=share,
        published_at=T0,
    )
    for position, (kind, seconds) in enumerate(lessons, start=1):
        Lesson.objects.create(
            course=course,
            position=position,
            title=f"第{position}课",
            kind=kind,
            duration_seconds=seconds,
            pass_score=60 if kind == LessonKind.QUIZ else None,
        )
    return course


def enrol(worker: Any, course: Course) -> Enrolment:
    return Enrolment.objects.create(worker=worker, course=course)


def statement(
    lesson: Lesson | int,
    verb: str = "progressed",
    *,
    position: float | None = None,
    duration: str | None = None,
    score: float | None = None,
    event: str | None = None,
    statement_id: str | None = None,
    timestamp: str = "2026-12-07T09:00:00+08:00",
) -> dict[str, Any]:
    lesson_id = lesson if isinstance(lesson, int) else lesson.pk
    result: dict[str, Any] = {}
    if position is not None:
        result["extensions"] = {TIME_EXTENSION: position}
    if duration is not None:
        result["duration"] = duration
    if score is not None:
        result["score"] = {"raw": score}
    made: dict[str, Any] = {
        "id": statement_id or str(uuid.uuid4()),
        "verb": {"id": VERB_PREFIX + verb},
        "object": {
            "objectType": "Activity",
            "id": f"https://skillcity.example/learning/lessons/{lesson_id}/",
        },
        "timestamp": timestamp,
    }
    if result:
        made["result"] = result
    if event is not None:
        made["context"] = {"extensions": {EVENT_EXTENSION: event}}
    return made


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)
