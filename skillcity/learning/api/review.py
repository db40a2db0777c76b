"""/api/v1/learning/review/: the bureau's review of courses (publish, return, unpublish); each
endpoint calls one selector or service, as the pages do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import Id
from skillcity.core.errors import NotFound
from skillcity.learning.api.courses import LearningCourseOut, LearningReasonIn, _counted, course_out
from skillcity.learning.models import Course
from skillcity.learning.selectors import catalogue as selectors
from skillcity.learning.services import courses as svc

# The operation ids are the ones these endpoints had in skillcity.learning.api.courses, before the
# split: clients generated from the schema keep their method names.
router = Router(tags=["在线学习"])


def _course_for_bureau(request: HttpRequest, pk: int) -> Course:
    require_role(acting_user(request), "bureau_officer")
    course = Course.objects.filter(pk=pk).first()
    if course is None:
        raise NotFound(_("课程不存在"))
    return course


@router.get(
    "/review",
    response=list[LearningCourseOut],
    summary="Courses waiting for review (bureau)",
    operation_id="skillcity_learning_api_courses_review_queue",
)
def review_queue(request: HttpRequest) -> list[dict[str, Any]]:
    require_role(acting_user(request), "bureau_officer")
    return [course_out(c) for c in selectors.review_queue().prefetch_related("industries")[:500]]


@router.post(
    "/review/{pk}/publish",
    response=LearningCourseOut,
    summary="Publish a submitted course",
    operation_id="skillcity_learning_api_courses_course_publish",
)
def course_publish(request: HttpRequest, pk: Id) -> dict[str, Any]:
    course = svc.course_publish(actor=acting_user(request), course=_course_for_bureau(request, pk))
    return course_out(_counted(course))


@router.post(
    "/review/{pk}/return",
    response=LearningCourseOut,
    summary="Return a submitted course with a reason",
    operation_id="skillcity_learning_api_courses_course_return",
)
def course_return(request: HttpRequest, pk: Id, body: LearningReasonIn) -> dict[str, Any]:
    course = svc.course_return(
        actor=acting_user(request), course=_course_for_bureau(request, pk), reason=body.reason
    )
    return course_out(_counted(course))


@router.post(
    "/review/{pk}/unpublish",
    response=LearningCourseOut,
    summary="Unpublish a published course with a reason",
    operation_id="skillcity_learning_api_courses_course_unpublish",
)
def course_unpublish(request: HttpRequest, pk: Id, body: LearningReasonIn) -> dict[str, Any]:
    course = svc.course_unpublish(
        actor=acting_user(request), course=_course_for_bureau(request, pk), reason=body.reason
    )
    return course_out(_counted(course))
