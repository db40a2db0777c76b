"""The certificate PDF: one page, CJK text, the number, a QR that decodes to the verify URL."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from skillcity.certification.pdf import certificate_pdf
from tests.certification.conftest import certify

pytestmark = pytest.mark.django_db


def test_the_pdf_carries_the_number_the_full_id_and_the_level(
    evaluator, lathe, changan_worker, enterprise_user, tmp_path
):
    certificate = certify(evaluator, lathe, changan_worker, enterprise_user, level=3)
    content = certificate_pdf(certificate, verify_url="https://skillcity.example/certification/verify/")
    assert content.startswith(b"%PDF") and len(content) > 5000
    path = tmp_path / "c.pdf"
    path.write_bytes(content)
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "职业技能等级证书" in text
    assert certificate.number in text
    assert changan_worker.id_number in text  # the certificate itself shows the full number
    assert "三级/高级工" in text and "陈长安" in text


def test_the_pdf_is_one_page_with_one_image_the_qr(
    evaluator, lathe, changan_worker, enterprise_user, tmp_path
):
    if shutil.which("pdfimages") is None:
        pytest.skip("poppler-utils not installed")
    certificate = certify(evaluator, lathe, changan_worker, enterprise_user)
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate_pdf(certificate, verify_url="https://x/certification/verify/"))
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    images = [line for line in listing.splitlines()[2:] if line.strip()]
    assert len(images) == 1 and images[0].split()[0] == "1"  # one image, on page 1
