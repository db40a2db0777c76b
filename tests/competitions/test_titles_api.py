"""/api/v1/competitions/: titles awarded, listed, revoked, verified publicly; promotions issued."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from skillcity.accounts.models import Role
from skillcity.accounts.services import token_create
from tests.competitions.titles_helpers import active_evaluator, confirmed_project, lathe
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/competitions"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


def test_award_list_verify_and_revoke_through_the_api(client, bureau_officer):
    project = confirmed_project(totals=["95", "90", "85"], title_quota=2)
    auth = _bearer(bureau_officer)
    made = client.post(
        f"{API}/titles/award",
        {"project_id": project.pk, "awarded_on": "2024-10-08"},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    first = made.json()[0]
    assert (
        first["honour"] == "dongguan_technical_expert" and first["competition_id"] == project.competition_id
    )
    listed = client.get(f"{API}/titles", **auth).json()
    assert len(listed) == 2
    public = client.post(
        f"{API}/titles/verify-qr", {"qr": first["qr_token"]}, content_type="application/json"
    )
    assert public.json()["status"] == "valid"
    assert public.json()["title"]["name_masked"] != first["holder_name"]
    refused = client.post(
        f"{API}/titles/{first['id']}/revoke", {"reason": ""}, content_type="application/json", **auth
    )
    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    revoked = client.post(
        f"{API}/titles/{first['id']}/revoke", {"reason": "成绩作废"}, content_type="application/json", **auth
    )
    assert revoked.json()["status"] == "revoked"
    again = client.get(f"{API}/titles/verify", {"number": first["number"], "name": first["holder_name"]})
    assert again.json()["status"] == "revoked"


def test_a_worker_sees_only_their_own_titles(client, bureau_officer, worker_user):
    project = confirmed_project(totals=["95"], title_quota=1)
    client.post(
        f"{API}/titles/award",
        {"competition_id": project.competition_id, "awarded_on": "2024-10-08"},
        content_type="application/json",
        **_bearer(bureau_officer),
    )
    assert client.get(f"{API}/titles", **_bearer(worker_user)).json() == []
    holder = UserFactory(role=Role.WORKER, worker=project.results.get().entry.players.get().worker)
    assert len(client.get(f"{API}/titles", **_bearer(holder)).json()) == 1


def test_promotions_through_the_api(client, bureau_officer):
    organiser = OrganisationFactory(category="association")
    active_evaluator(organiser, lathe(), bureau_officer)
    project = confirmed_project(totals=["95", "70"], organiser=organiser)
    organiser_user = UserFactory(role=Role.ORGANISATION_USER, organisation=organiser)
    response = client.post(
        f"{API}/promotions",
        {"project_id": project.pk, "issued_on": str(datetime.date(2024, 10, 20))},
        content_type="application/json",
        **_bearer(organiser_user),
    )
    assert response.status_code == 201, response.content
    assert [p["level"] for p in response.json()["promoted"]] == [3, 3]
    other = UserFactory(role=Role.ORGANISATION_USER, organisation=OrganisationFactory())
    hidden = client.post(
        f"{API}/promotions", {"project_id": project.pk}, content_type="application/json", **_bearer(other)
    )
    assert hidden.status_code == 404
