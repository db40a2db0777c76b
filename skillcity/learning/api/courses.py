"""/api/v1/learning/ courses: the schemas and serialisation shared by the catalogue, provider and
review endpoints (skillcity.learning.api.catalogue, .provider, .review)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from skillcity.core.bounds import Id, Level, PageNumber
from skillcity.core.schemas import InputSchema
from skillcity.learning.models import (
    COMPLETION_SHARE_MAX,
    COMPLETION_SHARE_MIN,
    LESSON_SECONDS_MAX,
    SCORE_MAX,
    Course,
    Lesson,
)
from skillcity.learning.selectors import catalogue as selectors
from skillcity.learning.services import courses as svc

PAGE_SIZE_MAX = 100


# ---- schemas ------------------------------------------------------------------------------------


class LearningCatalogueQuery(Schema):
    q: Annotated[str, Field(max_length=selectors.QUERY_MAX)] = ""
    category: Annotated[str, Field(max_length=16)] = ""
    occupation: Id | None = None
    industry: Id | None = None
    level: Level | None = None
    page: PageNumber = 1
    page_size: Annotated[int, Field(ge=1, le=PAGE_SIZE_MAX)] = selectors.PAGE_SIZE


class LearningLessonOut(Schema):
    id: int
    position: int
    title: str
    kind: str
    kind_label: str
    duration_seconds: int
    pass_score: int | None
    has_media: bool
    media_type: str


class LearningCourseOut(Schema):
    id: int
    code: str
    title: str
    summary: str
    category: str
    category_label: str
    occupation: str | None
    occupation_id: int | None
    level: int | None
    level_label: str | None
    industries: list[str]
    industry_ids: list[int]
    provider: str
    state: str
    state_label: str
    hours: Decimal
    lessons_count: int
    enrolled_count: int
    completion_share: int
    published_at: datetime.datetime | None
    unpublished_reason: str


class LearningCourseDetailOut(LearningCourseOut):
    lessons: list[LearningLessonOut]


class LearningCataloguePage(Schema):
    count: int
    page: int
    pages: int
    items: list[LearningCourseOut]


class LearningCourseIn(InputSchema):
    title: Annotated[str, Field(min_length=1, max_length=100)]
    category: Annotated[str, Field(max_length=16)]
    summary: Annotated[str, Field(max_length=2000)] = ""
    occupation_id: Id | None = None
    level: Level | None = None
    industry_ids: Annotated[list[Id], Field(max_length=svc.INDUSTRIES_MAX)] = []
    completion_share: Annotated[int, Field(ge=COMPLETION_SHARE_MIN, le=COMPLETION_SHARE_MAX)] = 90


class LearningLessonForm(Schema):
    title: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Annotated[str, Field(max_length=16)] = ""
    duration_seconds: Annotated[int, Field(ge=1, le=LESSON_SECONDS_MAX)]
    pass_score: Annotated[int, Field(ge=0, le=SCORE_MAX)] | None = None


class LearningReasonIn(InputSchema):
    reason: Annotated[str, Field(max_length=svc.REASON_MAX)] = ""


class LearningEnrolmentOut(Schema):
    id: int
    course_id: int
    course_code: str
    state: str
    state_label: str
    progress: int
    enrolled_at: datetime.datetime


class LearningProviderCourseOut(LearningCourseOut):
    completed_count: int
    completion_rate: int


# ---- serialisation ------------------------------------------------------------------------------


def lesson_out(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "position": lesson.position,
        "title": lesson.title,
        "kind": lesson.kind,
        "kind_label": str(lesson.get_kind_display()),
        "duration_seconds": lesson.duration_seconds,
        "pass_score": lesson.pass_score,
        "has_media": bool(lesson.media),
        "media_type": lesson.media_type,
    }


def course_out(course: Any, *, lessons: bool = False) -> dict[str, Any]:
    industries = list(course.industries.all())
    out: dict[str, Any] = {
        "id": course.pk,
        "code": course.code,
        "title": course.title,
        "summary": course.summary,
        "category": course.category,
        "category_label": str(course.get_category_display()),
        "occupation": course.occupation.name if course.occupation else None,
        "occupation_id": course.occupation_id,
        "level": course.level,
        "level_label": str(course.get_level_display()) if course.level else None,
        "industries": [i.name for i in industries],
        "industry_ids": [i.pk for i in industries],
        "provider": course.provider.name,
        "state": course.state,
        "state_label": str(course.get_state_display()),
        "hours": svc.course_hours(getattr(course, "total_seconds", None)),
        "lessons_count": getattr(course, "lessons_count", 0),
        "enrolled_count": getattr(course, "enrolled_count", 0),
        "completion_share": course.completion_share,
        "published_at": course.published_at,
        "unpublished_reason": course.unpublished_reason,
    }
    if lessons:
        out["lessons"] = [lesson_out(lesson) for lesson in course.lessons.all()]
    if hasattr(course, "completed_count"):
        out["completed_count"] = course.completed_count
        out["completion_rate"] = selectors.completion_rate(course.enrolled_count, course.completed_count)
    return out


def _counted(course: Course) -> Course:
    return (
        selectors.with_counts(Course.objects.filter(pk=course.pk))
        .prefetch_related("industries", "lessons")
        .get()
    )
