"""Background jobs of learning (django-tasks, database backend): run by `skillcity worker`."""

from __future__ import annotations

from django_tasks import task

from skillcity.learning.services.progress import progress_aggregate

# A run folds at most this many statements (in transactions of 5,000): 50,000 learners send about
# 100,000 a minute, so a minute's log fits in one run and a backlog drains over a few.
AGGREGATE_LIMIT = 200_000
# Between chunks the task pauses as long as the chunk took: beside the web server a minute's fold
# (2.3–2.8 s of CPU at 10,000 learners, bench/learning_fold.py) spreads over twice the time, so
# requests keep a core.
AGGREGATE_REST = 1.0


@task()
def progress_aggregate_task() -> int:
    return progress_aggregate(limit=AGGREGATE_LIMIT, rest=AGGREGATE_REST)
