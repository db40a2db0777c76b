"""Progress derived from the statement log (docs/learning.md "Progress and completion").

`progress_aggregate` folds the statements after the `progress` cursor, in id order, into
`LessonProgress` and `Enrolment`, records supervision signals, and turns completed courses into
`Completion` records. It runs every minute beside the web server on the same two cores (~20,000
statements a minute at 10,000 learners), so it reads in bulk and writes in bulk, and it holds the
write lock only to write: the state is read and the statements folded outside any transaction, and
the writes go in one short transaction that first moves the cursor from where the fold began to
where it ended (compare-and-set). If another aggregator moved it meanwhile, nothing is written and
the fold starts again from the new cursor. So each statement is folded exactly once.

The cursor only passes statements stored at least `SETTLE` ago: on PostgreSQL ids come from a
sequence, and a statement with a smaller id can commit after one with a larger id; a statement is
stored within a short transaction, so by `SETTLE` every smaller id has committed or never will.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from skillcity.core.audit import audit_record
from skillcity.learning.models import (
    AggregationCursor,
    Completion,
    Enrolment,
    EnrolmentState,
    Lesson,
    LessonKind,
    LessonProgress,
    Signal,
    Statement,
    Verb,
)
from skillcity.learning.signals import DETECTORS, Beat, Before, Other
from skillcity.learning.signals.unbroken_play import run_continues, run_starts

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


def progress_aggregate(*, now: datetime.datetime | None = None, limit: int = 20000) -> int:
    """Fold up to `limit` statements after the cursor into progress; how many were folded."""
    now = now or timezone.now()
    folded = 0
    while folded < limit:
        fold = _fold_next(now=now, limit=min(CHUNK, limit - folded))
        if fold is None:
            break
        if _write(fold, now=now):
            folded += fold.count
    return folded


def progress_rebuild(*, now: datetime.datetime | None = None) -> int:
    """Clear the derived progress and replay the whole log; how many statements were folded.

    Completions already issued stay: each is a training record of the worker (its certificate may
    have been printed, a training project may have admitted the worker on it), and taking one back
    is a decision for a person, not a side effect of a replay. Their enrolments stay completed; the
    replay finds the same completion again (one per worker and course) and issues nothing twice.
    Signals stay too (supervision may have looked at them); the replay records none twice.
    """
    with transaction.atomic():
        LessonProgress.objects.all().delete()
        Enrolment.objects.filter(completion__isnull=True).update(
            state=EnrolmentState.LEARNING,
            progress=0,
            watched_seconds=0,
            last_active_at=None,
            completed_at=None,
        )
        Enrolment.objects.filter(completion__isnull=False).update(watched_seconds=0, last_active_at=None)
        AggregationCursor.objects.update_or_create(name=CURSOR, defaults={"last_statement_id": 0})
        audit_record(
            actor=ACTOR,
            action="learning.progress_rebuild",
            target_type="learning.aggregationcursor",
            target_label=CURSOR,
        )
    total = 0
    while True:
        folded = progress_aggregate(now=now, limit=100_000)
        total += folded
        if folded == 0:
            return total


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


def _fold_next(*, now: datetime.datetime, limit: int) -> _Fold | None:
    start = _cursor_position()
    rows = list(
        Statement.objects.filter(id__gt=start)
        .order_by("id")
        .values_list(
            "id", "worker_id", "lesson_id", "verb", "event", "position", "duration", "score", "stored"
        )[:limit]
    )
    settled = now - SETTLE
    for index, row in enumerate(rows):
        if row[8] > settled:
            rows = rows[:index]  # stop at the first unsettled one: nothing after it may pass it
            break
    if not rows:
        return None
    rules = _lesson_rules({row[2] for row in rows})
    enrolments = _enrolments({(row[1], rules[row[2]].course_id) for row in rows})
    by_worker_course = {(e.worker_id, e.course_id): e for e in enrolments.values()}
    course_lessons = _course_lessons({e.course_id for e in enrolments.values()})
    workers = {row[1] for row in rows}
    others = _recent_others(workers, since=rows[0][8] - datetime.timedelta(minutes=5))
    fold = _Fold(
        first_id=start,
        last_id=rows[-1][0],
        count=len(rows),
        enrolments=enrolments,
        signals=[],
        completions=[],
    )
    for statement_id, worker_id, lesson_id, verb, event, position, duration, score, stored in rows:
        rule = rules[lesson_id]
        enrolment = by_worker_course.get((worker_id, rule.course_id))
        if enrolment is None:  # not possible through statements_store; an edited database
            continue
        lesson = enrolment.lessons.get(lesson_id)
        if lesson is None:
            lesson = enrolment.lessons[lesson_id] = _LessonState(None, enrolment.pk, lesson_id)
        beat = Beat(statement_id, worker_id, lesson_id, verb, event, position, duration, stored)
        before = Before(
            lesson.last_stored,
            lesson.last_position,
            lesson.last_verb,
            lesson.last_event,
            lesson.run_started_at,
        )
        _detect(fold, beat, before, others[worker_id])
        _credit(lesson, rule, beat, score, before)
        others[worker_id][lesson_id] = Other(lesson_id, stored, verb, event)
        enrolment.changed = True
        if enrolment.last_active_at is None or stored > enrolment.last_active_at:
            enrolment.last_active_at = stored
    for enrolment in enrolments.values():
        if enrolment.changed:
            _settle_enrolment(fold, enrolment, course_lessons[enrolment.course_id])
    return fold


def _detect(fold: _Fold, beat: Beat, before: Before, others: dict[int, Other]) -> None:
    elsewhere = [o for lesson_id, o in others.items() if lesson_id != beat.lesson_id]
    for kind, detect in DETECTORS.items():
        detail = detect(beat, before, elsewhere)
        if detail:
            fold.signals.append(
                Signal(
                    worker_id=beat.worker_id,
                    kind=kind,
                    lesson_id=beat.lesson_id,
                    statement_id=beat.statement_id,
                    detail=detail[:300],
                )
            )


def _credit(
    lesson: _LessonState, rule: _LessonRule, beat: Beat, score: Decimal | None, before: Before
) -> None:
    """Fold one statement into its lesson: watched credit capped by real time, quiz results."""
    if before.last_stored is not None and beat.verb != Verb.INITIALIZED:
        real = Decimal((beat.stored - before.last_stored).total_seconds()).quantize(_CENT)
        real = max(real, _ZERO)
        if beat.duration is not None:
            claimed = beat.duration
        elif beat.position is not None and beat.event != "seek":
            claimed = max(beat.position - before.last_position, _ZERO)
        else:
            claimed = _ZERO
        budget = real + lesson.spare_seconds
        credit = min(claimed, budget)
        lesson.spare_seconds = min(budget - credit, SPARE_MAX)
        lesson.watched_exact = min(lesson.watched_exact + credit, Decimal(rule.duration))
    else:
        lesson.spare_seconds = _ZERO  # the first statement of a play earns nothing
    if score is not None and (lesson.best_score is None or score > lesson.best_score):
        lesson.best_score = score
    if run_continues(beat, before):
        pass
    elif run_starts(beat):
        lesson.run_started_at = beat.stored
    else:
        lesson.run_started_at = None
    if beat.position is not None:
        lesson.last_position = beat.position
    lesson.last_stored = beat.stored
    lesson.last_verb = beat.verb
    lesson.last_event = beat.event
    if not lesson.completed and _lesson_complete(lesson, rule, beat.verb):
        lesson.completed = True
        lesson.completed_at = beat.stored
    lesson.changed = True


def _lesson_complete(lesson: _LessonState, rule: _LessonRule, verb: str) -> bool:
    if rule.kind == LessonKind.QUIZ:
        return verb == Verb.PASSED or (
            rule.pass_score is not None
            and lesson.best_score is not None
            and lesson.best_score >= rule.pass_score
        )
    return lesson.watched_exact * 100 >= Decimal(rule.share * rule.duration)


def _settle_enrolment(
    fold: _Fold, enrolment: _EnrolmentState, lessons: list[tuple[int, _LessonRule]]
) -> None:
    """Recompute an enrolment from its lessons; a course whose every lesson is complete is done."""
    fractions = []
    all_complete = bool(lessons)
    for lesson_id, rule in lessons:
        state = enrolment.lessons.get(lesson_id)
        if state is None:
            fractions.append(_ZERO)
            all_complete = False
            continue
        if state.completed:
            fractions.append(Decimal(1))
        elif rule.kind == LessonKind.QUIZ:
            fractions.append(_ZERO)
        else:
            fractions.append(min(state.watched_exact * 100 / (rule.share * rule.duration), Decimal(1)))
        all_complete = all_complete and state.completed
    enrolment.watched_seconds = sum(s.watched_seconds for s in enrolment.lessons.values())
    if enrolment.state == EnrolmentState.COMPLETED:
        return
    if all_complete:
        finished = max(s.completed_at for s in enrolment.lessons.values() if s.completed_at is not None)
        enrolment.state = EnrolmentState.COMPLETED
        enrolment.progress = 100
        enrolment.completed_at = finished
        if not enrolment.has_completion:
            fold.completions.append(_completion(enrolment, [rule for _, rule in lessons], finished))
            enrolment.has_completion = True
        return
    mean = sum(fractions, _ZERO) / len(fractions) if fractions else _ZERO
    enrolment.progress = min(int(mean * 100), 99)


def completion_number(enrolment_id: int, year: int) -> str:
    """The completion's number on its certificate: XX<year>-<enrolment, 8 digits>. One completion
    per enrolment, so it is unique without a counter; XX = 学习 (xuéxí)."""
    return f"XX{year}-{enrolment_id:08d}"


def _completion(
    enrolment: _EnrolmentState, rules: list[_LessonRule], finished: datetime.datetime
) -> Completion:
    day = timezone.localtime(finished).date()
    hours = (Decimal(sum(r.duration for r in rules)) / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Completion(
        worker_id=enrolment.worker_id,
        course_id=enrolment.course_id,
        enrolment_id=enrolment.pk,
        number=completion_number(enrolment.pk, day.year),
        hours=hours,
        completed_on=day,
    )


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


def _write(fold: _Fold, *, now: datetime.datetime) -> bool:
    """Write one fold in one transaction if the cursor is still where it began; whether it was."""
    ops = connection.ops
    dt = ops.adapt_datetimefield_value

    def dec(value: Decimal | None, digits: int) -> Any:
        return None if value is None else ops.adapt_decimalfield_value(value, digits, 2)

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE learning_aggregationcursor SET last_statement_id = %s, updated_at = %s "
            "WHERE name = %s AND last_statement_id = %s",
            [fold.last_id, dt(timezone.now()), CURSOR, fold.first_id],
        )
        if cursor.rowcount != 1:
            return False  # another aggregator folded these meanwhile
        new: list[LessonProgress] = []
        updates: list[list[Any]] = []
        enrolment_updates: list[list[Any]] = []
        for enrolment in fold.enrolments.values():
            if not enrolment.changed:
                continue
            enrolment_updates.append(
                [
                    enrolment.state,
                    enrolment.progress,
                    enrolment.watched_seconds,
                    dt(enrolment.last_active_at),
                    dt(enrolment.completed_at),
                    enrolment.pk,
                ]
            )
            for lesson in enrolment.lessons.values():
                if not lesson.changed:
                    continue
                values = [
                    lesson.watched_seconds,
                    dec(lesson.watched_exact, 10),
                    dec(lesson.spare_seconds, 6),
                    dec(lesson.last_position, 8),
                    dt(lesson.last_stored),
                    lesson.last_verb,
                    lesson.last_event,
                    dt(lesson.run_started_at),
                    dec(lesson.best_score, 5),
                    lesson.completed,
                    dt(lesson.completed_at),
                ]
                if lesson.pk is None:
                    new.append(
                        LessonProgress(
                            enrolment_id=lesson.enrolment_id,
                            lesson_id=lesson.lesson_id,
                            watched_seconds=lesson.watched_seconds,
                            watched_exact=lesson.watched_exact,
                            spare_seconds=lesson.spare_seconds,
                            last_position=lesson.last_position,
                            last_stored=lesson.last_stored,
                            last_verb=lesson.last_verb,
                            last_event=lesson.last_event,
                            run_started_at=lesson.run_started_at,
                            best_score=lesson.best_score,
                            completed=lesson.completed,
                            completed_at=lesson.completed_at,
                        )
                    )
                else:
                    updates.append([*values, lesson.pk])
        if updates:
            cursor.executemany(
                "UPDATE learning_lessonprogress SET watched_seconds = %s, watched_exact = %s, "
                "spare_seconds = %s, last_position = %s, last_stored = %s, last_verb = %s, "
                "last_event = %s, run_started_at = %s, best_score = %s, completed = %s, "
                "completed_at = %s WHERE id = %s",
                updates,
            )
        if enrolment_updates:
            cursor.executemany(
                "UPDATE learning_enrolment SET state = %s, progress = %s, watched_seconds = %s, "
                "last_active_at = %s, completed_at = %s WHERE id = %s",
                enrolment_updates,
            )
        # The ORM's writes below join the same transaction.
        if new:
            LessonProgress.objects.bulk_create(new, batch_size=1000)
        if fold.signals:
            Signal.objects.bulk_create(fold.signals, batch_size=1000, ignore_conflicts=True)
        for completion in fold.completions:
            # One per enrolment; a replay after a rebuild finds the one already issued.
            if Completion.objects.filter(
                worker_id=completion.worker_id, course_id=completion.course_id
            ).exists():
                continue
            completion.save(force_insert=True)
            audit_record(
                actor=ACTOR,
                action="learning.completion",
                target=completion,
                after={
                    "worker": completion.worker_id,
                    "course": completion.course_id,
                    "hours": str(completion.hours),
                    "completed_on": completion.completed_on.isoformat(),
                },
            )
    return True
