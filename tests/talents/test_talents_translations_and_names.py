"""Messages of the card verification, the imports and the honours share translate; a name corrected in
the registry after a card was issued verifies as "name corrected", not as tampered; the home-purchase
claim's amount is set by grants and carried in the audit rows."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from skillcity.core.models import AuditEvent
from skillcity.registry.models import Worker
from skillcity.talents.selectors.cards import verify_card_token
from skillcity.talents.selectors.pool import CLASS_LABELS
from skillcity.talents.services import card_imports, cards, honours, leading
from tests.talents.conftest import honour, xlsx
from tests.talents.leading_helpers import DAY, NOTICE_OVER, call, expert, funds, to_recognition

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(changan_worker, worker_user, bureau_officer):
    honour(changan_worker, "chief_technician", bureau_officer)
    return cards.card_apply(worker=changan_worker, actor=worker_user)


def test_a_name_corrected_since_issue_verifies_as_corrected_not_tampered(card, client):
    Worker.objects.filter(pk=card.worker_id).update(name="陈长安明")
    result = verify_card_token(card.qr_token)
    assert result.status == "valid" and result.name_changed
    assert "持卡人姓名已更正" in result.message
    page = client.get("/talents/cards/verify/", {"qr": card.qr_token}).content.decode()
    assert 'data-status="valid"' in page and 'id="verify-name-changed"' in page


def test_verification_messages_translate(card):
    with translation.override("en"):
        assert (
            verify_card_token("not-a-token").message == "QR signature invalid; it may have been tampered with"
        )
        assert verify_card_token(card.qr_token).message == "Talent card valid"


def test_import_and_honours_messages_translate(bureau_officer):
    with translation.override("en"):
        result = card_imports.titles_import(filename="x.csv", content=b"", actor=bureau_officer)
        assert result.errors[0].reason.startswith("Only .xlsx files")
        content = xlsx([["姓名", "身份证号码", "工作单位"], ["", "441900199001011234", "厂"]])
        done = honours.honours_import(
            award="五一劳动奖章", year=2024, filename="list.xlsx", content=content, actor=bureau_officer
        )
        assert any(e.reason == "Please fill in the name" for e in done.errors)
        assert str(CLASS_LABELS["advanced"]) == "Advanced class"


def test_the_home_purchase_amount_is_in_the_grant_and_the_audit(bureau_officer, worker_user, changan):
    funds(bureau_officer)
    the_call = call(bureau_officer)
    app = leading.application_submit(actor=worker_user, call=the_call, grounds="g", day=DAY)
    ew, eu = expert(changan)
    recognition = to_recognition(bureau_officer, the_call, app, ew, eu)
    grant = leading.home_purchase_claim(
        actor=worker_user,
        recognition=recognition,
        requested="2500000",
        proof=SimpleUploadedFile("contract.pdf", b"%PDF c"),
        day=NOTICE_OVER,
    )
    grant.refresh_from_db()
    assert str(grant.requested_amount) == "2500000.00"
    made = AuditEvent.objects.get(action="grants.application.from_records", target_id=str(grant.pk))
    assert "2500000" in str(made.after)
    claim = AuditEvent.objects.get(action="talents.leading.home_purchase", target_id=str(app.pk))
    assert "2500000" in str(claim.after)
