"""What online learning adds to the city's targets (policy catalogue §11): the courses offered
(T-COURSES, 1,000) and the completions, as training person-times and as people upskilled
(T-UPSKILLED)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from skillcity.learning.models import Completion, Course, CourseState

T_COURSES = 1000


def courses_offered() -> QuerySet[Course]:
    """The published courses: those the platform offers (T-COURSES counts them)."""
    return Course.objects.filter(state=CourseState.PUBLISHED)


def completions(
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    town_id: int | None = None,
    course_id: int | None = None,
    industry_id: int | None = None,
) -> QuerySet[Completion]:
    """Completions (online learning records) completed on `since`..`until` (both inclusive),
    optionally of learners of one town, of one course, or of courses tagged with one industry.
    Each is one training person-time toward T-UPSKILLED."""
    found = Completion.objects.all()
    if since is not None:
        found = found.filter(completed_on__gte=since)
    if until is not None:
        found = found.filter(completed_on__lte=until)
    if town_id is not None:
        found = found.filter(worker__town_id=town_id)
    if course_id is not None:
        found = found.filter(course_id=course_id)
    if industry_id is not None:
        found = found.filter(course__industries__id=industry_id)
    return found


def upskilled_workers(
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    town_id: int | None = None,
    industry_id: int | None = None,
) -> int:
    """How many people completed at least one course in the period (people upskilled, T-UPSKILLED:
    a learner with three completions counts once)."""
    return (
        completions(since=since, until=until, town_id=town_id, industry_id=industry_id)
        .values("worker_id")
        .distinct()
        .count()
    )


def completion_count(**filters: object) -> int:
    """Training person-times from online learning: one per completion."""
    return completions(**filters).count()  # type: ignore[arg-type]
