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
import time

from django.db import transaction
from django.utils import timezone

from skillcity.core.audit import audit_record
from skillcity.learning.models import AggregationCursor, Enrolment, EnrolmentState, LessonProgress
from skillcity.learning.services.progress.fold import _fold_next, completion_number
from skillcity.learning.services.progress.state import ACTOR, CHUNK, CURSOR, IN_CHUNK, SETTLE, SPARE_MAX
from skillcity.learning.services.progress.write import _write

REST_MAX = 5.0  # seconds: a pause between chunks never longer than this

# The tunables live in .state (SETTLE is read by .fold, CHUNK here): patch them there, not here.
__all__ = [
    "ACTOR",
    "CHUNK",
    "CURSOR",
    "IN_CHUNK",
    "SETTLE",
    "SPARE_MAX",
    "completion_number",
    "progress_aggregate",
    "progress_rebuild",
]


def progress_aggregate(*, now: datetime.datetime | None = None, limit: int = 20000, rest: float = 0.0) -> int:
    """Fold up to `limit` statements after the cursor into progress; how many were folded.

    `rest`: after each chunk, pause `rest` times as long as the chunk took (the background task uses
    1: a minute's fold then takes twice as long at half the intensity, so beside the web server it
    takes half a core for a while rather than a whole one at once)."""
    now = now or timezone.now()
    folded = 0
    while folded < limit:
        started = time.monotonic()
        fold = _fold_next(now=now, limit=min(CHUNK, limit - folded))
        if fold is None:
            break
        if _write(fold, now=now):
            folded += fold.count
        if rest > 0:
            time.sleep(min((time.monotonic() - started) * rest, REST_MAX))
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
