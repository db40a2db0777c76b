"""/api/v1/learning/ public catalogue (no sign-in) and a worker's enrolment: each endpoint calls one
selector or service, as the pages do."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router

from skillcity.core.access import _role, acting_user
from skillcity.core.bounds import Id
from skillcity.core.errors import NotFound
from skillcity.learning.api.courses import (
    LearningCataloguePage,
    LearningCatalogueQuery,
    LearningCourseDetailOut,
    LearningEnrolmentOut,
    course_out,
)
from skillcity.learning.models import Course
from skillcity.learning.selectors import catalogue as selectors
from skillcity.learning.services.enrolments import enrolment_create

# The operation ids are the ones these endpoints had in skillcity.learning.api.courses, before the
# split: clients generated from the schema keep their method names.
router = Router(tags=["在线学习"])


@router.get(
    "/catalogue",
    auth=None,
    response=LearningCataloguePage,
    summary="Published courses (public), searched and filtered",
    operation_id="skillcity_learning_api_courses_catalogue",
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
    operation_id="skillcity_learning_api_courses_catalogue_detail",
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
    operation_id="skillcity_learning_api_courses_enrol",
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
