"""The certificate of completion as a PDF: for the learner, the bureau and the provider only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from skillcity.core.masking import mask_id_number
from skillcity.learning.certificate import completion_pdf
from skillcity.learning.models import Completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def completion(enrolment):
    return Completion.objects.create(
        worker=enrolment.worker,
        course=enrolment.course,
        enrolment=enrolment,
        number="XX2026000001",
        hours=Decimal("1.5"),
        completed_on=datetime.date(2026, 12, 1),
    )


def test_the_url_is_the_number(completion):
    assert (
        reverse("learning:certificate", args=[completion.number]) == "/learning/completions/XX2026000001.pdf"
    )


def test_the_learner_downloads_a_pdf(client, learner, completion):
    client.force_login(learner)
    response = client.get(reverse("learning:certificate", args=[completion.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "XX2026000001.pdf" in response["Content-Disposition"]


def test_the_bureau_and_the_provider_may_download_it(client, bureau_officer, provider_user, completion):
    for user in (bureau_officer, provider_user):
        client.force_login(user)
        assert client.get(reverse("learning:certificate", args=[completion.number])).status_code == 200


def test_anyone_else_gets_404(client, stranger, changan_officer, enterprise_user, completion):
    for user in (stranger, changan_officer, enterprise_user):
        client.force_login(user)
        assert client.get(reverse("learning:certificate", args=[completion.number])).status_code == 404
    client.force_login(stranger)
    assert client.get(reverse("learning:certificate", args=["NOPE"])).status_code == 404


def test_the_pdf_shows_the_id_number_masked_only(completion):
    content = completion_pdf(completion)
    assert content.startswith(b"%PDF")
    # CID-encoded text is not searchable as bytes; the full number must never be written as ASCII.
    assert completion.worker.id_number.encode() not in content


def test_the_worker_page_lists_the_learning_records(client, bureau_officer, changan_officer, completion):
    url = reverse("registry:worker_detail", args=[completion.worker_id])
    client.force_login(bureau_officer)
    html = client.get(url).content.decode()
    assert 'data-testid="learning-record"' in html and completion.course.title in html
    assert reverse("learning:certificate", args=[completion.number]) in html
    client.force_login(changan_officer)  # the worker's own town: the record, not the PDF
    html = client.get(url).content.decode()
    assert completion.number in html
    assert reverse("learning:certificate", args=[completion.number]) not in html


def test_anyone_verifies_a_certificate_by_its_number_and_the_learners_name(client, completion):
    url = reverse("learning:completion_verify")
    assert url == "/learning/verify/"
    page = client.get(url, {"number": "xx2026000001 ", "name": completion.worker.name})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-status="valid"' in html
    assert completion.course.title in html and completion.worker.id_number not in html
    assert mask_id_number(completion.worker.id_number) in html  # masked, as on the certificate
    wrong = client.get(url, {"number": completion.number, "name": "别人"}).content.decode()
    assert 'data-status="not_found"' in wrong and completion.course.title not in wrong
    # Either field left empty: said next to it, nothing looked up.
    empty = client.get(url, {"number": completion.number, "name": ""})
    assert empty.status_code == 400 and 'data-status="' not in empty.content.decode()


def test_the_certificates_qr_is_signed_and_opens_the_verification(client, completion):
    from skillcity.certification import signing
    from skillcity.learning.selectors.verify import qr_payload

    token = signing.sign_payload(qr_payload(completion))
    url = reverse("learning:completion_verify")
    html = client.get(url, {"qr": token}).content.decode()
    assert 'data-status="valid"' in html and "二维码签名有效" in html
    body, signature = token.split(".")
    forged = client.get(url, {"qr": f"{body}.{signature[:-4]}AAAA"}).content.decode()
    assert 'data-status="tampered"' in forged
    other = signing.sign_payload({"t": "title", "n": completion.number, "nm": completion.worker.name})
    assert 'data-status="not_found"' in client.get(url, {"qr": other}).content.decode()
    # Scanned on the skill certificates' page, the code is sent on to this one.
    answer = client.get(reverse("certification:verify"), {"qr": token})
    assert answer.status_code == 302 and answer["Location"].startswith(url)


def test_the_downloaded_pdf_carries_the_qr(client, learner, completion):
    client.force_login(learner)
    pdf = client.get(reverse("learning:certificate", args=[completion.number])).content
    assert b"/Subtype /Image" in pdf
    assert b"/Subtype /Image" not in completion_pdf(completion)  # no address given: no QR
