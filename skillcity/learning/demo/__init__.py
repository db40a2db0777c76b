"""Demo data of online learning (issue 18 §5): 1,000 published courses in the three categories (学历,
技能, 素质), 125 of them tagged with strategic industries, from the city's training institutions and
schools; a few more submitted, returned, unpublished and in draft for the review pages; lessons that
share two small files (a 6-second video committed under demo_media/, a handout PDF made here); learners
in every state, their progress made the way real progress is — statements through the log
(`statements_store`), then `progress_aggregate` — so the log and the derived progress agree.

Accounts (password as the other demo accounts): `learner`, a worker with courses in progress, done (with
its certificate) and a failed quiz; `provider`, a user of the first provider.

Deterministic from the seed; rows are written with bulk_create (the demo build is long already).
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from skillcity.learning.demo.accounts import LEARNER_USERNAME, PROVIDER_USERNAME
from skillcity.learning.demo.catalogue import (
    CATEGORY_COUNTS,
    COURSES,
    DIPLOMA_MAJORS,
    DIPLOMA_SUBJECTS,
    DOCUMENT_SECONDS,
    GENERAL_TOPICS,
    HANDOUT_NAME,
    LEARNER_COURSES,
    LEARNERS,
    LEVEL_NAMES,
    QUESTIONS,
    QUIZ_SECONDS,
    SKILL_KINDS,
    STRATEGIC,
    UNDER_REVIEW,
    VIDEO_NAME,
    VIDEO_SECONDS,
    VIDEO_SOURCE,
    _courses,
    _lessons,
    _media_ensure,
    handout_pdf,
)
from skillcity.learning.demo.learners import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    QUIZ_FAILED,
    STATE_WEIGHTS,
    STATES,
    _learners,
)

__all__ = [
    "CATEGORY_COUNTS",
    "COMPLETED",
    "COURSES",
    "DIPLOMA_MAJORS",
    "DIPLOMA_SUBJECTS",
    "DOCUMENT_SECONDS",
    "GENERAL_TOPICS",
    "HANDOUT_NAME",
    "IN_PROGRESS",
    "LEARNERS",
    "LEARNER_COURSES",
    "LEARNER_USERNAME",
    "LEVEL_NAMES",
    "NOT_STARTED",
    "PROVIDER_USERNAME",
    "QUESTIONS",
    "QUIZ_FAILED",
    "QUIZ_SECONDS",
    "SKILL_KINDS",
    "STATES",
    "STATE_WEIGHTS",
    "STRATEGIC",
    "UNDER_REVIEW",
    "VIDEO_NAME",
    "VIDEO_SECONDS",
    "VIDEO_SOURCE",
    "handout_pdf",
    "learning_demo",
]


def learning_demo(seed: int, stdout: Any) -> None:
    from skillcity.learning.models import Course

    if Course.objects.exists():
        return
    rng = random.Random(f"learning-{seed}")
    _media_ensure()
    with transaction.atomic():
        courses = _courses(rng)
        _lessons(rng, courses)
    stdout.write(f"  {len(courses)} courses")
    learners = _learners(rng, courses)
    stdout.write(f"  {learners} learners with progress")
