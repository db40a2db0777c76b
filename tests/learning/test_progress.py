"""Progress derived from the log: watched time capped by real time, the course's completion rule,
completions with their audit row, exactly-once folding, and a rebuild that gives the same."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.models import AuditEvent
from skillcity.learning.models import (
    AggregationCursor,
    Completion,
    Enrolment,
    EnrolmentState,
    LessonProgress,
    Signal,
    SignalKind,
)
from skillcity.learning.services.progress import SETTLE, progress_aggregate, progress_rebuild
from skillcity.learning.services.statements import statements_store
from tests.learning.ingest import at, course_with_lessons, enrol, statement

pytestmark = pytest.mark.django_db


def play(
    worker, lesson, *, seconds: int, every: int = 30, speed: int = 1, start: float = 0, event="heartbeat"
):
    """A play of `seconds` real seconds: initialized, then a beat every `every` s at `speed`×."""
    statements_store(
        worker_id=worker.pk, statements=[statement(lesson, "initialized", position=0)], now=at(start)
    )
    for t in range(every, seconds + 1, every):
        statements_store(
            worker_id=worker.pk,
            statements=[statement(lesson, position=min(t * speed, lesson.duration_seconds), event=event)],
            now=at(start + t),
        )


def aggregate(after: float = 10_000) -> int:
    return progress_aggregate(now=at(after) + SETTLE)


def test_watched_time_is_credited_by_the_position_the_learner_advanced(changan_worker):
    course = course_with_lessons(lessons=(("video", 600),))
    enrolment = enrol(changan_worker, course)
    lesson = course.lessons.get()
    play(changan_worker, lesson, seconds=300)
    assert aggregate() == 11
    progress = LessonProgress.objects.get()
    assert (progress.watched_seconds, progress.last_position, progress.completed) == (300, 300, False)
    enrolment.refresh_from_db()
    assert (enrolment.progress, enrolment.watched_seconds, enrolment.state) == (
        55,
        300,
        EnrolmentState.LEARNING,
    )
    assert enrolment.last_active_at == at(300)


def test_playing_at_16x_earns_only_the_real_time(changan_worker):
    course = course_with_lessons(lessons=(("video", 3600),))
    enrol(changan_worker, course)
    lesson = course.lessons.get()
    play(changan_worker, lesson, seconds=210, speed=16)  # reaches the end of the hour in 3.5 minutes
    aggregate()
    progress = LessonProgress.objects.get()
    assert progress.watched_seconds == 210
    assert not progress.completed
    assert Signal.objects.filter(kind=SignalKind.FASTER_THAN_REAL_TIME).exists()


def test_beats_faster_than_real_time_earn_nothing_extra(changan_worker):
    course = course_with_lessons(lessons=(("video", 600),))
    enrol(changan_worker, course)
    lesson = course.lessons.get()
    # A beat claiming 30 s every 2 s: in 20 s of real time, 300 s claimed.
    play(changan_worker, lesson, seconds=20, every=2, speed=15)
    aggregate()
    assert LessonProgress.objects.get().watched_seconds == 20
    assert Signal.objects.filter(kind=SignalKind.FASTER_THAN_REAL_TIME).count() >= 1


def test_a_claimed_duration_is_capped_by_real_time_and_the_first_statement_earns_nothing(changan_worker):
    course = course_with_lessons(lessons=(("video", 600),))
    enrol(changan_worker, course)
    lesson = course.lessons.get()
    store = lambda s, t: statements_store(worker_id=changan_worker.pk, statements=[s], now=at(t))  # noqa: E731
    store(statement(lesson, duration="PT30S"), 0)  # no play before it: nothing
    store(statement(lesson, duration="PT30S"), 10)  # 30 s claimed, 10 s passed
    store(statement(lesson, duration="PT30S"), 40)
    aggregate()
    assert LessonProgress.objects.get().watched_seconds == 40


def test_network_jitter_between_beats_costs_nothing(changan_worker):
    course = course_with_lessons(lessons=(("video", 120),), share=100)
    enrolment = enrol(changan_worker, course)
    lesson = course.lessons.get()
    store = lambda s, t: statements_store(worker_id=changan_worker.pk, statements=[s], now=at(t))  # noqa: E731
    store(statement(lesson, "initialized", position=0), 0)
    for position, t in ((30, 30.4), (60, 59.8), (90, 90.3), (120, 119.9)):
        store(statement(lesson, position=position, event="heartbeat"), t)
    aggregate()
    enrolment.refresh_from_db()
    # 0.6 s of real time late on one beat is made good by the next; without the carry 119.0.
    assert LessonProgress.objects.get().watched_exact == Decimal("119.80")
    assert enrolment.state == EnrolmentState.LEARNING  # 100 % asked: 119.8 of 120 s


def test_completion_follows_the_course_rule_and_creates_the_training_record(changan_worker):
    course = course_with_lessons(lessons=(("video", 600), ("quiz", 300)), share=90)
    enrolment = enrol(changan_worker, course)
    video, quiz = course.lessons.order_by("position")
    play(changan_worker, video, seconds=510)  # 85 %: short of 90
    aggregate(600)
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.LEARNING and enrolment.progress == 47
    assert not Completion.objects.exists()
    statements_store(
        worker_id=changan_worker.pk,
        statements=[statement(video, position=540, event="heartbeat")],
        now=at(540),
    )
    statements_store(
        worker_id=changan_worker.pk, statements=[statement(quiz, "failed", score=50)], now=at(700)
    )
    aggregate(800)
    enrolment.refresh_from_db()
    assert LessonProgress.objects.get(lesson=video).completed
    assert enrolment.state == EnrolmentState.LEARNING and enrolment.progress == 50
    statements_store(
        worker_id=changan_worker.pk, statements=[statement(quiz, "passed", score=80)], now=at(900)
    )
    aggregate(1000)
    enrolment.refresh_from_db()
    assert (enrolment.state, enrolment.progress, enrolment.completed_at) == (
        EnrolmentState.COMPLETED,
        100,
        at(900),
    )
    completion = Completion.objects.get()
    assert (completion.worker, completion.course, completion.enrolment) == (changan_worker, course, enrolment)
    assert completion.hours == Decimal("0.3")  # 900 s of lessons
    assert completion.completed_on == datetime.date(2026, 12, 7)
    assert completion.number == f"XX2026-{enrolment.pk:08d}"
    audit = AuditEvent.objects.get(action="learning.completion")
    assert audit.target_id == str(completion.pk)


def test_a_quiz_is_complete_by_its_pass_score(changan_worker):
    course = course_with_lessons(lessons=(("quiz", 300),))
    enrolment = enrol(changan_worker, course)
    quiz = course.lessons.get()
    statements_store(
        worker_id=changan_worker.pk, statements=[statement(quiz, "completed", score=60)], now=at(0)
    )
    aggregate()
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.COMPLETED
    assert LessonProgress.objects.get().best_score == 60


def test_each_statement_is_folded_once_and_unsettled_ones_wait(changan_worker):
    course = course_with_lessons(lessons=(("video", 600),))
    enrol(changan_worker, course)
    lesson = course.lessons.get()
    play(changan_worker, lesson, seconds=120)
    assert progress_aggregate(now=at(60) + SETTLE) == 3  # 0, 30, 60: the rest not settled yet
    assert progress_aggregate(now=at(60) + SETTLE) == 0
    assert progress_aggregate(now=at(120) + SETTLE, limit=1) == 1
    assert aggregate() == 1
    assert aggregate() == 0
    assert LessonProgress.objects.get().watched_seconds == 120
    assert AggregationCursor.objects.get(name="progress").last_statement_id > 0


def test_a_rebuild_gives_the_same_progress_and_keeps_issued_completions(changan_worker, humen_worker):
    course = course_with_lessons(lessons=(("video", 300), ("quiz", 60)))
    other = course_with_lessons(code="KC0002", lessons=(("video", 900),))
    for worker in (changan_worker, humen_worker):
        enrol(worker, course)
        enrol(worker, other)
    video, quiz = course.lessons.order_by("position")
    play(changan_worker, video, seconds=300)
    statements_store(
        worker_id=changan_worker.pk, statements=[statement(quiz, "passed", score=90)], now=at(400)
    )
    play(humen_worker, video, seconds=150, start=100)
    play(humen_worker, other.lessons.get(), seconds=600, speed=2, start=1000)
    aggregate(5000)
    aggregate(5000)

    def snapshot():
        lessons = sorted(
            LessonProgress.objects.values_list(
                "enrolment_id", "lesson_id", "watched_seconds", "watched_exact", "last_position", "completed"
            )
        )
        enrolments = sorted(
            Enrolment.objects.values_list(
                "pk", "state", "progress", "watched_seconds", "last_active_at", "completed_at"
            )
        )
        return lessons, enrolments, sorted(Completion.objects.values_list("pk", "number"))

    before = snapshot()
    signals = Signal.objects.count()
    assert Completion.objects.count() == 1
    assert progress_rebuild(now=at(5000) + SETTLE) == 11 + 1 + 6 + 21
    assert snapshot() == before
    assert Signal.objects.count() == signals
    assert AuditEvent.objects.filter(action="learning.completion").count() == 1


def test_the_aggregation_runs_every_minute_and_as_a_command(changan_worker):
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from skillcity.jobs.schedule import PERIODIC_JOBS, tick

    job = PERIODIC_JOBS["learning.progress_aggregate"]
    assert job.period == "minutely" and job.task == "skillcity.learning.tasks.progress_aggregate_task"
    minute = at(0)
    assert "learning.progress_aggregate" in tick(minute)
    assert "learning.progress_aggregate" not in tick(minute + datetime.timedelta(seconds=50))
    assert "learning.progress_aggregate" in tick(minute + datetime.timedelta(seconds=60))

    course = course_with_lessons()
    enrol(changan_worker, course)
    lesson = course.lessons.get()
    past = timezone.now() - datetime.timedelta(minutes=5)
    for t in (0, 30):
        statements_store(
            worker_id=changan_worker.pk,
            statements=[statement(lesson, position=t)],
            now=past + datetime.timedelta(seconds=t),
        )
    out = io.StringIO()
    call_command("learning_aggregate", stdout=out)
    assert out.getvalue() == "2 statements folded\n"
    assert LessonProgress.objects.get().watched_seconds == 30
    call_command("learning_aggregate", "--rebuild", stdout=out)
    assert out.getvalue().endswith("rebuilt: 2 statements folded\n")


def test_completions_count_toward_the_targets(changan_worker, humen_worker):
    from skillcity.learning.selectors.outcomes import completions, courses_offered, upskilled_workers

    first = course_with_lessons(code="KC0001", lessons=(("quiz", 60),))
    second = course_with_lessons(code="KC0002", lessons=(("quiz", 60),))
    draft = course_with_lessons(code="KC0003")
    draft.state = "draft"
    draft.save()
    for course in (first, second):
        enrol(changan_worker, course)
        statements_store(
            worker_id=changan_worker.pk, statements=[statement(course.lessons.get(), "passed")], now=at(0)
        )
    enrol(humen_worker, first)
    aggregate()
    assert set(courses_offered()) == {first, second}
    assert completions().count() == 2
    assert completions(town_id=changan_worker.town_id).count() == 2
    assert completions(town_id=humen_worker.town_id).count() == 0
    assert completions(course_id=first.pk).count() == 1
    assert completions(since=datetime.date(2026, 12, 8)).count() == 0
    assert upskilled_workers() == 1


def test_the_background_fold_rests_between_chunks_as_long_as_each_took(changan_worker, monkeypatch):
    from skillcity.learning.services import progress

    course = course_with_lessons(lessons=(("video", 600),))
    enrol(changan_worker, course)
    play(changan_worker, course.lessons.get(), seconds=150)  # 6 statements
    monkeypatch.setattr(progress, "CHUNK", 2)
    clock = iter(range(0, 1000, 3))  # each chunk takes 3 s by this clock
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    rests: list[float] = []
    monkeypatch.setattr(progress.time, "sleep", rests.append)
    assert progress_aggregate(now=at(10_000) + SETTLE, rest=0.5) == 6
    assert rests == [1.5, 1.5, 1.5]  # half of each chunk's 3 s, after each of the three chunks
    assert LessonProgress.objects.get().watched_seconds == 150
