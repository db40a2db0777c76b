"""The demo accounts and learners: enrolments, and progress made through the statement log."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from skillcity.learning.demo.accounts import _learner_account
from skillcity.learning.demo.catalogue import LEARNER_COURSES, LEARNERS

NOT_STARTED, IN_PROGRESS, COMPLETED, QUIZ_FAILED = "not_started", "in_progress", "completed", "quiz_failed"
STATES = (NOT_STARTED, IN_PROGRESS, COMPLETED, QUIZ_FAILED)
STATE_WEIGHTS = (25, 35, 30, 10)


def _learners(rng: random.Random, courses: list[Any]) -> int:
    from skillcity.accounts.models import User
    from skillcity.learning.models import Enrolment, Lesson
    from skillcity.learning.services.progress import progress_aggregate
    from skillcity.registry.models import Worker

    published = [c for c in courses if c.state == "published"]
    popular = rng.sample(published, min(LEARNER_COURSES, len(published)))
    taken = set(User.objects.filter(worker__isnull=False).values_list("worker_id", flat=True))
    candidates = list(
        Worker.objects.exclude(phone="")
        .exclude(pk__in=taken)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    if not candidates or not popular:
        return 0
    learner_ids = rng.sample(candidates, min(LEARNERS, len(candidates)))
    # The demo account first: one course in each state, and one more in progress.
    learner_worker = Worker.objects.get(pk=learner_ids[0])
    _learner_account(learner_worker)
    lessons: dict[int, list[Any]] = {}
    for lesson in Lesson.objects.filter(course__in=popular).order_by("position"):
        lessons.setdefault(lesson.course_id, []).append(lesson)
    plan: list[tuple[int, Any, str]] = []
    for n, worker_id in enumerate(learner_ids):
        if n == 0:
            chosen = popular[:5]
            states = [IN_PROGRESS, COMPLETED, NOT_STARTED, QUIZ_FAILED, IN_PROGRESS]
        else:
            chosen = rng.sample(popular, rng.randint(1, 4))
            states = [rng.choices(STATES, STATE_WEIGHTS)[0] for _ in chosen]
            if n <= len(STATES):  # every state at least once beyond the demo account
                states[0] = STATES[n - 1]
        plan += [(worker_id, course, state) for course, state in zip(chosen, states, strict=True)]
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [Enrolment(worker_id=w, course=c) for w, c, _s in plan], batch_size=1000, ignore_conflicts=True
    )
    for worker_id, course, state in plan:
        # Each learner's activity starts on a day of the last four weeks, one lesson after another.
        start = now - datetime.timedelta(days=rng.randint(1, 28), minutes=rng.randint(0, 600))
        Enrolment.objects.filter(worker_id=worker_id, course=course).update(
            enrolled_at=start - datetime.timedelta(hours=1)
        )
        _progress_make(rng, worker_id, lessons.get(course.pk, []), state, start)
    progress_aggregate(now=now)
    return len(learner_ids)


def _progress_make(rng: random.Random, worker_id: int, lessons: list[Any], state: str, start: Any) -> None:
    """Statements as the player and the quiz would send them, stored at the times they would arrive."""
    from skillcity.learning.models import LessonKind
    from skillcity.learning.services.quizzes import quiz_grade

    if state == NOT_STARTED:
        return
    at = start
    media = [lesson for lesson in lessons if lesson.kind != LessonKind.QUIZ]
    quiz = next((lesson for lesson in lessons if lesson.kind == LessonKind.QUIZ), None)
    done = len(media) if state in (COMPLETED, QUIZ_FAILED) else rng.randint(0, len(media) - 1)
    for index, lesson in enumerate(media):
        if index < done:
            at = _lesson_play(worker_id, lesson, at, lesson.duration_seconds)
        elif index == done and state == IN_PROGRESS:
            at = _lesson_play(worker_id, lesson, at, max(1, lesson.duration_seconds // 2), finished=False)
            break
    if quiz is not None and state in (COMPLETED, QUIZ_FAILED):
        right = state == COMPLETED
        answers: list[int | None] = [
            q["answer"] if right else (q["answer"] + 1) % len(q["options"]) for q in quiz.questions
        ]
        quiz_grade(worker_id=worker_id, lesson=quiz, answers=answers, now=at + datetime.timedelta(seconds=60))


def _lesson_play(worker_id: int, lesson: Any, at: Any, seconds: int, *, finished: bool = True) -> Any:
    """initialized, a heartbeat every 30 s, then completed (or a pause), each stored when it would be."""
    from skillcity.learning.services.quizzes import VERB_IRI, lesson_iri
    from skillcity.learning.services.statements import statements_store

    def one(verb: str, position: int, when: Any, event: str = "", duration: int = 0) -> None:
        statement: dict[str, Any] = {
            "id": str(_uuid(worker_id, lesson.pk, verb, position)),
            "verb": {"id": VERB_IRI + verb},
            "object": {"objectType": "Activity", "id": lesson_iri(lesson.pk)},
            "result": {"extensions": {"https://w3id.org/xapi/video/extensions/time": position}},
            "timestamp": when.isoformat(),
        }
        if duration:
            statement["result"]["duration"] = f"PT{duration}S"
        if event:
            statement["context"] = {"extensions": {"https://w3id.org/xapi/video/extensions/event": event}}
        statements_store(worker_id=worker_id, statements=[statement], now=when)

    one("initialized", 0, at)
    position = 0
    while seconds - position > 30:
        position += 30
        one("progressed", position, at + datetime.timedelta(seconds=position), "heartbeat", 30)
    end = at + datetime.timedelta(seconds=seconds)
    if finished:
        one("completed", seconds, end, "", seconds - position)
    else:
        one("progressed", seconds, end, "pause", seconds - position)
    one("terminated", seconds, end + datetime.timedelta(seconds=1), "close")
    return end + datetime.timedelta(seconds=5)


def _uuid(*parts: Any) -> Any:
    """A statement id fixed by what it is about: the demo's log is the same from one build to the next."""
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_URL, "skillcity-demo-learning:" + ":".join(map(str, parts)))
