"""Figures of the online learning: a provider's course (enrolments, progress, completions by town) and
the bureau's view (the catalogue against T-COURSES, learners, completions by town, strategic industry
and course, learners online now). Every figure is counted from the records, nothing is stored.

A town officer's figures are their own town's learners only (the catalogue is the city's)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from skillcity.learning.models import (
    Category,
    Completion,
    Course,
    CourseState,
    Enrolment,
    EnrolmentState,
    Statement,
)
from skillcity.registry.models import Industry, Town

T_COURSES = 1000  # D002 一(二): 1,000 free courses
T_STRATEGIC_COURSES = 125  # D003 §四(三)一: 125 courses for the strategic industries (2023)
ONLINE_WINDOW_SECONDS = 90  # three missed heartbeats of 30 s: the learner has left
TOP_COURSES = 20


def percent(part: int, whole: int) -> int:
    return min(100, round(part * 100 / whole)) if whole else 0


@dataclass
class Row:
    label: str
    enrolled: int = 0
    completed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> int:
        return percent(self.completed, self.enrolled)


# ---- one course (its provider, the bureau) --------------------------------------------------------


def course_figures(course: Course) -> dict[str, Any]:
    enrolments = Enrolment.objects.filter(course=course)
    totals = enrolments.aggregate(
        enrolled=Count("pk"),
        started=Count("pk", filter=Q(state=EnrolmentState.LEARNING, progress__gt=0)),
        average=Avg("progress"),
    )
    completed = Completion.objects.filter(course=course).count()
    towns: dict[str, Row] = {}
    for name, n in enrolments.order_by().values_list("worker__town__name").annotate(n=Count("pk")):
        towns[name] = Row(name, enrolled=n)
    for name, n in (
        Completion.objects.filter(course=course)
        .order_by()
        .values_list("worker__town__name")
        .annotate(n=Count("pk"))
    ):
        towns.setdefault(name, Row(name)).completed = n
    enrolled = totals["enrolled"] or 0
    return {
        "enrolled": enrolled,
        "in_progress": totals["started"] or 0,
        "not_started": enrolments.filter(state=EnrolmentState.LEARNING, progress=0).count(),
        "completed": completed,
        "rate": percent(completed, enrolled),
        "average_progress": round(totals["average"] or 0),
        "towns": sorted(towns.values(), key=lambda r: (-r.enrolled, r.label)),
    }


# ---- the bureau (and a town officer's own town) ---------------------------------------------------


def catalogue_figures() -> dict[str, Any]:
    """The catalogue against T-COURSES and the 125 strategic-industry courses."""
    counts = dict(Course.objects.order_by().values_list("state").annotate(n=Count("pk")))
    published = Course.objects.filter(state=CourseState.PUBLISHED)
    by_category = dict(published.order_by().values_list("category").annotate(n=Count("pk")))
    strategic = published.filter(industries__isnull=False).distinct().count()
    return {
        "published": counts.get(CourseState.PUBLISHED, 0),
        "submitted": counts.get(CourseState.SUBMITTED, 0),
        "target": T_COURSES,
        "percent": percent(counts.get(CourseState.PUBLISHED, 0), T_COURSES),
        "strategic": strategic,
        "strategic_target": T_STRATEGIC_COURSES,
        "strategic_percent": percent(strategic, T_STRATEGIC_COURSES),
        "categories": [(label, by_category.get(value, 0)) for value, label in Category.choices],
        "states": [(label, counts.get(value, 0)) for value, label in CourseState.choices],
    }


def _scoped(queryset: QuerySet[Any], town: Town | None, path: str = "worker__town") -> QuerySet[Any]:
    return queryset if town is None else queryset.filter(**{path: town})


def online_now(town: Town | None = None, now: datetime.datetime | None = None) -> int:
    """Distinct workers with a statement stored in the last ONLINE_WINDOW_SECONDS."""
    since = (now or timezone.now()) - datetime.timedelta(seconds=ONLINE_WINDOW_SECONDS)
    # `stored` has no index of its own (each one costs every heartbeat's insert). Rows are numbered in
    # the order they are stored, so walking the primary key back from the newest row to the first one
    # older than the window touches only the window's rows; the range after it is read by its key.
    boundary = (
        Statement.objects.filter(stored__lt=since).order_by("-id").values_list("id", flat=True).first() or 0
    )
    recent = Statement.objects.filter(id__gt=boundary, stored__gte=since)
    return _scoped(recent, town).values("worker").distinct().count()


def learner_figures(town: Town | None = None) -> dict[str, Any]:
    enrolments = _scoped(Enrolment.objects.all(), town)
    completions = _scoped(Completion.objects.all(), town)
    learners = enrolments.values("worker").distinct().count()
    completed_learners = completions.values("worker").distinct().count()
    return {
        "learners": learners,
        "enrolments": enrolments.count(),
        "completions": completions.count(),
        "completed_learners": completed_learners,
        "online": online_now(town),
    }


def by_town(town: Town | None = None) -> list[Row]:
    rows = {t.pk: Row(t.name) for t in ([town] if town else Town.objects.all())}
    enrolled = (
        _scoped(Enrolment.objects.all(), town).order_by().values_list("worker__town").annotate(n=Count("pk"))
    )
    completed = (
        _scoped(Completion.objects.all(), town).order_by().values_list("worker__town").annotate(n=Count("pk"))
    )
    for pk, n in enrolled:
        if pk in rows:
            rows[pk].enrolled = n
    for pk, n in completed:
        if pk in rows:
            rows[pk].completed = n
    return sorted(
        (r for r in rows.values() if r.enrolled or r.completed), key=lambda r: (-r.completed, -r.enrolled)
    )


def by_industry(town: Town | None = None) -> list[Row]:
    """Enrolments and completions of the courses tagged with each strategic industry (a course with two
    tags counts under both)."""
    rows = {i.pk: Row(i.name, extra={"courses": 0}) for i in Industry.objects.all()}
    courses = (
        Course.objects.filter(state=CourseState.PUBLISHED, industries__isnull=False)
        .order_by()
        .values_list("industries")
        .annotate(n=Count("pk"))
    )
    enrolled = (
        _scoped(Enrolment.objects.filter(course__industries__isnull=False), town)
        .order_by()
        .values_list("course__industries")
        .annotate(n=Count("pk"))
    )
    completed = (
        _scoped(Completion.objects.filter(course__industries__isnull=False), town)
        .order_by()
        .values_list("course__industries")
        .annotate(n=Count("pk"))
    )
    for pk, n in courses:
        rows[pk].extra["courses"] = n
    for pk, n in enrolled:
        rows[pk].enrolled = n
    for pk, n in completed:
        rows[pk].completed = n
    return [r for r in rows.values() if r.enrolled or r.completed or r.extra["courses"]]


def by_course(town: Town | None = None, limit: int = TOP_COURSES) -> list[Row]:
    """The courses with the most completions (then enrolments), top `limit`."""
    completed = (
        _scoped(Completion.objects.all(), town).order_by().values_list("course").annotate(n=Count("pk"))
    )
    enrolled = dict(
        _scoped(Enrolment.objects.all(), town).order_by().values_list("course").annotate(n=Count("pk"))
    )
    done = dict(completed)
    ranked = sorted(enrolled, key=lambda pk: (-done.get(pk, 0), -enrolled[pk], pk))[:limit]
    courses = Course.objects.select_related("provider").in_bulk(ranked)
    return [
        Row(
            courses[pk].title,
            enrolled=enrolled[pk],
            completed=done.get(pk, 0),
            extra={"code": courses[pk].code, "provider": courses[pk].provider.name},
        )
        for pk in ranked
        if pk in courses
    ]


def bureau_figures(town: Town | None = None) -> dict[str, Any]:
    return {
        "catalogue": catalogue_figures(),
        "learners": learner_figures(town),
        "towns": by_town(town),
        "industries": by_industry(town),
        "courses": by_course(town),
        "window": ONLINE_WINDOW_SECONDS,
        "top": TOP_COURSES,
        "town": town,
    }
