"""/api/v1/learning/stats: the bureau's figures (a town officer's: their own town's learners) and one
course's figures for its provider or the bureau. The same selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from skillcity.core.access import _role, acting_user, require_role
from skillcity.core.bounds import Id
from skillcity.core.errors import NotFound
from skillcity.learning.models import Course
from skillcity.learning.selectors import stats as selectors

router = Router(tags=["在线学习"])


class LearningStatsRow(Schema):
    label: str
    enrolled: int
    completed: int
    rate: int


class LearningCourseRow(LearningStatsRow):
    code: str
    provider: str


class LearningIndustryRow(LearningStatsRow):
    courses: int


class LearningCountRow(Schema):
    label: str
    count: int


class LearningCatalogueFigures(Schema):
    published: int
    submitted: int
    target: int
    percent: int
    strategic: int
    strategic_target: int
    strategic_percent: int
    categories: list[LearningCountRow]


class LearningLearnerFigures(Schema):
    learners: int
    enrolments: int
    completions: int
    completed_learners: int
    online: int
    online_window_seconds: int


class LearningStatsOut(Schema):
    town: str | None
    catalogue: LearningCatalogueFigures
    learners: LearningLearnerFigures
    towns: list[LearningStatsRow]
    industries: list[LearningIndustryRow]
    courses: list[LearningCourseRow]


class LearningCourseStatsOut(Schema):
    code: str
    title: str
    enrolled: int
    not_started: int
    in_progress: int
    completed: int
    rate: int
    average_progress: int
    towns: list[LearningStatsRow]


def _row(row: selectors.Row, **extra: Any) -> dict[str, Any]:
    return {
        "label": row.label,
        "enrolled": row.enrolled,
        "completed": row.completed,
        "rate": row.rate,
        **extra,
    }


@router.get(
    "/stats",
    response=LearningStatsOut,
    summary="The catalogue against T-COURSES, learners, completions (bureau; a town officer: own town)",
)
def stats(request: HttpRequest) -> dict[str, Any]:
    user = acting_user(request)
    require_role(user, "bureau_officer", "town_officer")
    town = user.town if _role(user) == "town_officer" else None
    f = selectors.bureau_figures(town)
    catalogue = {k: v for k, v in f["catalogue"].items() if k not in ("categories", "states")}
    return {
        "town": town.name if town else None,
        "catalogue": {
            **catalogue,
            "categories": [{"label": str(label), "count": n} for label, n in f["catalogue"]["categories"]],
        },
        "learners": {**f["learners"], "online_window_seconds": f["window"]},
        "towns": [_row(r) for r in f["towns"]],
        "industries": [_row(r, courses=r.extra["courses"]) for r in f["industries"]],
        "courses": [_row(r, code=r.extra["code"], provider=r.extra["provider"]) for r in f["courses"]],
    }


@router.get(
    "/provider/courses/{pk}/stats",
    response=LearningCourseStatsOut,
    summary="One course's figures (its provider, the bureau)",
)
def course_stats(request: HttpRequest, pk: Id) -> dict[str, Any]:
    user = acting_user(request)
    require_role(user, "organisation_user", "bureau_officer")
    courses = (
        Course.objects.all()
        if _role(user) == "bureau_officer"
        else Course.objects.filter(provider_id=user.organisation_id)
    )
    course = courses.filter(pk=pk).first()
    if course is None:
        raise NotFound(_("课程不存在或不是本单位的课程"))
    f = selectors.course_figures(course)
    return {**f, "code": course.code, "title": course.title, "towns": [_row(r) for r in f["towns"]]}
