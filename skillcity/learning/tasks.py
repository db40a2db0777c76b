"""Background jobs of learning (django-tasks, database backend): run by `skillcity worker`."""

from __future__ import annotations

from django_tasks import task

from skillcity.learning.services.progress import progress_aggregate

# A run folds at most this many statements (in transactions of 2,000): 50,000 learners send about
# 100,000 a minute, so a minute's log fits in one run and a backlog drains over a few.
AGGREGATE_LIMIT = 200_000
# Between chunks the task pauses three times as long as the chunk took: beside the web server a
# minute's fold (3–10 s of CPU at 10,000 learners, with the database's share) spreads over about four
# times as long, so requests keep their cores (bench/RESULTS.md, "bench/learning").
AGGREGATE_REST = 3.0


@task()
def progress_aggregate_task() -> int:
    return progress_aggregate(limit=AGGREGATE_LIMIT, rest=AGGREGATE_REST)
