"""The statement log: statements appended once per UUID, checked field by field, only for lessons
of the learner's own courses."""

from __future__ import annotations

import uuid

import pytest

from skillcity.core.errors import DomainError
from skillcity.learning.models import Statement
from skillcity.learning.services.statements import statements_store
from tests.factories import WorkerFactory
from tests.learning.ingest import at, course_with_lessons, enrol, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(changan_worker):
    course = course_with_lessons()
    enrol(changan_worker, course)
    return course.lessons.get()


def test_it_stores_a_statement_once_and_answers_a_duplicate_the_same(changan_worker, lesson):
    sent = statement(lesson, position=30, duration="PT30S", event="heartbeat")
    first = statements_store(worker_id=changan_worker.pk, statements=[sent], now=at(30))
    again = statements_store(worker_id=changan_worker.pk, statements=[sent], now=at(60))
    assert first == again == [sent["id"]]
    stored = Statement.objects.get()
    assert (stored.verb, stored.position, stored.duration, stored.event) == (
        "progressed",
        30,
        30,
        "heartbeat",
    )
    assert stored.stored == at(30)  # the first one's server time: the second was not written


def test_it_answers_the_ids_in_order_with_duplicates_inside_one_request(changan_worker, lesson):
    a, b = statement(lesson, "initialized", position=0), statement(lesson, position=30)
    ids = statements_store(worker_id=changan_worker.pk, statements=[a, b, a], now=at(0))
    assert ids == [a["id"], b["id"], a["id"]]
    assert Statement.objects.count() == 2


def test_it_keeps_the_parsed_fields(changan_worker, lesson):
    sent = statement(lesson, "passed", score=85.5, duration="PT1M2.5S", position=62.5)
    sent["id"] = sent["id"].upper()
    (answered,) = statements_store(worker_id=changan_worker.pk, statements=[sent], now=at(0))
    row = Statement.objects.get()
    assert answered == str(uuid.UUID(sent["id"])) == str(row.uuid)
    assert (row.score, row.duration, row.position, row.event) == (85.5, 62.5, 62.5, "")
    assert row.timestamp.isoformat() == "2026-12-07T01:00:00+00:00"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s.pop("id"), "id"),
        (lambda s: s.update(id="not-a-uuid"), "id"),
        (lambda s: s.update(verb={"id": "http://adlnet.gov/expapi/verbs/liked"}), "verb.id"),
        (lambda s: s.update(object={"id": "https://skillcity.example/learning/lessons/x/"}), "object.id"),
        (lambda s: s.update(timestamp="yesterday"), "timestamp"),
        (lambda s: s.pop("timestamp"), "timestamp"),
        (lambda s: s.update(result={"duration": "30 seconds"}), "result.duration"),
        (lambda s: s.update(result={"score": {"raw": 101}}), "result.score.raw"),
        (
            lambda s: s.update(result={"extensions": {"https://w3id.org/xapi/video/extensions/time": -1}}),
            "result.extensions[https://w3id.org/xapi/video/extensions/time]",
        ),
        (
            lambda s: s.update(context={"extensions": {"https://w3id.org/xapi/video/extensions/event": "x"}}),
            "context.extensions[https://w3id.org/xapi/video/extensions/event]",
        ),
        (lambda s: s.update(actor={"account": {"homePage": "h", "name": "worker:0"}}), "actor"),
    ],
)
def test_it_refuses_a_bad_field_naming_it_and_stores_nothing(changan_worker, lesson, change, field):
    good, bad = statement(lesson), statement(lesson)
    change(bad)
    with pytest.raises(DomainError) as refused:
        statements_store(worker_id=changan_worker.pk, statements=[good, bad], now=at(0))
    assert (refused.value.code, refused.value.status) == ("invalid", 422)
    assert list(refused.value.fields) == [f"[1].{field}"]
    assert not Statement.objects.exists()


def test_it_refuses_a_lesson_of_a_course_the_learner_has_not_enrolled_in(changan_worker, lesson):
    other = course_with_lessons(code="KC0002").lessons.get()
    with pytest.raises(DomainError) as refused:
        statements_store(worker_id=changan_worker.pk, statements=[statement(lesson), statement(other)])
    assert (refused.value.code, refused.value.status) == ("not_enrolled", 403)
    stranger = WorkerFactory()
    with pytest.raises(DomainError) as refused:
        statements_store(worker_id=stranger.pk, statements=[statement(lesson)])
    assert refused.value.status == 403
    assert not Statement.objects.exists()


def test_it_refuses_an_unknown_lesson_an_empty_request_and_more_than_fifty(changan_worker, lesson):
    with pytest.raises(DomainError) as refused:
        statements_store(worker_id=changan_worker.pk, statements=[statement(999999)])
    assert list(refused.value.fields) == ["object.id"] and refused.value.status == 422
    with pytest.raises(DomainError):
        statements_store(worker_id=changan_worker.pk, statements=[])
    with pytest.raises(DomainError) as refused:
        statements_store(worker_id=changan_worker.pk, statements=[statement(lesson) for _ in range(51)])
    assert refused.value.fields == {"statements": "最多 50 条"}


def test_an_actor_that_is_the_learner_is_accepted(changan_worker, lesson):
    sent = statement(lesson)
    sent["actor"] = {
        "objectType": "Agent",
        "account": {"homePage": "x", "name": f"worker:{changan_worker.pk}"},
    }
    assert statements_store(worker_id=changan_worker.pk, statements=[sent]) == [sent["id"]]
