"""Writing one fold: the compare-and-set of the cursor, the bulk updates, and the completions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from skillcity.core.audit import audit_record
from skillcity.core.rawsql import update_rows
from skillcity.learning.models import Completion, LessonProgress, Signal
from skillcity.learning.services.progress.state import ACTOR, CURSOR, _Fold

# The columns a fold writes, in the order of its rows, with their PostgreSQL types (update_rows).
_LESSON_COLUMNS = [
    ("watched_seconds", "integer"),
    ("watched_exact", "numeric"),
    ("spare_seconds", "numeric"),
    ("last_position", "numeric"),
    ("last_stored", "timestamptz"),
    ("last_verb", "text"),
    ("last_event", "text"),
    ("run_started_at", "timestamptz"),
    ("best_score", "numeric"),
    ("completed", "boolean"),
    ("completed_at", "timestamptz"),
]
_ENROLMENT_COLUMNS = [
    ("state", "text"),
    ("progress", "integer"),
    ("watched_seconds", "integer"),
    ("last_active_at", "timestamptz"),
    ("completed_at", "timestamptz"),
]


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
        update_rows(cursor, "learning_lessonprogress", _LESSON_COLUMNS, updates)
        update_rows(cursor, "learning_enrolment", _ENROLMENT_COLUMNS, enrolment_updates)
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
