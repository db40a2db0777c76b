"""/api/v1/learning/provider/: the provider's courses and lessons (multipart uploads) and their
submission to the bureau; each endpoint calls one selector or service, as the pages do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja.files import UploadedFile

from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import Id
from skillcity.core.errors import DomainError, NotFound
from skillcity.learning.api.courses import (
    LearningCourseDetailOut,
    LearningCourseIn,
    LearningLessonForm,
    LearningLessonOut,
    LearningProviderCourseOut,
    _counted,
    course_out,
    lesson_out,
)
from skillcity.learning.models import Course, Lesson
from skillcity.learning.selectors import catalogue as selectors
from skillcity.learning.services import courses as svc
from skillcity.registry.models import Industry, Occupation

# The operation ids are the ones these endpoints had in skillcity.learning.api.courses, before the
# split: clients generated from the schema keep their method names.
router = Router(tags=["在线学习"])


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


@router.get(
    "/provider/courses",
    response=list[LearningProviderCourseOut],
    summary="The provider's courses with enrolments and completions",
    operation_id="skillcity_learning_api_courses_provider_courses",
)
def provider_courses(request: HttpRequest) -> list[dict[str, Any]]:
    user = acting_user(request)
    require_role(user, "organisation_user")
    return [
        course_out(c)
        for c in selectors.provider_courses(user.organisation_id or 0).prefetch_related("industries")
    ]


@router.post(
    "/provider/courses",
    response={201: LearningCourseDetailOut},
    summary="A provider starts a course (draft)",
    operation_id="skillcity_learning_api_courses_course_create",
)
def course_create(request: HttpRequest, body: LearningCourseIn) -> tuple[int, dict[str, Any]]:
    course = svc.course_create(actor=acting_user(request), **_values(body))
    return 201, course_out(_counted(course), lessons=True)


@router.get(
    "/provider/courses/{pk}",
    response=LearningCourseDetailOut,
    summary="One of the provider's courses",
    operation_id="skillcity_learning_api_courses_provider_course",
)
def provider_course(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return course_out(_counted(_own_course(request, pk)), lessons=True)


@router.put(
    "/provider/courses/{pk}",
    response=LearningCourseDetailOut,
    summary="Edit a draft, returned or unpublished course",
    operation_id="skillcity_learning_api_courses_course_update",
)
def course_update(request: HttpRequest, pk: Id, body: LearningCourseIn) -> dict[str, Any]:
    course = svc.course_update(actor=acting_user(request), course=_own_course(request, pk), **_values(body))
    return course_out(_counted(course), lessons=True)


@router.post(
    "/provider/courses/{pk}/lessons",
    response={201: LearningLessonOut},
    summary="Add a lesson (multipart: fields and the media file)",
    operation_id="skillcity_learning_api_courses_lesson_add",
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
    operation_id="skillcity_learning_api_courses_lesson_update",
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
    "/provider/lessons/{pk}",
    response={204: None},
    summary="Remove a lesson no learner has started",
    operation_id="skillcity_learning_api_courses_lesson_remove",
)
def lesson_remove(request: HttpRequest, pk: Id) -> tuple[int, None]:
    svc.lesson_remove(actor=acting_user(request), lesson=_own_lesson(request, pk))
    return 204, None


@router.post(
    "/provider/courses/{pk}/submit",
    response=LearningCourseDetailOut,
    summary="Submit the course to the bureau",
    operation_id="skillcity_learning_api_courses_course_submit",
)
def course_submit(request: HttpRequest, pk: Id) -> dict[str, Any]:
    course = svc.course_submit(actor=acting_user(request), course=_own_course(request, pk))
    return course_out(_counted(course), lessons=True)
