"""Issue 13 item 6: a redemption is taken back within the undo window as a ledger reversal — the
redemption row unchanged, the voucher usable again, a reason, an audit row; refused after the window
or once settled; asking twice gives the same reversal; settlement does not count it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent
from skillcity.core.periods import HalfYear
from skillcity.training import services
from skillcity.training.models import (
    Redemption,
    RedemptionReversal,
    Voucher,
    VoucherEvent,
    VoucherState,
)
from tests.training.conftest import issue

pytestmark = pytest.mark.django_db


def _redeem(voucher: Voucher, institution, user, key: str = "k1", enrolment=None) -> Redemption:
    return services.voucher_redeem(
        code=voucher.code, provider=institution, idempotency_key=key, actor=user, enrolment=enrolment
    )


def test_it_reverses_a_redemption_as_a_new_ledger_entry(changan_worker, institution, institution_user):
    voucher = issue([changan_worker]).vouchers.get()
    redemption = _redeem(voucher, institution, institution_user)
    before = Redemption.objects.filter(pk=redemption.pk).values().get()
    reversal = services.redemption_reverse(redemption=redemption, reason="扫错了卡", actor=institution_user)
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.ISSUED and voucher.reversal_count == 1
    assert reversal.reason == "扫错了卡" and reversal.actor == institution_user
    # The redemption row is exactly as it was; the ledger has one more entry and nothing edited.
    assert Redemption.objects.filter(pk=redemption.pk).values().get() == before
    assert list(voucher.events.order_by("id").values_list("state", "round")) == [
        ("issued", 0),
        ("redeemed", 0),
        ("reversed", 0),
    ]
    audit = AuditEvent.objects.get(action="voucher.redemption_reverse")
    assert audit.after["reason"] == "扫错了卡" and audit.before["redemption"] == redemption.pk


def test_the_voucher_can_be_redeemed_again_after_a_reversal(changan_worker, institution, institution_user):
    voucher = issue([changan_worker]).vouchers.get()
    first = _redeem(voucher, institution, institution_user, "k1")
    services.redemption_reverse(redemption=first, reason="学员改期", actor=institution_user)
    second = _redeem(voucher, institution, institution_user, "k2")
    assert second.pk != first.pk and second.round == 1
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.REDEEMED
    assert VoucherEvent.objects.filter(voucher=voucher, state="redeemed").count() == 2
    with pytest.raises(DomainError) as error:  # and still only once a round
        _redeem(voucher, institution, institution_user, "k3")
    assert error.value.code == "voucher_not_redeemable"


def test_asking_twice_returns_the_same_reversal(changan_worker, institution, institution_user):
    voucher = issue([changan_worker]).vouchers.get()
    redemption = _redeem(voucher, institution, institution_user)
    first = services.redemption_reverse(redemption=redemption, reason="重复", actor=institution_user)
    again = services.redemption_reverse(redemption=redemption, reason="重复", actor=institution_user)
    assert first.pk == again.pk
    assert RedemptionReversal.objects.count() == 1
    assert AuditEvent.objects.filter(action="voucher.redemption_reverse").count() == 1
    assert VoucherEvent.objects.filter(state="reversed").count() == 1


def test_it_requires_a_reason(changan_worker, institution, institution_user):
    redemption = _redeem(issue([changan_worker]).vouchers.get(), institution, institution_user)
    with pytest.raises(DomainError) as error:
        services.redemption_reverse(redemption=redemption, reason="  ", actor=institution_user)
    assert error.value.code == "reason_required" and "reason" in error.value.fields
    assert Voucher.objects.get().state == VoucherState.REDEEMED


def test_it_refuses_after_the_undo_window(changan_worker, institution, institution_user, settings):
    settings.REDEMPTION_UNDO_MINUTES = 30
    redemption = _redeem(issue([changan_worker]).vouchers.get(), institution, institution_user)
    Redemption.objects.filter(pk=redemption.pk).update(
        redeemed_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    redemption.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.redemption_reverse(redemption=redemption, reason="太晚了", actor=institution_user)
    assert error.value.code == "undo_window_passed" and "30 分钟" in error.value.message
    assert Voucher.objects.get().state == VoucherState.REDEEMED


def test_it_refuses_a_settled_redemption_and_settlement_skips_a_reversed_one(
    changan_worker, institution, institution_user, enrolment, finance_bureau, training_funds
):
    bureau_officer = finance_bureau  # approves and pays through grants
    from skillcity.registry.models import Worker
    from tests.factories import WorkerFactory

    other = WorkerFactory(town=changan_worker.town, name="李二")
    services.enrolment_create(
        training_class=enrolment.training_class, worker=other, enrolled_on=enrolment.enrolled_on, actor="t"
    )
    issue(Worker.objects.filter(pk__in=[changan_worker.pk, other.pk]))
    kept_voucher = Voucher.objects.get(worker=changan_worker)
    reversed_voucher = Voucher.objects.get(worker=other)
    kept = _redeem(kept_voucher, institution, institution_user, "k1", enrolment=enrolment)
    other_enrolment = other.enrolments.get()
    taken_back = _redeem(reversed_voucher, institution, institution_user, "k2", enrolment=other_enrolment)
    services.redemption_reverse(redemption=taken_back, reason="退出培训", actor=institution_user)
    for e in (enrolment, other_enrolment):
        services.enrolment_complete(
            enrolment=e,
            passed=True,
            completed_on=datetime.date(2025, 5, 31),
            assessment_score=None,
            certified_level=None,
            actor="t",
        )
    settlement = services.settlement_run(provider=institution, period=HalfYear.parse("2025H1"))
    services.settlement_approve(settlement=settlement, actor=bureau_officer)
    services.settlement_pay(settlement=settlement, idempotency_key="pay", actor=bureau_officer)
    kept_voucher.refresh_from_db()
    reversed_voucher.refresh_from_db()
    assert kept_voucher.state == VoucherState.SETTLED
    assert reversed_voucher.state == VoucherState.ISSUED  # usable again, not settled
    with pytest.raises(DomainError) as error:
        services.redemption_reverse(redemption=kept, reason="晚了", actor=institution_user)
    assert error.value.code == "redemption_settled"


def test_a_redemption_reversed_at_one_provider_is_not_settled_by_it(
    changan_worker,
    institution,
    institution_user,
    enrolment,
    other_institution,
    other_institution_user,
    lathe,
    finance_bureau,
    training_funds,
):
    """Provider B took its redemption back; the holder redeemed the voucher at provider A. B's
    settlement must not settle the voucher through its reversed redemption (settlement_pay)."""
    bureau_officer = finance_bureau  # approves and pays through grants
    project_b = services.project_create(
        provider=other_institution,
        name="焊工班",
        occupation=lathe,
        level=4,
        per_person_standard=Decimal("2000"),
        capacity=10,
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2025, 5, 31),
        actor="t",
    )
    class_b = services.class_create(
        project=project_b,
        name="一班",
        start_date=project_b.start_date,
        end_date=project_b.end_date,
        actor="t",
    )
    enrolment_b = services.enrolment_create(
        training_class=class_b, worker=changan_worker, enrolled_on=datetime.date(2025, 2, 1), actor="t"
    )
    voucher = issue([changan_worker]).vouchers.get()
    at_b = _redeem(voucher, other_institution, other_institution_user, "kb", enrolment=enrolment_b)
    services.redemption_reverse(redemption=at_b, reason="学员改去别家", actor=other_institution_user)
    _redeem(voucher, institution, institution_user, "ka", enrolment=enrolment)
    services.enrolment_complete(
        enrolment=enrolment_b,
        passed=True,
        completed_on=datetime.date(2025, 5, 31),
        assessment_score=None,
        certified_level=None,
        actor="t",
    )
    settlement = services.settlement_run(provider=other_institution, period=HalfYear.parse("2025H1"))
    services.settlement_approve(settlement=settlement, actor=bureau_officer)
    services.settlement_pay(settlement=settlement, idempotency_key="pay-b", actor=bureau_officer)
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.REDEEMED  # still provider A's to settle


def test_an_issued_voucher_past_its_validity_shows_as_expired_before_the_job_runs(changan_worker):
    voucher = issue([changan_worker], valid_to=datetime.date(2025, 12, 31)).vouchers.get()
    assert voucher.state == VoucherState.ISSUED
    assert voucher.state_now(datetime.date(2026, 1, 1)) == VoucherState.EXPIRED
    assert voucher.state_now(datetime.date(2025, 12, 31)) == VoucherState.ISSUED
    assert services.vouchers_expire(today=datetime.date(2026, 1, 1)) == 1  # and the job still writes it
