"""`skillcity certification verify-qr`: offline, with only the public key file."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from skillcity.certification import signing
from tests.certification.conftest import certify

pytestmark = pytest.mark.django_db


def test_verify_qr_accepts_a_genuine_code_with_only_the_public_key_file(
    evaluator, lathe, changan_worker, enterprise_user, tmp_path, capsys
):
    certificate = certify(evaluator, lathe, changan_worker, enterprise_user)
    key_file = tmp_path / "bureau.pem"
    key_file.write_text(signing.public_key_pem(signing.signing_key().public_key()))
    call_command(
        "certification",
        "verify-qr",
        f"https://x/certification/verify/?qr={certificate.qr_token}",
        "--public-key",
        str(key_file),
    )
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True and report["payload"]["n"] == certificate.number


def test_verify_qr_exits_1_for_a_tampered_code(evaluator, lathe, changan_worker, enterprise_user, capsys):
    certificate = certify(evaluator, lathe, changan_worker, enterprise_user)
    body, signature = certificate.qr_token.split(".")
    forged = f"{body}.{signature[::-1]}"
    with pytest.raises(SystemExit) as exit_:
        call_command("certification", "verify-qr", forged)
    assert exit_.value.code == 1
    assert json.loads(capsys.readouterr().out)["message"] == "二维码签名无效，可能被篡改"


def test_verify_qr_exits_2_for_an_unreadable_key(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        call_command("certification", "verify-qr", "a.b", "--public-key", str(tmp_path / "missing.pem"))
    assert exit_.value.code == 2
