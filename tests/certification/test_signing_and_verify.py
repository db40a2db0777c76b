"""Signed QR payloads, offline verification and the public lookup."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from skillcity.certification import selectors, services, signing
from skillcity.core.errors import DomainError
from tests.certification.conftest import certify

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(evaluator, lathe, changan_worker, enterprise_user):
    return certify(evaluator, lathe, changan_worker, enterprise_user)


def _tamper(token: str, **changes) -> str:
    body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload.update(changes)
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + signature


def test_the_qr_payload_verifies_offline_with_only_the_public_key(certificate):
    public = signing.signing_key().public_key()
    check = signing.verify_token(certificate.qr_token, {signing.key_id(public): public})
    assert check.valid
    assert check.payload["n"] == certificate.number and check.payload["nm"] == "陈长安"
    assert check.payload["id"] == certificate.worker.id_number_masked
    assert certificate.worker.id_number not in json.dumps(check.payload)


def test_a_tampered_payload_fails(certificate):
    forged = _tamper(certificate.qr_token, lv=1)
    assert not signing.verify_token(forged).valid
    result = selectors.verify_qr(forged)
    assert result.status == "tampered" and result.message == "二维码签名无效，可能被篡改"
    assert result.certificate == {}


def test_a_payload_signed_with_another_key_fails(certificate):
    rogue = Ed25519PrivateKey.generate()
    forged = signing.sign_payload({"n": certificate.number, "nm": "陈长安"}, rogue)
    assert signing.verify_token(forged).problem == "unknown_key"
    assert selectors.verify_qr(forged).status == "tampered"


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "!!!.???", "e30.AAAA"])
def test_garbage_is_reported_as_not_verifiable(garbage):
    assert signing.verify_token(garbage).valid is False


def test_a_whole_scanned_url_verifies(certificate):
    assert (
        selectors.verify_qr(f"https://x.example/certification/verify/?qr={certificate.qr_token}").status
        == "valid"
    )


def test_a_retired_key_still_verifies_after_rotation(certificate, settings):
    old_pem = signing.public_key_pem(signing.signing_key().public_key())
    old_token = certificate.qr_token
    new_key = signing.keys_dir() / signing.PRIVATE_KEY_FILE
    new_key.rename(new_key.with_suffix(".retired"))
    try:
        retired = signing.keys_dir() / "public"
        retired.mkdir(exist_ok=True)
        (retired / "old.pem").write_text(old_pem)
        assert signing.key_id(signing.signing_key().public_key()) != certificate.key_id
        assert signing.verify_token(old_token).valid
    finally:
        (signing.keys_dir() / "public" / "old.pem").unlink()
        new_key.unlink()
        new_key.with_suffix(".retired").rename(new_key)


def test_lookup_by_number_and_name_shows_only_the_masked_id(certificate):
    result = selectors.verify_by_number(number=certificate.number.lower(), name="陈长安")
    assert result.status == "valid"
    shown = json.dumps(result.as_dict(), ensure_ascii=False)
    assert certificate.worker.id_number_masked in shown and certificate.worker.id_number not in shown
    assert certificate.worker.phone not in shown
    assert result.certificate["level_name"] == "四级/中级工"


def test_a_number_with_the_wrong_name_is_not_found(certificate):
    assert selectors.verify_by_number(number=certificate.number, name="张三").status == "not_found"


def test_lookup_needs_both_number_and_name():
    with pytest.raises(DomainError) as err:
        selectors.verify_by_number(number="", name="")
    assert set(err.value.fields) == {"number", "name"}


def test_a_revoked_certificate_is_reported_with_date_and_reason(certificate, bureau_officer):
    services.certificate_revoke(certificate=certificate, reason="考核材料造假", actor=bureau_officer)
    by_number = selectors.verify_by_number(number=certificate.number, name="陈长安")
    by_qr = selectors.verify_qr(certificate.qr_token)
    for result in (by_number, by_qr):
        assert result.status == "revoked"
        assert "已撤销" in result.message and "考核材料造假" in result.message
        assert result.certificate["revoked_reason"] == "考核材料造假"


def test_the_rate_limit_stops_enumeration():
    from django.core.cache import cache

    cache.clear()
    outcomes = [selectors.verify_rate_limited("203.0.113.9") for _ in range(selectors.VERIFY_PER_MINUTE + 1)]
    assert outcomes[:-1] == [False] * selectors.VERIFY_PER_MINUTE and outcomes[-1] is True
    assert selectors.verify_rate_limited("203.0.113.10") is False
    cache.clear()
