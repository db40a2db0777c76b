"""Issue 2 item 7: a town officer cannot see or change another town's records by any URL.

Every URL pattern taking a registry object's key is found by walking the URL resolver (pages) and
the OpenAPI schema (API), so routes added later are covered without editing this test; a new route
whose object kind is not classified below makes the test fail.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from skillcity.core.models import AuditEvent
from tests.factories import OrganisationFactory

# Which object each key-taking route is about, by the route's path prefix.
KINDS = {
    "/registry/workers/": "worker",
    "/registry/organisations/": "organisation",
    "/api/v1/registry/workers/": "worker",
    "/api/v1/registry/organisations/": "organisation",
}


def _page_routes() -> list[str]:
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and "<int:pk>" in str(p.pattern):
                found.append("/" + prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return [r for r in found if r.startswith("/registry/")]


def _api_routes(client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (path, method)
        for path, ops in schema["paths"].items()
        if "{pk}" in path and "/registry/" in path
        for method in ops
    ]


def _kind(route: str) -> str:
    for prefix, kind in KINDS.items():
        if route.startswith(prefix):
            return kind
    raise AssertionError(f"route {route} takes a registry key but is not classified in KINDS")


@pytest.fixture
def humen_records(humen, humen_worker):
    return {"worker": humen_worker, "organisation": OrganisationFactory(town=humen)}


@pytest.mark.django_db
def test_every_page_refuses_another_towns_records(client, changan_officer, humen_records):
    client.force_login(changan_officer)
    routes = _page_routes()
    assert len(routes) >= 5
    for route in routes:
        target = humen_records[_kind(route)]
        url = route.replace("<int:pk>", str(target.pk))
        before = AuditEvent.objects.count()
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"name": "改名", "field": "id_number"})
            assert response.status_code in (403, 404, 405), (method, url, response.status_code)
        assert AuditEvent.objects.count() == before, url
        target.refresh_from_db()
        assert target.name != "改名"


@pytest.mark.django_db
def test_every_api_route_refuses_another_towns_records(client, changan_officer, humen_records):
    from skillcity.accounts.services import token_create

    headers = {
        "HTTP_AUTHORIZATION": f"Bearer {token_create(user=changan_officer, name='t', actor=changan_officer)[1]}"
    }
    routes = _api_routes(client)
    assert len(routes) >= 4
    for path, method in routes:
        target = humen_records[_kind(path)]
        url = re.sub(r"\{pk\}", str(target.pk), path)
        before = AuditEvent.objects.count()
        response = client.generic(
            method.upper(), url, '{"name": "改名"}', content_type="application/json", **headers
        )
        assert response.status_code in (403, 404), (method, url, response.status_code)
        assert set(response.json()) == {"code", "message", "fields"}
        assert AuditEvent.objects.count() == before
        target.refresh_from_db()
        assert target.name != "改名"


@pytest.mark.django_db
def test_an_organisation_user_sees_only_their_own_organisation(
    client, enterprise_user, humen_records, changan_enterprise
):
    client.force_login(enterprise_user)
    assert client.get(f"/registry/organisations/{changan_enterprise.pk}/").status_code == 200
    assert client.get(f"/registry/organisations/{humen_records['organisation'].pk}/").status_code == 404


@pytest.mark.django_db
def test_a_worker_sees_no_registry_lists(client, worker_user):
    client.force_login(worker_user)
    assert client.get("/registry/workers/").status_code == 403
