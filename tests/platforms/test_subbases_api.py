"""/api/v1/platforms/subbases/…: the same lifecycle through the API, the quota refusal's error shape,
scoping, the public list without a token, and the grant's facts from the roster."""

from __future__ import annotations

import pytest

from skillcity.accounts.services import token_create
from skillcity.platforms.models import Subbase
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory
from tests.platforms.subbases_helpers import ACCEPTED_ON, END, START, YEAR, roster

pytestmark = pytest.mark.django_db
API = "/api/v1/platforms/subbases"


def _auth(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


def test_the_lifecycle_through_the_api(client, enterprise_user, bureau_officer):
    org, bureau = _auth(enterprise_user), _auth(bureau_officer)
    made = client.post(
        API, {"name": "长安数控分基地", "direction": "数控"}, content_type="application/json", **org
    )
    assert made.status_code == 201 and made.json()["state_label"] == "待认定"
    pk = made.json()["id"]
    refused = client.post(
        f"{API}/{pk}/decision", {"action": "recognise"}, content_type="application/json", **org
    )
    assert refused.status_code == 403
    ok = client.post(
        f"{API}/{pk}/decision",
        {"action": "recognise", "recognised_on": "2024-02-01"},
        content_type="application/json",
        **bureau,
    )
    assert ok.json()["state_label"] == "已认定"
    report = client.post(
        f"{API}/{pk}/reports",
        {"year": 2024, "person_times": 15000, "new_courses": ["甲", "乙", "丙", "丁", "戊"]},
        content_type="application/json",
        **org,
    )
    assert report.status_code == 201 and report.json()["new_course_count"] == 5
    evaluated = client.post(f"{API}/reports/{report.json()['id']}/evaluate", **bureau)
    assert evaluated.json()["passed"] is True and evaluated.json()["passed_label"] == "合格"

    assert (
        client.put(
            f"{API}/purchases/{YEAR}", {"places": 100}, content_type="application/json", **bureau
        ).json()["remaining"]
        == 100
    )
    body = {"subbase_id": pk, "course_name": "数控车", "category": "B", "places": 60}
    first = client.post(
        f"{API}/purchases/{YEAR}/allocations", body, content_type="application/json", **bureau
    )
    assert first.status_code == 201
    # Sent again with an Idempotency-Key: the first answer's allocation, once.
    keyed = {**bureau, "HTTP_IDEMPOTENCY_KEY": "alloc-1"}
    again = [
        client.post(
            f"{API}/purchases/{YEAR}/allocations",
            {**body, "places": 1},
            content_type="application/json",
            **keyed,
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in again] == [201, 201] and again[0].json()["id"] == again[1].json()["id"]
    reused = client.post(
        f"{API}/purchases/{YEAR}/allocations", {**body, "places": 2}, content_type="application/json", **keyed
    )
    assert reused.status_code == 409 and reused.json()["code"] == "request_key_reused"
    body["places"] = 59
    past = client.post(f"{API}/purchases/{YEAR}/allocations", body, content_type="application/json", **bureau)
    assert past.status_code == 400 and past.json()["code"] == "quota_exceeded"
    assert "剩余39个" in past.json()["message"] and past.json()["fields"]["places"]

    course = first.json()["id"]
    opened = client.post(
        f"{API}/courses/{course}/class",
        {
            "occupation_id": OccupationFactory().pk,
            "start_date": START.isoformat(),
            "end_date": END.isoformat(),
        },
        content_type="application/json",
        **org,
    )
    assert opened.json()["state_label"] == "开班中"
    from skillcity.platforms.models import CourseAllocation

    roster(CourseAllocation.objects.get(pk=course), enterprise_user, completed=9)
    accepted = client.post(
        f"{API}/courses/{course}/acceptance",
        {"passed": True, "accepted_on": ACCEPTED_ON.isoformat()},
        content_type="application/json",
        **bureau,
    )
    assert accepted.json()["trainees"] == 9
    grant = client.post(f"{API}/courses/{course}/grant", **org)
    assert grant.status_code == 201
    assert grant.json()["facts"] == {"course_category": "B", "accepted": True, "trainees": 9}
    assert grant.json()["amount"] == "18000.00"
    again = client.post(f"{API}/courses/{course}/grant", **org)
    assert again.status_code == 409
    detail = client.get(f"{API}/{pk}", **org).json()
    assert detail["grants"][0]["state_label"] == "审核中" and detail["allocations"][0]["trainees"] == 9
    progress = client.get(f"{API}/progress", **bureau).json()
    assert progress["recognised"] == 1 and progress["target"] == 20


def test_scoping_and_the_public_list(client, enterprise_user, bureau_officer, changan):
    other = UserFactory(
        username="other_org", role="organisation_user", organisation=OrganisationFactory(town=changan)
    )
    made = client.post(
        API,
        {"name": "分基地甲", "direction": "数控"},
        content_type="application/json",
        **_auth(enterprise_user),
    )
    pk = made.json()["id"]
    assert client.get(f"{API}/{pk}", **_auth(other)).status_code == 404
    assert client.get(f"{API}/progress", **_auth(other)).status_code == 403
    assert client.get(f"{API}/public").json() == []
    client.post(
        f"{API}/{pk}/decision",
        {"action": "recognise"},
        content_type="application/json",
        **_auth(bureau_officer),
    )
    public = client.get(f"{API}/public").json()
    assert [s["name"] for s in public] == ["分基地甲"] and "decision_note" not in public[0]
    assert Subbase.objects.count() == 1
