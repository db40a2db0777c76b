import pytest
from django.core.management import call_command

from skillcity.core.models import AuditEvent
from skillcity.registry.models import Worker
from tests.factories import make_resident_id


def _token_for(user) -> str:
    from skillcity.accounts.services import token_create

    return token_create(user=user, name="test", actor=user)[1]


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {_token_for(user)}"}


@pytest.mark.django_db
def test_requests_without_a_token_get_the_error_shape(client):
    response = client.get("/api/v1/registry/workers")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.django_db
def test_a_revoked_token_no_longer_works(client, bureau_officer):
    from skillcity.accounts.models import ApiToken
    from skillcity.accounts.services import token_revoke

    headers = _auth(bureau_officer)
    assert client.get("/api/v1/accounts/me", **headers).status_code == 200
    token_revoke(token=ApiToken.objects.get(user=bureau_officer), actor=bureau_officer)
    assert client.get("/api/v1/accounts/me", **headers).status_code == 401


@pytest.mark.django_db
def test_the_worker_list_is_scoped_and_masked(client, changan_officer, changan_worker, humen_worker):
    body = client.get("/api/v1/registry/workers", **_auth(changan_officer)).json()
    assert body["count"] == 1
    assert body["results"][0]["id_number_masked"] == changan_worker.id_number_masked
    assert changan_worker.id_number not in str(body)


@pytest.mark.django_db
def test_another_towns_worker_is_not_found_and_cannot_be_changed(client, changan_officer, humen_worker):
    headers = _auth(changan_officer)
    assert client.get(f"/api/v1/registry/workers/{humen_worker.pk}", **headers).status_code == 404
    response = client.patch(
        f"/api/v1/registry/workers/{humen_worker.pk}",
        {"name": "改"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    assert client.post(f"/api/v1/registry/workers/{humen_worker.pk}/reveal", **headers).status_code == 404
    humen_worker.refresh_from_db()
    assert humen_worker.name == "黄虎门"


@pytest.mark.django_db
def test_bad_input_names_the_field(client, bureau_officer, changan):
    response = client.post(
        "/api/v1/registry/workers",
        {"name": "甲", "id_number": "441900199001011234", "town": "长安镇"},
        content_type="application/json",
        **_auth(bureau_officer),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "id_number" in response.json()["fields"]


@pytest.mark.django_db
def test_a_schema_error_is_422_with_the_field(client, bureau_officer):
    response = client.get("/api/v1/registry/workers?page=0", **_auth(bureau_officer))
    assert response.status_code == 422
    assert "page" in response.json()["fields"]


@pytest.mark.django_db
def test_creating_a_worker_writes_one_audit_row(client, bureau_officer, changan):
    number = make_resident_id()
    headers = _auth(bureau_officer)
    before = AuditEvent.objects.count()
    response = client.post(
        "/api/v1/registry/workers",
        {"name": "甲", "id_number": number, "town": "长安镇", "phone": "13800138001"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    assert Worker.objects.filter(id_number=number).exists()
    assert AuditEvent.objects.filter(action="worker.create").count() == 1
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.django_db
def test_reveal_is_audited_and_refused_to_enterprise_users(
    client, bureau_officer, enterprise_user, changan_worker
):
    body = client.post(f"/api/v1/registry/workers/{changan_worker.pk}/reveal", **_auth(bureau_officer)).json()
    assert body["id_number"] == changan_worker.id_number
    assert AuditEvent.objects.filter(action="personal_data.view").count() == 1
    assert (
        client.post(
            f"/api/v1/registry/workers/{changan_worker.pk}/reveal", **_auth(enterprise_user)
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_the_token_command_prints_a_working_token(client, bureau_officer, capsys):
    call_command("token", "create", "--user", "bureau_officer")
    token = capsys.readouterr().out.strip()
    assert (
        client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()["username"]
        == "bureau_officer"
    )


@pytest.mark.django_db
def test_the_openapi_schema_is_served(client):
    assert "/api/v1/registry/workers" in client.get("/api/v1/openapi.json").json()["paths"]


@pytest.mark.django_db
def test_an_unknown_api_path_gets_the_error_shape(client):
    response = client.get("/api/v1/registry/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.django_db
def test_the_docs_page_loads_nothing_from_the_network(client):
    import re

    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(bureau_officer, changan):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau_officer)
    payload = {"name": "甲", "id_number": make_resident_id(), "town": "长安镇"}
    refused = client.post("/api/v1/registry/workers", payload, content_type="application/json")
    assert refused.status_code == 403
    assert set(refused.json()) == {"code", "message", "fields"}
    assert not Worker.objects.filter(id_number=payload["id_number"]).exists()
    client.get("/accounts/profile/")  # sets the csrftoken cookie
    accepted = client.post(
        "/api/v1/registry/workers",
        payload,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert accepted.status_code == 201, accepted.content


@pytest.mark.django_db
def test_token_writes_need_no_csrf_token(bureau_officer, changan):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/registry/workers",
        {"name": "甲", "id_number": make_resident_id(), "town": "长安镇"},
        content_type="application/json",
        **_auth(bureau_officer),
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_reference_data_is_public(client, changan):
    towns = client.get("/api/v1/registry/towns").json()
    assert "长安镇" in [t["name"] for t in towns]


@pytest.mark.django_db
def test_organisations_filter_and_paginate(client, bureau_officer, changan, humen):
    from tests.factories import OrganisationFactory

    for i in range(3):
        OrganisationFactory(town=changan, name=f"长安{i}厂")
    OrganisationFactory(town=humen, name="虎门厂")
    headers = _auth(bureau_officer)
    body = client.get(f"/api/v1/registry/organisations?town={changan.pk}&page_size=2", **headers).json()
    assert (body["count"], body["page"], body["page_size"], len(body["results"])) == (3, 1, 2, 2)
    second = client.get(
        f"/api/v1/registry/organisations?town={changan.pk}&page_size=2&page=2", **headers
    ).json()
    assert [o["name"] for o in second["results"]] == ["长安2厂"]
    assert client.get("/api/v1/registry/organisations?q=虎门", **headers).json()["count"] == 1


@pytest.mark.django_db
def test_an_organisation_is_created_and_patched(client, bureau_officer, changan):
    from tests.factories import make_uscc

    headers = _auth(bureau_officer)
    created = client.post(
        "/api/v1/registry/organisations",
        {
            "name": "东莞市甲公司",
            "category": "enterprise",
            "uscc": make_uscc(authority="Y"),
            "town": "长安镇",
        },
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = client.patch(
        f"/api/v1/registry/organisations/{pk}",
        {"total_staff": 10, "managers": 20},
        content_type="application/json",
        **headers,
    )
    assert patched.status_code == 400 and "managers" in patched.json()["fields"]
    patched = client.patch(
        f"/api/v1/registry/organisations/{pk}",
        {"total_staff": 50},
        content_type="application/json",
        **headers,
    )
    assert patched.json()["total_staff"] == 50
    assert AuditEvent.objects.filter(action__startswith="organisation.").count() == 2


@pytest.mark.django_db
def test_organisation_users_cannot_register(client, enterprise_user, changan):
    response = client.post(
        "/api/v1/registry/workers",
        {"name": "甲", "id_number": make_resident_id(), "town": "长安镇"},
        content_type="application/json",
        **_auth(enterprise_user),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
def test_skill_records_are_listed_and_added(client, changan_officer, changan_worker):
    headers = _auth(changan_officer)
    url = f"/api/v1/registry/workers/{changan_worker.pk}/records"
    added = client.post(
        url,
        {"kind": "skill_level", "level": 2, "obtained_on": "2024-03-01", "certificate_number": "S0001"},
        content_type="application/json",
        **headers,
    )
    assert added.status_code == 201, added.content
    assert [r["level"] for r in client.get(url, **headers).json()] == [2]
    assert client.get(f"/api/v1/registry/workers/{changan_worker.pk}", **headers).json()["highest_level"] == 2
    bad = client.post(
        url,
        {"kind": "skill_level", "level": 7, "obtained_on": "2024-03-01"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and "level" in bad.json()["fields"]
    unknown = client.post(
        url,
        {"kind": "skill_level", "level": 2, "obtained_on": "2024-03-01", "occupation": "X-0-0"},
        content_type="application/json",
        **headers,
    )
    assert unknown.status_code == 400 and "occupation" in unknown.json()["fields"]
    missing = client.post(url, {"kind": "skill_level"}, content_type="application/json", **headers)
    assert missing.status_code == 422 and "obtained_on" in missing.json()["fields"]


@pytest.mark.django_db
def test_the_worker_detail_never_carries_the_full_numbers(client, bureau_officer, changan_worker):
    body = client.get(f"/api/v1/registry/workers/{changan_worker.pk}", **_auth(bureau_officer)).json()
    assert body["id_number_masked"] == changan_worker.id_number[:4] + "*" * 10 + changan_worker.id_number[-4:]
    assert changan_worker.id_number not in str(body) and changan_worker.phone not in str(body)
