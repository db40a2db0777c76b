"""The certificate of completion as a PDF: for the learner, the bureau and the provider only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

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
