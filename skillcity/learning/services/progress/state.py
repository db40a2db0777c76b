"""Progress state while folding: the constants, the rows read into dataclasses, and the bulk reads."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from skillcity.learning.models import AggregationCursor, Completion, Enrolment, Lesson, LessonProgress, Signal
from skillcity.learning.signals import Other

CURSOR = "progress"
SETTLE = datetime.timedelta(seconds=10)
CHUNK = 5000  # statements folded per write transaction
IN_CHUNK = 2000  # ids per IN (…) list
# Real time not credited yet, kept for the next statement: a beat that arrives 0.3 s early after
# one that arrived 0.3 s late loses nothing, but a long pause cannot be banked for a fast forward.
SPARE_MAX = Decimal(5)
ACTOR = "learning.progress"
_CENT = Decimal("0.01")
_ZERO = Decimal(0)


@dataclass
class _LessonState:
    """One LessonProgress row while folding (new rows have pk None)."""

    pk: int | None
    enrolment_id: int
    lesson_id: int
    watched_exact: Decimal = _ZERO
    spare_seconds: Decimal = _ZERO
    last_position: Decimal = _ZERO
    last_stored: datetime.datetime | None = None
    last_verb: str = ""
    last_event: str = ""
    run_started_at: datetime.datetime | None = None
    best_score: Decimal | None = None
    completed: bool = False
    completed_at: datetime.datetime | None = None
    changed: bool = False

    @property
    def watched_seconds(self) -> int:
        return int(self.watched_exact)


@dataclass
class _EnrolmentState:
    pk: int
    worker_id: int
    course_id: int
    state: str
    progress: int
    watched_seconds: int
    last_active_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    has_completion: bool
    lessons: dict[int, _LessonState] = field(default_factory=dict)
    changed: bool = False


@dataclass(frozen=True)
class _LessonRule:
    course_id: int
    kind: str
    duration: int
    pass_score: Decimal | None
    share: int  # the course's completion_share: percent of the lesson to watch

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> tuple[int, _LessonRule]:
        pk, course_id, kind, duration, pass_score, share = row
        return pk, cls(course_id, kind, duration, None if pass_score is None else Decimal(pass_score), share)


_RULE_COLUMNS = ("pk", "course_id", "kind", "duration_seconds", "pass_score", "course__completion_share")


@dataclass
class _Fold:
    """What one chunk of the log changes."""

    first_id: int
    last_id: int
    count: int
    enrolments: dict[int, _EnrolmentState]
    signals: list[Signal]
    completions: list[Completion]


def _cursor_position() -> int:
    row = AggregationCursor.objects.filter(name=CURSOR).values_list("last_statement_id", flat=True).first()
    if row is None:
        AggregationCursor.objects.get_or_create(name=CURSOR)
        return 0
    return int(row)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), IN_CHUNK):
        yield items[start : start + IN_CHUNK]


def _lesson_rules(lesson_ids: set[int]) -> dict[int, _LessonRule]:
    rules: dict[int, _LessonRule] = {}
    for ids in _chunks(lesson_ids):
        rules.update(
            _LessonRule.of(row) for row in Lesson.objects.filter(pk__in=ids).values_list(*_RULE_COLUMNS)
        )
    return rules


def _course_lessons(course_ids: set[int]) -> dict[int, list[tuple[int, _LessonRule]]]:
    found: dict[int, list[tuple[int, _LessonRule]]] = defaultdict(list)
    for ids in _chunks(course_ids):
        for row in Lesson.objects.filter(course_id__in=ids).values_list(*_RULE_COLUMNS):
            pk, rule = _LessonRule.of(row)
            found[rule.course_id].append((pk, rule))
    return found


def _enrolments(pairs: set[tuple[int, int]]) -> dict[int, _EnrolmentState]:
    workers = {w for w, _ in pairs}
    courses = {c for _, c in pairs}
    found: dict[int, _EnrolmentState] = {}
    for ids in _chunks(workers):
        rows = Enrolment.objects.filter(worker_id__in=ids, course_id__in=courses).values_list(
            "pk",
            "worker_id",
            "course_id",
            "state",
            "progress",
            "watched_seconds",
            "last_active_at",
            "completed_at",
            "completion",
        )
        for pk, worker_id, course_id, state, progress, watched, active, completed_at, completion in rows:
            if (worker_id, course_id) in pairs:
                found[pk] = _EnrolmentState(
                    pk,
                    worker_id,
                    course_id,
                    state,
                    progress,
                    watched,
                    active,
                    completed_at,
                    completion is not None,
                )
    for ids in _chunks(found):
        for row in LessonProgress.objects.filter(enrolment_id__in=ids).values_list(
            "pk",
            "enrolment_id",
            "lesson_id",
            "watched_exact",
            "spare_seconds",
            "last_position",
            "last_stored",
            "last_verb",
            "last_event",
            "run_started_at",
            "best_score",
            "completed",
            "completed_at",
        ):
            lesson = _LessonState(*row)
            found[lesson.enrolment_id].lessons[lesson.lesson_id] = lesson
    return found


def _recent_others(workers: set[int], *, since: datetime.datetime) -> dict[int, dict[int, Other]]:
    """Each learner's latest statement per lesson since `since` (for two lessons playing at once
    across the boundary of two folds)."""
    found: dict[int, dict[int, Other]] = defaultdict(dict)
    for ids in _chunks(workers):
        rows = LessonProgress.objects.filter(
            enrolment__worker_id__in=ids, last_stored__gte=since
        ).values_list("enrolment__worker_id", "lesson_id", "last_stored", "last_verb", "last_event")
        for worker_id, lesson_id, stored, verb, event in rows:
            if stored is not None:
                found[worker_id][lesson_id] = Other(lesson_id, stored, verb, event)
    return found
