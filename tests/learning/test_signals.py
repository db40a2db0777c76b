"""Signals for supervision, recorded while aggregating: two lessons at once, beats faster than real
time, long unbroken play. An honest play records none; a replay records none twice."""

from __future__ import annotations

import pytest

from skillcity.learning.models import Signal, SignalKind
from skillcity.learning.services.progress import SETTLE, progress_aggregate
from skillcity.learning.services.statements import statements_store
from skillcity.learning.signals import DETECTORS
from tests.learning.ingest import at, course_with_lessons, enrol, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(changan_worker):
    course = course_with_lessons(lessons=(("video", 9000), ("video", 9000)))
    enrol(changan_worker, course)
    return list(course.lessons.order_by("position"))


def send(worker, lesson, t, verb="progressed", **kwargs):
    statements_store(worker_id=worker.pk, statements=[statement(lesson, verb, **kwargs)], now=at(t))


def kinds() -> list[str]:
    progress_aggregate(now=at(100_000) + SETTLE)
    return sorted(Signal.objects.values_list("kind", flat=True))


def test_every_kind_has_one_detector():
    assert set(DETECTORS) == set(SignalKind.values)


def test_an_honest_play_with_pauses_records_no_signal(changan_worker, lessons):
    first, second = lessons
    send(changan_worker, first, 0, "initialized", position=0)
    for t in range(30, 3601, 30):
        send(changan_worker, first, t, position=t, event="heartbeat")
    send(changan_worker, first, 3610, position=3610, event="pause")
    send(changan_worker, first, 3620, "terminated", position=3610, event="close")
    send(changan_worker, second, 3625, "initialized", position=0)
    send(changan_worker, second, 3655, position=30, event="heartbeat")
    assert kinds() == []


def test_two_lessons_playing_at_once_is_recorded(changan_worker, lessons):
    first, second = lessons
    send(changan_worker, first, 0, "initialized", position=0)
    send(changan_worker, second, 5, "initialized", position=0)
    for t in (30, 60, 90):
        send(changan_worker, first, t, position=t, event="heartbeat")
        send(changan_worker, second, t + 5, position=t, event="heartbeat")
    assert set(kinds()) == {SignalKind.CONCURRENT_PLAY}
    signal = Signal.objects.first()
    assert signal.worker == changan_worker and "仍在播放" in signal.detail


def test_beats_faster_than_thirty_seconds_are_recorded(changan_worker, lessons):
    first, _ = lessons
    send(changan_worker, first, 0, "initialized", position=0)
    send(changan_worker, first, 30, position=30, event="heartbeat")
    send(changan_worker, first, 32, position=31, event="heartbeat")
    assert kinds() == [SignalKind.FASTER_THAN_REAL_TIME]


def test_a_seek_forward_is_not_faster_than_real_time(changan_worker, lessons):
    first, _ = lessons
    send(changan_worker, first, 0, "initialized", position=0)
    send(changan_worker, first, 30, position=30, event="heartbeat")
    send(changan_worker, first, 35, position=900, event="seek")
    send(changan_worker, first, 65, position=930, event="heartbeat")
    assert kinds() == []


def test_two_hours_of_heartbeats_without_interaction_are_recorded_once(changan_worker, lessons):
    first, _ = lessons
    send(changan_worker, first, 0, "initialized", position=0)
    for t in range(30, 3 * 3600, 30):
        send(changan_worker, first, t, position=min(t, 9000), event="heartbeat")
    assert kinds() == [SignalKind.UNBROKEN_PLAY]
    assert "分钟" in Signal.objects.get().detail


def test_a_pause_breaks_the_run(changan_worker, lessons):
    first, _ = lessons
    send(changan_worker, first, 0, "initialized", position=0)
    for t in range(30, 3700, 30):
        send(changan_worker, first, t, position=t, event="heartbeat")
    send(changan_worker, first, 3700, position=3700, event="pause")
    for t in range(3730, 7300, 30):
        send(changan_worker, first, t, position=t - 30, event="heartbeat")
    assert kinds() == []
