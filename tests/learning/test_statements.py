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


URL = "/api/v1/learning/statements"


def test_the_api_takes_one_statement_or_an_array_with_a_session_and_its_csrf_token(worker_user, lesson):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(worker_user)
    one = statement(lesson, "initialized", position=0)
    refused = client.post(URL, one, content_type="application/json")
    assert refused.status_code == 403  # no CSRF token
    client.get("/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    answered = client.post(URL, one, content_type="application/json", headers={"X-CSRFToken": token})
    assert answered.status_code == 200 and answered.json() == [one["id"]]
    two = [statement(lesson, position=30), one]
    answered = client.post(URL, two, content_type="application/json", headers={"X-CSRFToken": token})
    assert answered.json() == [two[0]["id"], one["id"]]
    assert Statement.objects.count() == 2


def test_the_api_takes_a_workers_bearer_token_and_names_bad_fields(worker_user, lesson, client):
    from skillcity.accounts.services import token_create

    _, clear = token_create(user=worker_user, name="player", actor="test")
    auth = {"Authorization": f"Bearer {clear}"}
    sent = statement(lesson, position=12.5)
    answered = client.post(URL, sent, content_type="application/json", headers=auth)
    assert answered.status_code == 200 and answered.json() == [sent["id"]]
    bad = client.post(URL, {**sent, "verb": {"id": "x"}}, content_type="application/json", headers=auth)
    assert bad.status_code == 422 and list(bad.json()["fields"]) == ["verb.id"]
    garbage = client.post(URL, "{", content_type="application/json", headers=auth)
    assert garbage.status_code == 422


def test_only_a_learner_may_post_statements(client, bureau_officer, lesson):
    client.force_login(bureau_officer)
    response = client.post(URL, statement(lesson), content_type="application/json")
    assert response.status_code == 403
    client.logout()
    assert client.post(URL, statement(lesson), content_type="application/json").status_code == 401


def test_a_refusal_is_in_english_when_english_is_chosen(worker_user, lesson, client):
    client.force_login(worker_user)
    client.cookies["django_language"] = "en"
    response = client.post(URL, {**statement(lesson), "id": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["fields"] == {"id": ["Must be a UUID made by the client"]}
