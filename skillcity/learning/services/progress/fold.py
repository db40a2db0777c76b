"""Folding one chunk of the statement log into the progress state (credit, completion, signals)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from skillcity.learning.models import Completion, EnrolmentState, LessonKind, Signal, Statement, Verb
from skillcity.learning.services.progress.state import (
    _CENT,
    _ZERO,
    SETTLE,
    SPARE_MAX,
    _course_lessons,
    _cursor_position,
    _enrolments,
    _EnrolmentState,
    _Fold,
    _lesson_rules,
    _LessonRule,
    _LessonState,
    _recent_others,
)
from skillcity.learning.signals import DETECTORS, Beat, Before, Other
from skillcity.learning.signals.unbroken_play import run_continues, run_starts


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
