"""The log out as standard xAPI JSON (the API's GET and the download): it conforms to the xAPI
1.0.3 statement schema, filters by learner, course and period, and shows each role its part."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from skillcity.accounts.models import Role
from skillcity.core.models import AuditEvent
from skillcity.learning.selectors.statements import iso_duration, statement_as_xapi
from skillcity.learning.services.statements import statements_store
from tests.factories import UserFactory
from tests.learning import schema_check
from tests.learning.ingest import at, course_with_lessons, enrol, statement

pytestmark = pytest.mark.django_db
URL = "/api/v1/learning/statements"


@pytest.fixture
def log(changan_worker, humen_worker):
    """Two courses of two providers; the Changan worker in both, the Humen worker in the first."""
    first = course_with_lessons(code="KC0001", lessons=(("video", 600), ("quiz", 60)))
    second = course_with_lessons(code="KC0002", lessons=(("document", 300),))
    enrol(changan_worker, first)
    enrol(changan_worker, second)
    enrol(humen_worker, first)
    video, quiz = first.lessons.order_by("position")
    document = second.lessons.get()
    statements_store(
        worker_id=changan_worker.pk, statements=[statement(video, "initialized", position=0)], now=at(0)
    )
    statements_store(
        worker_id=changan_worker.pk,
        statements=[statement(video, position=30.5, duration="PT30.5S", event="heartbeat")],
        now=at(31),
    )
    statements_store(
        worker_id=changan_worker.pk, statements=[statement(quiz, "passed", score=80)], now=at(3600)
    )
    statements_store(worker_id=changan_worker.pk, statements=[statement(document, "completed")], now=at(7200))
    statements_store(worker_id=humen_worker.pk, statements=[statement(video, "failed", score=10)], now=at(60))
    return first, second


def get(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["X-Experience-API-Version"] == "1.0.3"
    return response.json()


def test_every_exported_statement_conforms_to_the_xapi_statement_schema(client, bureau_officer, log):
    body = get(client, bureau_officer)
    assert set(body) == {"statements", "more"} and body["more"] == ""
    assert len(body["statements"]) == 5
    for made in body["statements"]:
        assert schema_check.errors(made) == [], made
        assert made["version"] == "1.0.3"
        assert made["actor"]["account"]["name"].startswith("worker:")
        assert made["verb"]["display"]["zh-CN"] and made["verb"]["display"]["en-US"]
        assert made["object"]["definition"]["name"]["zh-CN"].startswith("第")
    heartbeat = body["statements"][1]
    assert heartbeat["result"]["duration"] == "PT30.5S"
    assert heartbeat["result"]["extensions"]["https://w3id.org/xapi/video/extensions/time"] == 30.5
    assert heartbeat["context"]["extensions"]["https://w3id.org/xapi/video/extensions/event"] == "heartbeat"
    passed = body["statements"][2]
    assert passed["result"]["score"] == {"raw": 80, "min": 0, "max": 100, "scaled": 0.8}
    assert passed["result"]["success"] is True


def test_the_schema_refuses_what_is_not_a_statement(log, bureau_officer, client):
    made = get(client, bureau_officer)["statements"][0]
    broken = [
        {k: v for k, v in made.items() if k != "verb"},
        {**made, "id": "123"},
        {**made, "timestamp": "2026-12-07 09:00"},
        {**made, "verb": {"id": "progressed"}},
        {**made, "actor": {"objectType": "Agent"}},
        {**made, "result": {"duration": "30s"}},
        {**made, "unknown": 1},
    ]
    for statement_ in broken:
        assert schema_check.errors(statement_), statement_


def test_it_filters_by_learner_course_and_period(client, bureau_officer, log, changan_worker, humen_worker):
    first, second = log
    assert len(get(client, bureau_officer, learner=humen_worker.pk)["statements"]) == 1
    assert len(get(client, bureau_officer, course=second.pk)["statements"]) == 1
    assert len(get(client, bureau_officer, course=first.pk, learner=changan_worker.pk)["statements"]) == 3
    since, until = at(30).isoformat(), at(3600).isoformat()
    assert len(get(client, bureau_officer, since=since, until=until)["statements"]) == 2
    assert len(get(client, bureau_officer, since="2026-12-08")["statements"]) == 0


def test_pages_are_bounded_and_more_leads_to_the_next(client, bureau_officer, log):
    body = get(client, bureau_officer, limit=2)
    ids = [s["id"] for s in body["statements"]]
    while body["more"]:
        body = client.get(body["more"]).json()
        ids += [s["id"] for s in body["statements"]]
    assert len(ids) == len(set(ids)) == 5
    client.force_login(bureau_officer)
    refused = client.get(URL, {"limit": 501})
    assert refused.status_code == 422 and "limit" in refused.json()["fields"]
    assert client.get(URL, {"since": "yesterday"}).json()["fields"] == {
        "since": ["应为 ISO 8601 时间或 YYYY-MM-DD 日期"]
    }


def test_each_role_sees_its_part(client, log, worker_user, humen_worker, changan_officer, humen_officer):
    _, second = log
    mine = get(client, worker_user)["statements"]
    assert {s["actor"]["account"]["name"] for s in mine} == {f"worker:{worker_user.worker_id}"}
    assert get(client, worker_user, learner=humen_worker.pk)["statements"] == []
    provider = UserFactory(role=Role.ORGANISATION_USER, organisation=second.provider)
    assert len(get(client, provider)["statements"]) == 1
    assert len(get(client, changan_officer)["statements"]) == 4
    assert len(get(client, humen_officer)["statements"]) == 1
    client.logout()
    assert client.get(URL).status_code == 401


def test_the_download_is_an_xapi_json_file_with_the_same_rules(client, worker_user, bureau_officer, log):
    first, _ = log
    client.force_login(worker_user)
    response = client.get(reverse("learning:statements_export"), {"course": first.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="statements-')
    body = json.loads(b"".join(response.streaming_content))
    assert len(body["statements"]) == 3 and body["more"] == ""
    assert all(schema_check.errors(s) == [] for s in body["statements"])
    assert AuditEvent.objects.filter(action="learning.statements_export").count() == 1
    client.force_login(bureau_officer)
    body = json.loads(b"".join(client.get(reverse("learning:statements_export")).streaming_content))
    assert len(body["statements"]) == 5
    bad = client.get(reverse("learning:statements_export"), {"since": "x"})
    assert bad.status_code == 302


def test_iso_durations():
    from decimal import Decimal

    assert [iso_duration(Decimal(v)) for v in ("0", "30", "30.50", "3723.25")] == [
        "PT0S",
        "PT30S",
        "PT30.5S",
        "PT1H2M3.25S",
    ]


def test_a_statement_is_written_with_its_stored_uuid(changan_worker, log):
    from skillcity.learning.models import Statement

    row = Statement.objects.select_related("lesson").first()
    made = statement_as_xapi(row, "https://skillcity.example")
    assert uuid.UUID(made["id"]) == row.uuid
