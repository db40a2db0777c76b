"""Matching through the API (/api/v1/matching), by persona: a need posted, its candidates ranked and
paged, masked until the worker answers; a hire; a fair set up and a hire recorded there."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.matching.conftest import auth, holds

pytestmark = pytest.mark.django_db


def test_the_api_posts_ranks_masks_answers_and_hires(
    client, enterprise_user, worker_user, other_enterprise_user, humen_officer, bureau_officer, lathe, changan
):
    holds(worker_user.worker, lathe, 3)
    e, w = auth(enterprise_user), auth(worker_user)
    bad = client.post(
        "/api/v1/matching/needs",
        {
            "occupation_id": lathe.pk,
            "level": 3,
            "town_id": changan.pk,
            "head_count": 1,
            "wage_min": "9000",
            "wage_max": "6000",
            "start": "2026-03-01",
        },
        content_type="application/json",
        **e,
    )
    assert bad.status_code == 400 and "wage_max" in bad.json()["fields"]
    seeker = client.post(
        "/api/v1/matching/me/needs",
        {"occupation_id": lathe.pk, "town_ids": [changan.pk]},
        content_type="application/json",
        **w,
    )
    assert seeker.status_code == 201
    made = client.post(
        "/api/v1/matching/needs",
        {
            "occupation_id": lathe.pk,
            "level": 3,
            "town_id": changan.pk,
            "head_count": 1,
            "wage_min": "6000",
            "wage_max": "9000",
            "start": "2026-03-01",
        },
        content_type="application/json",
        **e,
    )
    assert made.status_code == 201, made.content
    need_id = made.json()["id"]
    candidates = client.get(f"/api/v1/matching/needs/{need_id}/candidates", **e).json()
    assert (
        candidates[0]["reason_text"] == "持三级证书，工种相符，意向镇街相符"
        and candidates[0]["name"] == "陈*安"
    )
    match_id = candidates[0]["match_id"]
    assert client.post(f"/api/v1/matching/matches/{match_id}/contact", **e).status_code == 403
    assert (
        client.get(f"/api/v1/matching/needs/{need_id}/candidates", **auth(other_enterprise_user)).status_code
        == 404
    )
    assert client.get(f"/api/v1/matching/needs/{need_id}", **auth(humen_officer)).status_code == 404
    mine = client.get("/api/v1/matching/me/matches", **w).json()
    assert mine[0]["reason_text"].startswith("持三级证书")
    answer = client.post(
        f"/api/v1/matching/matches/{match_id}/answer", {"accept": True}, content_type="application/json", **w
    )
    assert answer.json()["state"] == "accepted"
    contact = client.post(f"/api/v1/matching/matches/{match_id}/contact", **e).json()
    assert contact["name"] == "陈长安"
    hired = client.post(
        f"/api/v1/matching/matches/{match_id}/hire",
        {"start_month": f"{timezone.localdate():%Y-%m}"},
        content_type="application/json",
        **e,
    )
    assert hired.status_code == 201 and hired.json()["state"] == "pending"
    assert client.get("/api/v1/matching/statistics", **auth(bureau_officer)).json()["total"]["hires"] == 1
    assert client.get("/api/v1/matching/fairs").status_code == 200
    assert client.get("/api/v1/matching/needs").status_code == 401


def test_the_api_sets_up_a_fair_adds_an_enterprise_and_records_a_hire_there(
    client, bureau_officer, humen_officer, enterprise_user, changan_enterprise, changan_worker, changan
):
    b = auth(bureau_officer)
    bad = client.post(
        "/api/v1/matching/fairs",
        {
            "name": "春风行动",
            "kind": "spring_breeze",
            "starts_on": "2026-02-26",
            "ends_on": "2026-02-24",
            "town_id": changan.pk,
            "venue": "市场",
        },
        content_type="application/json",
        **b,
    )
    assert bad.status_code == 400 and "结束日期" in bad.json()["fields"]["ends_on"][0]
    fair = client.post(
        "/api/v1/matching/fairs",
        {
            "name": "春风行动",
            "kind": "spring_breeze",
            "starts_on": f"{timezone.localdate():%Y-%m-%d}",
            "ends_on": f"{timezone.localdate() + datetime.timedelta(days=2):%Y-%m-%d}",
            "town_id": changan.pk,
            "venue": "市场",
        },
        content_type="application/json",
        **b,
    ).json()
    path = f"/api/v1/matching/fairs/{fair['id']}"
    added = {"enterprise_id": changan_enterprise.pk, "booth": "A01"}
    assert (
        client.post(
            path + "/enterprises", added, content_type="application/json", **auth(humen_officer)
        ).status_code
        == 403
    )
    assert client.post(path + "/enterprises", added, content_type="application/json", **b).status_code == 201
    hired = client.post(
        path + "/hires",
        {
            "enterprise_id": changan_enterprise.pk,
            "id_number": changan_worker.id_number,
            "start_month": f"{timezone.localdate():%Y-%m}",
        },
        content_type="application/json",
        **auth(enterprise_user),
    )
    assert hired.status_code == 201 and hired.json()["state"] == "pending"
    public = client.get(path).json()
    assert (
        public["enterprises"][0]["enterprise_name"] == changan_enterprise.name
        and public["kind_name"] == "春风行动招聘会"
    )


def test_the_api_pages_a_needs_candidates(client, enterprise_user, matched, lathe, changan):
    from skillcity.matching.models import Match, SeekerNeed
    from tests.factories import WorkerFactory

    other = WorkerFactory(town=changan)
    holds(other, lathe, 2)
    s = SeekerNeed.objects.create(worker=other, occupation=lathe)
    s.towns.add(changan)
    Match.objects.create(need=matched.need, seeker_need=s, worker=other)
    url = f"/api/v1/matching/needs/{matched.need_id}/candidates"
    h = auth(enterprise_user)
    first = client.get(url + "?limit=1&page=1", **h).json()
    second = client.get(url + "?limit=1&page=2", **h).json()
    assert [c["match_id"] for c in first + second] == [c["match_id"] for c in client.get(url, **h).json()]
    assert len(first) == 1 and second[0]["match_id"] == matched.pk  # the higher level ranked first
    assert client.get(url + "?limit=501", **h).status_code == 422
