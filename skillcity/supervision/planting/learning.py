"""Online learning (SUP-LEARNING, the learning issue's signals): heartbeats whose play position runs
3× faster than the server's clock, or two lessons of two courses playing at once (刷课 scripts).
Near-misses: play at exactly real time; two lessons one after the other (the second a minute after
the first ends). Not planted: long unbroken play with no interaction."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import Plant

BEAT = 30  # seconds between heartbeats, by the server's clock
BEATS = 20
FAST = 3  # play seconds per real second in a case


def _course(p: Plant, provider: Any, n: int) -> Any:
    from django.utils import timezone

    from skillcity.learning.models import Category, Course, CourseState, Lesson, LessonKind

    course = Course.objects.create(
        code=f"C{p.tag:06d}{p.round:02d}{n:04d}",
        title=f"{p.occupation().name}在线课程",
        category=Category.SKILL,
        provider=provider,
        state=CourseState.PUBLISHED,
        published_at=timezone.now(),
    )
    Lesson.objects.create(
        course=course, position=1, title="第 1 节", kind=LessonKind.VIDEO, duration_seconds=3600
    )
    return course


def _play(p: Plant, worker: Any, lesson: Any, start: datetime.datetime, speed: int) -> list[Any]:
    return _store(_beats(p, worker, lesson, start, speed))


def _store(rows: list[Any]) -> list[Any]:
    """Statements written in the order the server received them (the learning app sends them as they
    happen; the aggregator folds them in that order)."""
    from skillcity.learning.models import Statement

    return Statement.objects.bulk_create(sorted(rows, key=lambda s: (s.stored, s.lesson_id)))


def _beats(p: Plant, worker: Any, lesson: Any, start: datetime.datetime, speed: int) -> list[Any]:
    from skillcity.learning.models import Statement, Verb

    return [
        Statement(
            uuid=uuid.UUID(int=p.rng.getrandbits(128)),
            worker=worker,
            lesson=lesson,
            verb=Verb.PROGRESSED,
            position=Decimal(beat * BEAT * speed),
            duration=Decimal(BEAT * speed),
            timestamp=start + datetime.timedelta(seconds=beat * BEAT),
            stored=start + datetime.timedelta(seconds=beat * BEAT, milliseconds=p.rng.randrange(50, 400)),
            event="heartbeat",
        )
        for beat in range(1, BEATS + 1)
    ]


def plant(p: Plant, cases: int, near: int) -> Planted:
    from skillcity.learning.models import Enrolment

    done = Planted(skipped=["long unbroken play with no interaction: not planted yet"])
    provider = p.organisation()
    courses = [_course(p, provider, n) for n in range(2)]
    lessons = [c.lessons.get() for c in courses]
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        for i in range(count):
            (worker,) = p.workers([p.rng.uniform(20, 50)], on=p.today)
            start = p.at(p.day(3, 30), 20, p.rng.randrange(1800))
            if i % 2 == 0:
                enrolments = Enrolment.objects.bulk_create([Enrolment(worker=worker, course=courses[0])])
                played = _play(p, worker, lessons[0], start, 1 if honest else FAST)
                note = "播放进度与服务器时间一致" if honest else f"播放进度快于实际时间 {FAST} 倍"
            else:
                enrolments = Enrolment.objects.bulk_create(
                    [Enrolment(worker=worker, course=c) for c in courses]
                )
                second = start + datetime.timedelta(seconds=(BEATS + 2) * BEAT) if honest else start
                played = _store(
                    _beats(p, worker, lessons[0], start, 1) + _beats(p, worker, lessons[1], second, 1)
                )
                note = "两节课先后播放" if honest else f"两门课的课时同时播放 {BEATS * BEAT // 60} 分钟"
            aliases = tuple(("learning.enrolment", e.pk) for e in enrolments) + tuple(
                ("learning.statement", s.pk) for s in played
            )
            into.append(Case(keys=(Key("registry.worker", worker.pk, aliases),), note=note))
    # The learning worker folds the log every minute and records its supervision signals (what
    # SUP-LEARNING reads): fold the planted statements as it would.
    from skillcity.learning.services.progress import progress_aggregate

    progress_aggregate(limit=10**7)
    return done


register_planter(
    Planter(
        kind="learning",
        check_id="SUP-LEARNING",
        describes="在线学习播放进度快于实际时间 3 倍，或两门课同时播放（刷课）",
        counts={"city": (30, 15), "demo": (2, 2), "day": (1, 1)},
        plant=plant,
    )
)
