"""Pages: public verification, the worker's certificates, evaluator and bureau pages, access."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from skillcity.certification.models import Evaluator
from skillcity.core.models import AuditEvent
from tests.certification.conftest import certify, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(evaluator, lathe, changan_worker, enterprise_user):
    return certify(evaluator, lathe, changan_worker, enterprise_user)


def test_the_public_page_shows_a_valid_certificate_with_the_masked_id(client, certificate):
    page = client.get(reverse("certification:verify"), {"number": certificate.number, "name": "陈长安"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-status="valid"' in html
    assert certificate.worker.id_number_masked in html and certificate.worker.id_number not in html


def test_the_public_page_reports_a_tampered_qr(client, certificate):
    forged = certificate.qr_token[:-4] + ("AAAA" if not certificate.qr_token.endswith("AAAA") else "BBBB")
    html = client.get(reverse("certification:verify"), {"qr": forged}).content.decode()
    assert 'data-status="tampered"' in html and "二维码签名无效，可能被篡改" in html


def test_the_public_key_page_serves_pem(client, certificate):
    response = client.get(reverse("certification:public_key"))
    assert response.content.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert response["X-Key-Id"] == certificate.key_id


def test_the_worker_downloads_their_own_pdf_and_the_full_view_is_audited(client, certificate, worker_user):
    client.force_login(worker_user)
    html = client.get(reverse("certification:home")).content.decode()
    assert certificate.number in html
    response = client.get(reverse("certification:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # The PDF shows the full ID number: the holder's own download is a full view too.
    event = AuditEvent.objects.get(action="personal_data.view", target_id=str(certificate.pk))
    assert event.actor_id == worker_user.pk and event.after == {"field": "certificate_pdf"}


def test_another_worker_cannot_open_the_certificate(client, certificate, humen_worker):
    from skillcity.accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.WORKER, worker=humen_worker))
    assert client.get(reverse("certification:certificate_pdf", args=[certificate.pk])).status_code == 404


def test_an_officers_pdf_download_is_audited(client, certificate, bureau_officer):
    client.force_login(bureau_officer)
    assert client.get(reverse("certification:certificate_pdf", args=[certificate.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="personal_data.view", target_id=str(certificate.pk)).exists()


def test_another_towns_officer_gets_not_found(client, certificate, humen_officer):
    client.force_login(humen_officer)
    assert client.get(reverse("certification:certificate_detail", args=[certificate.pk])).status_code == 404
    assert (
        client.get(reverse("certification:evaluator_detail", args=[certificate.evaluator_id])).status_code
        == 404
    )


def test_the_bureau_home_lists_the_filing_queue_and_volumes(
    client, certificate, bureau_officer, humen, lathe
):
    from skillcity.certification import services
    from tests.factories import OrganisationFactory

    waiting = services.evaluator_file(
        organisation=OrganisationFactory(town=humen, name="虎门待审企业"),
        kind="enterprise",
        scope=[(lathe, 3, 5)],
        actor=bureau_officer,
    )
    client.force_login(bureau_officer)
    page = client.get(reverse("certification:home"))
    html = page.content.decode()
    assert "虎门待审企业" in html and "echarts.min.js" in html
    assert page.context["volumes"]["by_level"] == [{"level": 4, "count": 1}]
    response = client.post(
        reverse("certification:evaluator_review", args=[waiting.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == Evaluator.State.ACTIVE


def test_the_organisation_user_is_taken_to_their_evaluator(client, evaluator, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get(reverse("certification:home"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "certification:evaluator_detail", args=[evaluator.pk]
    )


def test_an_import_with_bad_rows_lists_them_on_the_session_page(
    client, evaluator, lathe, changan_worker, enterprise_user
):
    import io

    from openpyxl import Workbook

    from skillcity.certification import services

    session = make_session(evaluator, lathe, enterprise_user)
    services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    workbook = Workbook()
    workbook.active.append(["身份证号码", "姓名", "理论知识成绩", "操作技能成绩"])
    workbook.active.append([changan_worker.id_number, changan_worker.name, "九十", 80])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "results.xlsx"
    client.force_login(enterprise_user)
    client.post(reverse("certification:results_import", args=[session.pk]), {"file": buffer})
    html = client.get(reverse("certification:session_detail", args=[session.pk])).content.decode()
    assert 'id="import-errors"' in html and "第 2 行 理论知识成绩" in html


def test_a_session_page_for_the_evaluator_lets_them_issue(
    client, evaluator, lathe, changan_worker, enterprise_user
):
    from skillcity.certification import services

    session = make_session(evaluator, lathe, enterprise_user)
    candidate = services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    client.force_login(enterprise_user)
    client.post(
        reverse("certification:result_record", args=[candidate.pk]),
        {"theory_score": "70", "practical_score": "90"},
    )
    client.post(reverse("certification:certificates_issue", args=[session.pk]), {"issued_on": "2024-06-01"})
    candidate.refresh_from_db()
    assert candidate.certificate.number.startswith("Y")
    assert (
        candidate.certificate.number
        in client.get(reverse("certification:session_detail", args=[session.pk])).content.decode()
    )


def test_another_organisation_cannot_open_or_change_a_session(
    client, evaluator, lathe, changan_worker, enterprise_user, humen
):
    from skillcity.accounts.models import Role
    from skillcity.certification import services
    from tests.factories import OrganisationFactory, UserFactory

    session = make_session(evaluator, lathe, enterprise_user)
    candidate = services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    client.force_login(UserFactory(role=Role.ORGANISATION_USER, organisation=OrganisationFactory(town=humen)))
    assert client.get(reverse("certification:session_detail", args=[session.pk])).status_code == 404
    client.post(
        reverse("certification:result_record", args=[candidate.pk]),
        {"theory_score": "99", "practical_score": "99"},
    )
    client.post(reverse("certification:certificates_issue", args=[session.pk]), {"issued_on": "2024-06-01"})
    candidate.refresh_from_db()
    assert candidate.result == "pending" and not hasattr(candidate, "certificate")


def test_the_session_page_answers_another_enterprises_worker_as_unregistered(
    client, evaluator, lathe, enterprise_user, humen_worker
):
    session = make_session(evaluator, lathe, enterprise_user)
    client.force_login(enterprise_user)
    url = reverse("certification:candidate_add", args=[session.pk])
    other = client.post(url, {"id_number": humen_worker.id_number}, follow=True).content.decode()
    unknown = client.post(url, {"id_number": "441900199001010011"}, follow=True).content.decode()
    assert "本企业登记的职工中没有该身份证号码" in other and "本企业登记的职工中没有该身份证号码" in unknown
    assert humen_worker.name not in other
