"""Issue 7 item 8: the public certificate verification page in a real browser."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.core.cache import cache

from skillcity.accounts.models import Role
from skillcity.certification import services
from skillcity.certification.models import EvaluatorKind
from tests.browser.conftest import screenshot
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _issue(evaluator, occupation, worker, actor, level: int):
    session = services.session_create(
        evaluator=evaluator,
        occupation=occupation,
        level=level,
        kind="grading",
        date=datetime.date(2024, 5, 10),
        site="长安镇考核站",
        actor=actor,
    )
    candidate = services.candidate_add(session=session, worker=worker, actor=actor)
    services.result_record(candidate=candidate, theory="82", practical="76", actor=actor)
    (certificate,) = services.certificates_issue(
        session=session, actor=actor, issued_on=datetime.date(2024, 6, 1)
    )
    return certificate


def test_the_public_verifies_by_number_and_name_sees_revoked_and_tampered(live_server, page):
    cache.clear()
    changan = TownFactory(name="长安镇")
    enterprise = OrganisationFactory(town=changan, name="东莞市长安精密制造有限公司")
    bureau = UserFactory(role=Role.BUREAU_OFFICER)
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    filed = services.evaluator_file(
        organisation=enterprise, kind=EvaluatorKind.ENTERPRISE, scope=[(lathe, 2, 5)], actor=bureau
    )
    evaluator = services.evaluator_review(evaluator=filed, decision="approve", note="", actor=bureau)
    holder = WorkerFactory(town=changan, employer=enterprise, name="陈长安")
    other = WorkerFactory(town=changan, employer=enterprise, name="李虎")
    valid = _issue(evaluator, lathe, holder, bureau, level=3)
    revoked = _issue(evaluator, lathe, other, bureau, level=4)
    services.certificate_revoke(certificate=revoked, reason="考核材料弄虚作假", actor=bureau)

    # By number and name: valid, the ID number masked.
    page.goto(f"{live_server.url}/certification/verify/")
    page.fill("#id_number", valid.number)
    page.fill("#id_name", "陈长安")
    page.click("#verify-form button[type=submit]")
    assert page.get_attribute("#verify-status", "data-status") == "valid"
    assert page.inner_text("[data-testid=id-number]") == holder.id_number_masked
    assert holder.id_number not in page.content()
    assert "三级/高级工" in page.inner_text("[data-testid=certificate-facts]")
    screenshot(page, "certificate-verify-valid")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "certificate-verify-valid-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The wrong name: not found, nothing shown.
    page.fill("#id_name", "张三")
    page.click("#verify-form button[type=submit]")
    assert page.get_attribute("#verify-status", "data-status") == "not_found"
    assert page.query_selector("[data-testid=certificate-facts]") is None

    # A revoked certificate, by scanning its QR link.
    page.goto(f"{live_server.url}/certification/verify/?qr={quote(revoked.qr_token)}")
    assert page.get_attribute("#verify-status", "data-status") == "revoked"
    status = page.inner_text("#verify-status")
    assert "已撤销" in status and "考核材料弄虚作假" in status
    screenshot(page, "certificate-verify-revoked")

    # A tampered QR link (one character of the signature changed).
    body, signature = valid.qr_token.split(".")
    flipped = ("B" if signature[5] != "B" else "C").join([signature[:5], signature[6:]])
    page.goto(f"{live_server.url}/certification/verify/?qr={quote(body + '.' + flipped)}")
    assert page.get_attribute("#verify-status", "data-status") == "tampered"
    assert "二维码签名无效，可能被篡改" in page.inner_text("#verify-status")
    assert page.query_selector("[data-testid=certificate-facts]") is None
    screenshot(page, "certificate-verify-tampered")
    cache.clear()
