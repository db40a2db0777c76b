"""/api/v1/certification/: public verification (masked ID, tamper, revoked, rate limit) and scoped access."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.cache import cache

from skillcity.accounts.services import token_create
from skillcity.certification import selectors, services
from tests.certification.conftest import certify

pytestmark = pytest.mark.django_db

API = "/api/v1/certification"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(evaluator, lathe, changan_worker, enterprise_user):
    return certify(evaluator, lathe, changan_worker, enterprise_user)


def _bearer(user) -> dict[str, str]:
    clear = token_create(user=user, name="t", actor=user)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def test_anyone_verifies_by_number_and_name_and_sees_only_the_masked_id(client, certificate):
    response = client.get(f"{API}/verify", {"number": certificate.number, "name": "陈长安"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "valid"
    assert body["certificate"]["id_number_masked"] == certificate.worker.id_number_masked
    assert certificate.worker.id_number not in response.content.decode()
    assert "qr_token" not in body["certificate"]


def test_verify_with_a_missing_name_names_the_field(client, certificate):
    response = client.get(f"{API}/verify", {"number": certificate.number})
    assert response.status_code == 400 and "name" in response.json()["fields"]


def test_a_tampered_qr_is_reported_through_the_api(client, certificate):
    body, signature = certificate.qr_token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["nm"] = "李四"
    forged_body = (
        base64.urlsafe_b64encode(json.dumps(payload, ensure_ascii=False).encode()).rstrip(b"=").decode()
    )
    response = client.post(
        f"{API}/verify-qr", {"qr": f"{forged_body}.{signature}"}, content_type="application/json"
    )
    assert response.json() == {
        "status": "tampered",
        "message": "二维码签名无效，可能被篡改",
        "certificate": None,
    }


def test_a_revoked_certificate_is_reported_through_the_api(client, certificate, bureau_officer):
    services.certificate_revoke(certificate=certificate, reason="冒名顶替", actor=bureau_officer)
    body = client.post(
        f"{API}/verify-qr", {"qr": certificate.qr_token}, content_type="application/json"
    ).json()
    assert body["status"] == "revoked" and body["certificate"]["revoked_reason"] == "冒名顶替"


def test_lookups_are_rate_limited_per_address(client, certificate):
    for _ in range(selectors.VERIFY_PER_MINUTE):
        assert client.get(f"{API}/verify", {"number": "X", "name": "Y"}).status_code == 200
    response = client.get(f"{API}/verify", {"number": "X", "name": "Y"})
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


def test_the_public_key_is_published(client, certificate):
    body = client.get(f"{API}/public-key").json()
    assert body["algorithm"] == "Ed25519" and body["key_id"] == certificate.key_id
    assert body["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")


def test_another_towns_officer_cannot_see_the_certificate(
    client, certificate, humen_officer, changan_officer
):
    assert client.get(f"{API}/certificates/{certificate.pk}", **_bearer(humen_officer)).status_code == 404
    own = client.get(f"{API}/certificates/{certificate.pk}", **_bearer(changan_officer))
    assert own.status_code == 200 and own.json()["id_number_masked"] == certificate.worker.id_number_masked


def test_another_organisation_cannot_see_or_revoke(client, certificate, humen):
    from skillcity.accounts.models import Role
    from tests.factories import OrganisationFactory, UserFactory

    stranger = UserFactory(role=Role.ORGANISATION_USER, organisation=OrganisationFactory(town=humen))
    headers = _bearer(stranger)
    assert client.get(f"{API}/certificates/{certificate.pk}", **headers).status_code == 404
    response = client.post(
        f"{API}/certificates/{certificate.pk}/revoke",
        {"reason": "x"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404


def test_the_evaluator_runs_a_session_through_the_api(client, evaluator, changan_enterprise, enterprise_user):
    from tests.factories import WorkerFactory

    worker = WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town)
    headers = _bearer(enterprise_user)
    created = client.post(
        f"{API}/sessions",
        {
            "evaluator_id": evaluator.pk,
            "occupation": "6-18-01-01",
            "level": 4,
            "kind": "grading",
            "date": "2024-05-10",
            "site": "一号车间",
        },
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    session_id = created.json()["id"]
    candidate = client.post(
        f"{API}/sessions/{session_id}/candidates",
        {"worker_id": worker.pk},
        content_type="application/json",
        **headers,
    ).json()
    result = client.post(
        f"{API}/candidates/{candidate['id']}/result",
        {"theory_score": "78", "practical_score": "66.5"},
        content_type="application/json",
        **headers,
    ).json()
    assert result["result"] == "passed" and result["overall_score"] == "72.3"
    issued = client.post(
        f"{API}/sessions/{session_id}/issue",
        {"issued_on": "2024-06-01"},
        content_type="application/json",
        **headers,
    )
    assert issued.status_code == 201 and len(issued.json()[0]["number"]) == 22
    pdf = client.get(f"{API}/certificates/{issued.json()[0]['id']}/pdf", **headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_session_outside_the_scope_is_refused_with_the_reason(client, evaluator, enterprise_user, welder):
    response = client.post(
        f"{API}/sessions",
        {
            "evaluator_id": evaluator.pk,
            "occupation": welder.code,
            "level": 4,
            "kind": "grading",
            "date": "2024-05-10",
            "site": "x",
        },
        content_type="application/json",
        **_bearer(enterprise_user),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "outside_scope" and "焊工" in response.json()["message"]


def test_a_worker_lists_only_their_own_certificates(
    client, certificate, evaluator, lathe, changan_enterprise, enterprise_user, worker_user
):
    from tests.factories import WorkerFactory

    certify(
        evaluator,
        lathe,
        WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town),
        enterprise_user,
    )
    numbers = [c["number"] for c in client.get(f"{API}/certificates", **_bearer(worker_user)).json()]
    assert numbers == [certificate.number]


def test_adding_another_enterprises_worker_answers_as_a_worker_that_does_not_exist(
    client, evaluator, lathe, enterprise_user, humen_worker
):
    from tests.certification.conftest import make_session

    session = make_session(evaluator, lathe, enterprise_user)
    headers = _bearer(enterprise_user)
    url = f"{API}/sessions/{session.pk}/candidates"
    other = client.post(url, {"worker_id": humen_worker.pk}, content_type="application/json", **headers)
    missing = client.post(url, {"worker_id": 99_999_999}, content_type="application/json", **headers)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert humen_worker.name not in other.content.decode()


def test_the_holders_own_api_pdf_download_is_audited(client, certificate, worker_user):
    from skillcity.core.models import AuditEvent

    response = client.get(f"{API}/certificates/{certificate.pk}/pdf", **_bearer(worker_user))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action="personal_data.view", target_id=str(certificate.pk), actor=worker_user
    ).exists()
