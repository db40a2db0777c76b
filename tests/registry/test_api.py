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
