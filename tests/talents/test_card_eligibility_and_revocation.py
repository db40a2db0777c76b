"""TAL-CARD from records for every basis; apply in one step; revocation when the basis goes, and not
when another basis remains."""

from __future__ import annotations

import datetime

import pytest

from skillcity.certification import services as certification
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.notifications.models import Notification
from skillcity.registry.models import SkillRecord
from skillcity.registry.signals import basis_revoked
from skillcity.talents.models import StudioLead, TalentCard
from skillcity.talents.selectors.cards import card_eligibility
from skillcity.talents.services import cards
from tests.factories import WorkerFactory
from tests.talents.conftest import certify, honour

pytestmark = pytest.mark.django_db

TITLE_CODES = [code for code, _label in SkillRecord.Honour.choices]


@pytest.mark.parametrize("code", TITLE_CODES)
def test_each_title_makes_a_worker_eligible_and_is_named_in_the_reasons(code, changan_worker, bureau_officer):
    assert not card_eligibility(changan_worker).eligible
    honour(changan_worker, code, bureau_officer)
    outcome = card_eligibility(changan_worker)
    assert outcome.eligible
    label = str(SkillRecord.Honour(code).label)
    assert any(label in g for g in outcome.extra["grounds"])


@pytest.mark.parametrize(
    ("level", "label"), [("city", "市级"), ("provincial", "省级"), ("national", "国家级")]
)
def test_each_studio_lead_level_makes_a_worker_eligible(level, label, changan_worker):
    StudioLead.objects.create(
        worker=changan_worker, studio_name="模具工作室", level=level, recognised_on=datetime.date(2024, 1, 1)
    )
    outcome = card_eligibility(changan_worker)
    assert outcome.eligible
    assert any(label in g and "工作室" in g for g in outcome.extra["grounds"])


def test_the_highest_studio_level_is_the_one_given(changan_worker):
    for name, level in (("甲", "city"), ("乙", "national"), ("丙", "provincial")):
        StudioLead.objects.create(
            worker=changan_worker, studio_name=name, level=level, recognised_on=datetime.date(2024, 1, 1)
        )
    assert any("国家级" in g for g in card_eligibility(changan_worker).extra["grounds"])


@pytest.mark.parametrize(("level", "eligible"), [(1, True), (2, True), (3, False), (4, False)])
def test_a_certificate_at_level_2_or_higher_makes_a_worker_eligible(
    level, eligible, evaluator, lathe, changan_worker, bureau_officer
):
    if level == 1:
        # The fixture evaluator is filed for levels 2–5: level 1 goes into the registry directly.
        SkillRecord.objects.create(
            worker=changan_worker,
            kind="skill_level",
            level=1,
            occupation=lathe,
            obtained_on=datetime.date(2024, 1, 1),
        )
    else:
        certify(evaluator, lathe, changan_worker, bureau_officer, level=level)
    outcome = card_eligibility(changan_worker)
    assert outcome.eligible is eligible
    if not eligible:
        assert "不能申领" in outcome.reasons[0]


def test_an_eligible_worker_applies_in_one_step_and_the_card_is_signed(
    changan_worker, worker_user, bureau_officer
):
    honour(changan_worker, "dongguan_craftsman", bureau_officer)
    card = cards.card_apply(worker=changan_worker, actor=worker_user)
    assert card.status == TalentCard.Status.VALID
    assert card.number.startswith("YCK") and card.grounds == ["持有“莞邑工匠”称号"]
    assert card.qr_token.count(".") == 1
    assert AuditEvent.objects.filter(action="talent_card.issue", target_id=str(card.pk)).exists()
    with pytest.raises(Conflict):
        cards.card_apply(worker=changan_worker, actor=worker_user)


def test_an_ineligible_worker_is_refused_with_the_reason(changan_worker, worker_user):
    with pytest.raises(DomainError) as exc:
        cards.card_apply(worker=changan_worker, actor=worker_user)
    assert exc.value.code == "not_eligible" and "不能申领" in str(exc.value.message)
    assert not TalentCard.objects.exists()


def test_a_worker_cannot_apply_for_someone_else(changan_worker, humen_worker, worker_user, bureau_officer):
    honour(humen_worker, "chief_technician", bureau_officer)
    with pytest.raises(PermissionDenied):
        cards.card_apply(worker=humen_worker, actor=worker_user)


def test_revoking_the_only_basis_certificate_revokes_the_card_and_tells_the_holder(
    evaluator, lathe, changan_worker, worker_user, bureau_officer
):
    certificate = certify(evaluator, lathe, changan_worker, bureau_officer, level=2)
    card = cards.card_apply(worker=changan_worker, actor=worker_user)
    assert card.grounds == ["取得技师职业技能等级证书"]
    certification.certificate_revoke(certificate=certificate, reason="考核材料弄虚作假", actor=bureau_officer)
    card.refresh_from_db()
    assert card.status == TalentCard.Status.REVOKED
    assert "考核材料弄虚作假" in card.revoked_reason and "无其他依据" in card.revoked_reason
    notice = Notification.objects.get(user=worker_user, kind="talent_card_revoked")
    assert card.number in notice.text and "考核材料弄虚作假" in notice.text
    assert AuditEvent.objects.filter(action="talent_card.revoke", target_id=str(card.pk)).exists()


def test_revoking_one_basis_keeps_the_card_when_another_remains(
    evaluator, lathe, changan_worker, worker_user, bureau_officer
):
    certificate = certify(evaluator, lathe, changan_worker, bureau_officer, level=2)
    StudioLead.objects.create(
        worker=changan_worker, studio_name="模具工作室", level="city", recognised_on=datetime.date(2024, 1, 1)
    )
    card = cards.card_apply(worker=changan_worker, actor=worker_user)
    assert len(card.grounds) == 2
    certification.certificate_revoke(certificate=certificate, reason="考核材料弄虚作假", actor=bureau_officer)
    card.refresh_from_db()
    assert card.status == TalentCard.Status.VALID
    assert card.grounds == ["为市级技能大师工作室（技师工作站）领办人"]
    assert not Notification.objects.filter(kind="talent_card_revoked").exists()


def test_a_revoked_title_sent_through_the_signal_revokes_the_card(
    changan_worker, worker_user, bureau_officer
):
    """How competitions' title_revoke calls the card: it removes the title's standing and sends the signal."""
    record = honour(changan_worker, "dongguan_technical_expert", bureau_officer)
    card = cards.card_apply(worker=changan_worker, actor=worker_user)
    record.delete()
    basis_revoked.send(sender=SkillRecord, worker=changan_worker, actor=bureau_officer, reason="称号被撤销")
    card.refresh_from_db()
    assert card.status == TalentCard.Status.REVOKED and "称号被撤销" in card.revoked_reason


def test_the_bureau_revokes_a_card_with_a_reason_and_then_the_worker_may_apply_again(
    changan_worker, worker_user, bureau_officer, changan_officer
):
    honour(changan_worker, "dongguan_leading_talent", bureau_officer)
    card = cards.card_apply(worker=changan_worker, actor=worker_user)
    with pytest.raises(PermissionDenied):
        cards.card_revoke(card=card, reason="误发", actor=changan_officer)
    with pytest.raises(DomainError) as exc:
        cards.card_revoke(card=card, reason=" ", actor=bureau_officer)
    assert exc.value.fields == {"reason": "请填写撤销原因"}
    cards.card_revoke(card=card, reason="误发", actor=bureau_officer)
    with pytest.raises(Conflict):
        cards.card_revoke(card=card, reason="误发", actor=bureau_officer)
    again = cards.card_apply(worker=changan_worker, actor=worker_user)
    assert again.pk != card.pk and again.status == TalentCard.Status.VALID


def test_at_most_24_services_are_active(bureau_officer, worker_user):
    for i in range(24):
        cards.card_service_save(actor=bureau_officer, name=f"服务{i}", provider="市人社局", order=i)
    with pytest.raises(DomainError) as exc:
        cards.card_service_save(actor=bureau_officer, name="第25项", provider="市人社局")
    assert exc.value.code == "too_many_services" and "active" in exc.value.fields
    inactive = cards.card_service_save(actor=bureau_officer, name="第25项", provider="市人社局", active=False)
    assert not inactive.active
    with pytest.raises(PermissionDenied):
        cards.card_service_save(actor=worker_user, name="x", provider="y")
    with pytest.raises(DomainError) as exc:
        cards.card_service_save(actor=bureau_officer, name="", provider="y", order=5000)
    assert set(exc.value.fields) == {"name", "order"}


def test_a_worker_without_a_user_still_has_the_card_revoked_quietly(evaluator, lathe, bureau_officer):
    worker = WorkerFactory(town=evaluator.organisation.town, employer=evaluator.organisation)
    certificate = certify(evaluator, lathe, worker, bureau_officer, level=2)
    card = cards.card_apply(worker=worker, actor=bureau_officer)
    certification.certificate_revoke(certificate=certificate, reason="撤销", actor=bureau_officer)
    card.refresh_from_db()
    assert card.status == TalentCard.Status.REVOKED  # the holder has no account: nobody to tell
    assert not Notification.objects.exists()
