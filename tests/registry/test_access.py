"""Issue 2 item 7: a town officer cannot see or change another town's records by any URL.

Every URL pattern of the project that takes a key is found by walking the URL resolver (pages and
/api/v1/ routes alike), so routes added later are covered without editing this test. Each route is
classified by its path prefix: routes about registry objects (and API tokens) are called here as the
Changan officer with a Humen object's key; routes of other programmes are listed as such (their own
tests prove their scoping). A key-taking route matching neither list makes the test fail.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from skillcity.accounts.models import ApiToken
from skillcity.core.audit import snapshot
from skillcity.core.models import AuditEvent
from skillcity.registry.models import SkillRecord
from tests.factories import OrganisationFactory

# Key-taking routes about the objects this test owns, by path prefix (longest prefix wins).
KINDS = {
    "/registry/workers/": "worker",
    "/registry/organisations/": "organisation",
    "/api/v1/registry/workers/": "worker",
    "/api/v1/registry/organisations/": "organisation",
    "/accounts/tokens/": "token",
    "/api/v1/accounts/tokens/": "token",
    # A worker's employment spells (issue 19): a registry worker's key.
    "/employment/workers/": "worker",
    "/api/v1/employment/workers/": "worker",
    # A worker's timeline (issue 19 §5): a registry worker's key.
    "/timeline/workers/": "worker",
    "/api/v1/timeline/workers/": "worker",
}
# Key-taking routes of other programmes, whose objects are not registry records.
OTHER_PROGRAMMES = (
    "/admin/",
    "/alliances/",
    "/apprenticeship/",
    "/matching/",
    "/supervision/",
    "/certification/",
    "/competitions/",
    "/grants/",
    "/platforms/",
    "/schools/",
    "/talents/",
    "/training/",
    "/api/v1/alliances/",
    "/api/v1/apprenticeship/",
    "/api/v1/matching/",
    "/api/v1/supervision/",
    "/api/v1/certification/",
    "/api/v1/competitions/",
    "/api/v1/grants/",
    "/api/v1/platforms/",
    "/api/v1/schools/",
    "/api/v1/talents/",
    "/api/v1/training/",
    # A background export: its owner's only, whatever the town (tests/registry/test_background_export.py).
    "/exports/",
    # A person's own notifications (tests/notifications: another user's answers 404).
    "/notifications/",
    "/api/v1/notifications/",
    # Policy drafts: bureau officers only, city-wide (tests/policy/test_lifecycle*.py: 403 for a town).
    "/policy/",
    "/api/v1/policy/",
    # Online learning: courses, lessons, completions (tests/learning: a stranger's lesson, media and
    # certificate answer 404).
    "/learning/",
    "/api/v1/learning/",
)
# Registry routes taking a key that is not a record's id (the import kind).
NOT_A_RECORD_KEY = ("/registry/import/<str:kind>/",)

_KEY = re.compile(r"<(?:int:)?(pk|\w+_id)>")

HOSTILE_PAGE_DATA = {
    "name": "改名",
    "field": "id_number",
    "kind": "skill_level",
    "level": "3",
    "obtained_on": "2020-01-01",
}
HOSTILE_API_DATA = {"name": "改名", "kind": "skill_level", "level": 3, "obtained_on": "2020-01-01"}


def _routes() -> list[str]:
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append("/" + prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return sorted({r for r in found if "<" in r})


def _kind(route: str) -> str | None:
    """The object kind a key-taking route is about; None for other programmes; fail when unclassified."""
    if route.startswith(NOT_A_RECORD_KEY) or route.startswith(OTHER_PROGRAMMES):
        return None
    matches = [prefix for prefix in KINDS if route.startswith(prefix)]
    if not matches:
        raise AssertionError(
            f"route {route} takes a key but is not classified in tests/registry/test_access.py"
        )
    return KINDS[max(matches, key=len)]


def _url(route: str, pk: int) -> str:
    return _KEY.sub(str(pk), route.lstrip("^").rstrip("$"))


def _registry_routes() -> list[tuple[str, str]]:
    return [(route, kind) for route in _routes() if (kind := _kind(route)) is not None]


@pytest.fixture
def humen_records(humen, humen_worker, humen_officer) -> dict[str, Any]:
    from skillcity.accounts.services import token_create

    token, _clear = token_create(user=humen_officer, name="humen", actor=humen_officer)
    return {"worker": humen_worker, "organisation": OrganisationFactory(town=humen), "token": token}


def _state(records: dict[str, Any]) -> dict[str, Any]:
    return {
        "audit_rows": AuditEvent.objects.count(),
        "skill_records": SkillRecord.objects.count(),
        **{kind: snapshot(type(obj).objects.get(pk=obj.pk)) for kind, obj in records.items()},
    }


def test_every_key_taking_route_is_classified():
    routes = _routes()
    classified = _registry_routes()
    assert len(routes) > len(classified) >= 10
    kinds = {kind for _route, kind in classified}
    assert kinds == {"worker", "organisation", "token"}
    # Both the pages and the API are among them.
    assert any(r.startswith("/api/v1/registry/") for r, _k in classified)
    assert any(r.startswith("/registry/") for r, _k in classified)


def test_an_unclassified_key_taking_route_fails_the_enumeration():
    with pytest.raises(AssertionError, match="not classified"):
        _kind("/registry/towns/<int:pk>/")
    with pytest.raises(AssertionError, match="not classified"):
        _kind("/a-programme-not-yet-classified/<int:pk>/")


@pytest.mark.django_db
def test_every_page_refuses_another_towns_records(client, changan_officer, humen_records):
    client.force_login(changan_officer)
    routes = [(r, k) for r, k in _registry_routes() if not r.startswith("/api/")]
    assert len(routes) >= 6
    before = _state(humen_records)
    for route, kind in routes:
        url = _url(route, humen_records[kind].pk)
        for method in ("get", "post"):
            response = getattr(client, method)(url, HOSTILE_PAGE_DATA)
            assert response.status_code in (403, 404, 405), (method, url, response.status_code)
            assert humen_records["worker"].id_number not in response.content.decode(), url
        assert _state(humen_records) == before, url


@pytest.mark.django_db
def test_every_api_route_refuses_another_towns_records(client, changan_officer, humen_records):
    from skillcity.accounts.services import token_create

    clear = token_create(user=changan_officer, name="t", actor=changan_officer)[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}
    routes = [(r, k) for r, k in _registry_routes() if r.startswith("/api/")]
    assert len(routes) >= 5
    before = _state(humen_records)
    for route, kind in routes:
        url = _url(route, humen_records[kind].pk)
        for method in ("GET", "POST", "PATCH"):
            # A body each route's schema accepts (a PATCH refuses fields it cannot change with 422
            # whatever the record), so the answer is the scope's.
            body = {"name": "改名"} if method == "PATCH" else HOSTILE_API_DATA
            response = client.generic(
                method, url, json.dumps(body), content_type="application/json", **headers
            )
            assert response.status_code in (403, 404, 405), (method, url, response.status_code)
            if response.status_code != 405:
                assert set(response.json()) == {"code", "message", "fields"}, url
            assert humen_records["worker"].id_number not in response.content.decode(), url
        assert _state(humen_records) == before, url


@pytest.mark.django_db
def test_the_same_routes_serve_the_officers_own_town(client, changan_officer, changan_worker, changan):
    """The refusals above come from scoping, not from routes that refuse everyone."""
    from skillcity.accounts.services import token_create

    own = {"worker": changan_worker, "organisation": OrganisationFactory(town=changan)}
    clear = token_create(user=changan_officer, name="t", actor=changan_officer)[1]
    client.force_login(changan_officer)
    served = 0
    for route, kind in _registry_routes():
        if kind == "token":
            continue
        url = _url(route, own[kind].pk)
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {clear}")
        assert response.status_code in (200, 405), (url, response.status_code)
        served += response.status_code == 200
    assert served >= 5


@pytest.mark.django_db
def test_another_users_token_cannot_be_revoked(client, changan_officer, humen_records):
    client.force_login(changan_officer)
    token = humen_records["token"]
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.objects.filter(revoked_at__isnull=False).count() == 0


@pytest.mark.django_db
def test_lists_show_only_the_officers_town(client, changan_officer, changan_worker, humen_records):
    client.force_login(changan_officer)
    body = client.get("/api/v1/registry/workers").json()
    assert [w["id"] for w in body["results"]] == [changan_worker.pk]
    organisations = client.get("/api/v1/registry/organisations").json()["results"]
    assert humen_records["organisation"].pk not in [o["id"] for o in organisations]
    page = client.get("/registry/workers/").content.decode()
    assert humen_records["worker"].name not in page


@pytest.mark.django_db
def test_a_town_officer_cannot_register_into_another_town(client, changan_officer, humen):
    from tests.factories import make_resident_id

    client.force_login(changan_officer)
    response = client.post(
        "/api/v1/registry/workers",
        {"name": "甲", "id_number": make_resident_id(), "town": humen.code},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["town"] == changan_officer.town.code


@pytest.mark.django_db
def test_an_organisation_user_sees_only_their_own_organisation(
    client, enterprise_user, humen_records, changan_enterprise
):
    client.force_login(enterprise_user)
    assert client.get(f"/registry/organisations/{changan_enterprise.pk}/").status_code == 200
    assert client.get(f"/registry/organisations/{humen_records['organisation'].pk}/").status_code == 404
    assert client.get(f"/api/v1/registry/organisations/{humen_records['organisation'].pk}").status_code == 404


@pytest.mark.django_db
def test_a_worker_sees_no_registry_lists(client, worker_user, humen_worker):
    client.force_login(worker_user)
    assert client.get("/registry/workers/").status_code == 403
    assert client.get(f"/api/v1/registry/workers/{humen_worker.pk}").status_code == 404
    assert client.get("/api/v1/registry/workers").json()["count"] <= 1
