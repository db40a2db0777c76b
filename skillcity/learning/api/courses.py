"""/api/v1/learning/ catalogue, provider and review endpoints: the public catalogue (no sign-in), a
worker's enrolment, the provider's courses and lessons (multipart uploads) and submission, the
bureau's review. The same rules as the pages: each endpoint calls one selector or service."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from skillcity.core.access import _role, acting_user, require_role
from skillcity.core.bounds import Id, Level, PageNumber
from skillcity.core.errors import DomainError, NotFound
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
from skillcity.learning.services.enrolments import enrolment_create
from skillcity.registry.models import Industry, Occupation

router = Router(tags=["在线学习"])

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


def _values(body: LearningCourseIn) -> dict[str, Any]:
    occupation = None
    if body.occupation_id is not None:
        occupation = Occupation.objects.filter(pk=body.occupation_id).first()
        if occupation is None:
            message = _("没有该职业（工种）")
            raise DomainError("unknown_occupation", message, {"occupation_id": message})
    industries = list(Industry.objects.filter(pk__in=body.industry_ids))
    if len(industries) != len(set(body.industry_ids)):
        message = _("战略性产业中有不存在的产业集群")
        raise DomainError("unknown_industry", message, {"industry_ids": message})
    return {
        "title": body.title,
        "category": body.category,
        "summary": body.summary,
        "occupation": occupation,
        "level": body.level,
        "industries": industries,
        "completion_share": body.completion_share,
    }


def _own_course(request: HttpRequest, pk: int) -> Course:
    user = acting_user(request)
    require_role(user, "organisation_user")
    course = Course.objects.filter(pk=pk, provider_id=user.organisation_id).first()
    if course is None:
        raise NotFound(_("课程不存在或不是本单位的课程"))
    return course


def _own_lesson(request: HttpRequest, pk: int) -> Lesson:
    user = acting_user(request)
    require_role(user, "organisation_user")
    lesson = (
        Lesson.objects.select_related("course")
        .filter(pk=pk, course__provider_id=user.organisation_id)
        .first()
    )
    if lesson is None:
        raise NotFound(_("课时不存在或不是本单位的课程"))
    return lesson


# ---- the public catalogue and enrolment ---------------------------------------------------------


@router.get(
    "/catalogue",
    auth=None,
    response=LearningCataloguePage,
    summary="Published courses (public), searched and filtered",
)
def catalogue(request: HttpRequest, query: Query[LearningCatalogueQuery]) -> dict[str, Any]:
    filters = selectors.CatalogueFilters(
        q=query.q,
        category=query.category,
        occupation=query.occupation,
        industry=query.industry,
        level=query.level,
    )
    paginator = Paginator(selectors.catalogue(filters), query.page_size)
    page = paginator.get_page(query.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "items": [course_out(c) for c in page.object_list],
    }


@router.get(
    "/catalogue/{code}",
    auth=None,
    response=LearningCourseDetailOut,
    summary="One published course with its lessons (public)",
)
def catalogue_detail(request: HttpRequest, code: Annotated[str, Field(max_length=20)]) -> dict[str, Any]:
    course = selectors.course_page(request.user, code)
    if course is None:
        raise NotFound(_("课程不存在或尚未发布"))
    return course_out(course, lessons=True)


@router.post(
    "/courses/{pk}/enrol",
    response=LearningEnrolmentOut,
    summary="A worker enrols (again: the same enrolment)",
)
def enrol(request: HttpRequest, pk: Id) -> dict[str, Any]:
    user = acting_user(request)
    course = Course.objects.filter(pk=pk).first()
    if course is None or (course.state in ("draft", "submitted", "returned") and _role(user) == "worker"):
        raise NotFound(_("课程不存在或尚未发布"))
    enrolment = enrolment_create(actor=user, course=course)
    return {
        "id": enrolment.pk,
        "course_id": course.pk,
        "course_code": course.code,
        "state": enrolment.state,
        "state_label": str(enrolment.get_state_display()),
        "progress": enrolment.progress,
        "enrolled_at": enrolment.enrolled_at,
    }


# ---- the provider -------------------------------------------------------------------------------


@router.get(
    "/provider/courses",
    response=list[LearningProviderCourseOut],
    summary="The provider's courses with enrolments and completions",
)
def provider_courses(request: HttpRequest) -> list[dict[str, Any]]:
    user = acting_user(request)
    require_role(user, "organisation_user")
    return [
        course_out(c)
        for c in selectors.provider_courses(user.organisation_id or 0).prefetch_related("industries")
    ]


@router.post(
    "/provider/courses", response={201: LearningCourseDetailOut}, summary="A provider starts a course (draft)"
)
def course_create(request: HttpRequest, body: LearningCourseIn) -> tuple[int, dict[str, Any]]:
    course = svc.course_create(actor=acting_user(request), **_values(body))
    return 201, course_out(_counted(course), lessons=True)


@router.get(
    "/provider/courses/{pk}", response=LearningCourseDetailOut, summary="One of the provider's courses"
)
def provider_course(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return course_out(_counted(_own_course(request, pk)), lessons=True)


@router.put(
    "/provider/courses/{pk}",
    response=LearningCourseDetailOut,
    summary="Edit a draft, returned or unpublished course",
)
def course_update(request: HttpRequest, pk: Id, body: LearningCourseIn) -> dict[str, Any]:
    course = svc.course_update(actor=acting_user(request), course=_own_course(request, pk), **_values(body))
    return course_out(_counted(course), lessons=True)


@router.post(
    "/provider/courses/{pk}/lessons",
    response={201: LearningLessonOut},
    summary="Add a lesson (multipart: fields and the media file)",
)
def lesson_add(
    request: HttpRequest, pk: Id, data: Form[LearningLessonForm], media: File[UploadedFile | None] = None
) -> tuple[int, dict[str, Any]]:
    lesson = svc.lesson_add(
        actor=acting_user(request),
        course=_own_course(request, pk),
        title=data.title,
        kind=data.kind,
        duration_seconds=data.duration_seconds,
        pass_score=data.pass_score,
        media=media,
    )
    return 201, lesson_out(lesson)


@router.post(
    "/provider/lessons/{pk}",
    response=LearningLessonOut,
    summary="Change a lesson (multipart; a new file is optional)",
)
def lesson_update(
    request: HttpRequest, pk: Id, data: Form[LearningLessonForm], media: File[UploadedFile | None] = None
) -> dict[str, Any]:
    lesson = svc.lesson_update(
        actor=acting_user(request),
        lesson=_own_lesson(request, pk),
        title=data.title,
        duration_seconds=data.duration_seconds,
        pass_score=data.pass_score,
        media=media,
    )
    return lesson_out(lesson)


@router.delete(
    "/provider/lessons/{pk}", response={204: None}, summary="Remove a lesson no learner has started"
)
def lesson_remove(request: HttpRequest, pk: Id) -> tuple[int, None]:
    svc.lesson_remove(actor=acting_user(request), lesson=_own_lesson(request, pk))
    return 204, None


@router.post(
    "/provider/courses/{pk}/submit",
    response=LearningCourseDetailOut,
    summary="Submit the course to the bureau",
)
def course_submit(request: HttpRequest, pk: Id) -> dict[str, Any]:
    course = svc.course_submit(actor=acting_user(request), course=_own_course(request, pk))
    return course_out(_counted(course), lessons=True)


# ---- the bureau's review ------------------------------------------------------------------------


def _course_for_bureau(request: HttpRequest, pk: int) -> Course:
    require_role(acting_user(request), "bureau_officer")
    course = Course.objects.filter(pk=pk).first()
    if course is None:
        raise NotFound(_("课程不存在"))
    return course


@router.get("/review", response=list[LearningCourseOut], summary="Courses waiting for review (bureau)")
def review_queue(request: HttpRequest) -> list[dict[str, Any]]:
    require_role(acting_user(request), "bureau_officer")
    return [course_out(c) for c in selectors.review_queue().prefetch_related("industries")[:500]]


@router.post("/review/{pk}/publish", response=LearningCourseOut, summary="Publish a submitted course")
def course_publish(request: HttpRequest, pk: Id) -> dict[str, Any]:
    course = svc.course_publish(actor=acting_user(request), course=_course_for_bureau(request, pk))
    return course_out(_counted(course))


@router.post(
    "/review/{pk}/return", response=LearningCourseOut, summary="Return a submitted course with a reason"
)
def course_return(request: HttpRequest, pk: Id, body: LearningReasonIn) -> dict[str, Any]:
    course = svc.course_return(
        actor=acting_user(request), course=_course_for_bureau(request, pk), reason=body.reason
    )
    return course_out(_counted(course))


@router.post(
    "/review/{pk}/unpublish", response=LearningCourseOut, summary="Unpublish a published course with a reason"
)
def course_unpublish(request: HttpRequest, pk: Id, body: LearningReasonIn) -> dict[str, Any]:
    course = svc.course_unpublish(
        actor=acting_user(request), course=_course_for_bureau(request, pk), reason=body.reason
    )
    return course_out(_counted(course))
