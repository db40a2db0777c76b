from __future__ import annotations

import datetime

import pytest

from skillcity.core.audit import audit_verify
from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent
from skillcity.training import services
from skillcity.training.cards import card_service
from skillcity.training.codes import voucher_code_display, voucher_code_is_valid, voucher_code_new
from skillcity.training.models import Redemption, Voucher, VoucherEvent, VoucherState
from tests.training.conftest import TODAY, issue

pytestmark = pytest.mark.django_db


def test_codes_are_checksummed_and_a_typo_is_caught():
    code = voucher_code_new()
    assert voucher_code_is_valid(code)
    typo = ("1" if code[3] != "1" else "2").join([code[:3], code[4:]])
    assert not voucher_code_is_valid(typo)
    assert voucher_code_display(code).replace("-", "") == code


def test_it_issues_a_voucher_to_each_worker_and_tells_the_card(changan_worker, humen_worker):
    batch = issue([changan_worker, humen_worker])
    assert batch.issued_count == 2
    voucher = Voucher.objects.get(worker=changan_worker)
    assert voucher.state == VoucherState.ISSUED
    assert list(voucher.events.values_list("state", flat=True)) == ["issued"]
    assert card_service().query(voucher_code=voucher.code) == "issued"


def test_it_refuses_a_batch_with_no_face_value(changan_worker):
    with pytest.raises(DomainError) as error:
        services.voucher_batch_issue(
            name="x",
            face_value=0,
            valid_from=TODAY,
            valid_to=TODAY,
            workers=Voucher.objects.none(),
            actor="test",
        )
    assert "face_value" in error.value.fields


def test_it_redeems_a_voucher_once_and_appends_to_the_ledger(enrolment, institution, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    redemption = services.voucher_redeem(
        code=voucher.code,
        provider=institution,
        idempotency_key="k1",
        enrolment=enrolment,
        actor="test",
        today=TODAY,
    )
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.REDEEMED
    assert redemption.amount == voucher.face_value
    assert list(voucher.events.values_list("state", flat=True)) == ["issued", "redeemed"]


def test_it_accepts_a_code_typed_with_dashes_and_lowercase(institution, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    services.voucher_redeem(
        code=voucher_code_display(voucher.code).lower(),
        provider=institution,
        idempotency_key="k1",
        actor="test",
        today=TODAY,
    )
    assert Voucher.objects.get(pk=voucher.pk).state == VoucherState.REDEEMED


def test_it_replays_the_same_idempotency_key_with_the_first_result(institution, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    first = services.voucher_redeem(
        code=voucher.code, provider=institution, idempotency_key="k1", actor="t", today=TODAY
    )
    again = services.voucher_redeem(
        code=voucher.code, provider=institution, idempotency_key="k1", actor="t", today=TODAY
    )
    assert again.pk == first.pk
    assert Redemption.objects.count() == 1


def test_it_rejects_a_voucher_redeemed_twice(institution, other_institution, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    services.voucher_redeem(
        code=voucher.code, provider=institution, idempotency_key="k1", actor="t", today=TODAY
    )
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=voucher.code, provider=institution, idempotency_key="k2", actor="t", today=TODAY
        )
    assert error.value.code == "voucher_not_redeemable"
    assert str(error.value.message) == "该培训券已核销"
    with pytest.raises(DomainError):
        services.voucher_redeem(
            code=voucher.code, provider=other_institution, idempotency_key="k1", actor="t", today=TODAY
        )
    assert VoucherEvent.objects.filter(voucher=voucher, state="redeemed").count() == 1


def test_it_rejects_an_expired_voucher(institution, changan_worker):
    voucher = issue([changan_worker], valid_to=datetime.date(2025, 1, 31)).vouchers.get()
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=voucher.code, provider=institution, idempotency_key="k", actor="t", today=TODAY
        )
    assert error.value.code == "voucher_expired"


def test_it_rejects_a_revoked_voucher(institution, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    services.voucher_revoke(voucher=voucher, reason="重复发放", actor="t")
    assert card_service().query(voucher_code=voucher.code) == "revoked"
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=voucher.code, provider=institution, idempotency_key="k", actor="t", today=TODAY
        )
    assert str(error.value.message) == "该培训券已撤销"
    with pytest.raises(DomainError):
        services.voucher_revoke(voucher=voucher, reason="again", actor="t")


def test_it_rejects_a_voucher_for_an_ineligible_occupation(enrolment, institution, changan_worker, welder):
    voucher = issue([changan_worker], occupations=[welder]).vouchers.get()
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=voucher.code,
            provider=institution,
            idempotency_key="k",
            enrolment=enrolment,
            actor="t",
            today=TODAY,
        )
    assert error.value.code == "voucher_ineligible_occupation"
    assert Voucher.objects.get(pk=voucher.pk).state == VoucherState.ISSUED


def test_it_rejects_another_providers_enrolment(enrolment, other_institution, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=voucher.code,
            provider=other_institution,
            idempotency_key="k",
            enrolment=enrolment,
            actor="t",
            today=TODAY,
        )
    assert error.value.code == "enrolment_other_provider"


def test_it_rejects_another_workers_voucher(enrolment, institution, humen_worker):
    voucher = issue([humen_worker]).vouchers.get()
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=voucher.code,
            provider=institution,
            idempotency_key="k",
            enrolment=enrolment,
            actor="t",
            today=TODAY,
        )
    assert error.value.code == "voucher_other_worker"


def test_it_rejects_a_mistyped_code(institution):
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code="NOT-A-CODE", provider=institution, idempotency_key="k", actor="t", today=TODAY
        )
    assert error.value.code == "invalid_voucher_code"


def test_the_expiry_job_expires_only_lapsed_issued_vouchers(institution, changan_worker, humen_worker):
    lapsed = issue([changan_worker], valid_to=datetime.date(2025, 1, 31)).vouchers.get()
    current = issue([humen_worker]).vouchers.get()
    assert services.vouchers_expire(today=TODAY) == 1
    assert services.vouchers_expire(today=TODAY) == 0
    assert Voucher.objects.get(pk=lapsed.pk).state == VoucherState.EXPIRED
    assert Voucher.objects.get(pk=current.pk).state == VoucherState.ISSUED
    assert list(lapsed.events.values_list("state", flat=True)) == ["issued", "expired"]


def test_a_key_used_for_one_voucher_is_refused_for_another_and_the_claim_is_taken_back(
    institution, changan_worker, humen_worker
):
    first, second = issue([changan_worker, humen_worker]).vouchers.order_by("id")
    services.voucher_redeem(
        code=first.code, provider=institution, idempotency_key="k1", actor="t", today=TODAY
    )
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=second.code, provider=institution, idempotency_key="k1", actor="t", today=TODAY
        )
    assert error.value.code == "idempotency_key_reused"
    assert Voucher.objects.get(pk=second.pk).state == VoucherState.ISSUED
    assert not VoucherEvent.objects.filter(voucher=second, state="redeemed").exists()


def test_a_redemption_appends_one_audit_row_and_returns_what_was_stored(institution, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    redemption = services.voucher_redeem(
        code=voucher.code, provider=institution, idempotency_key="k1", actor="clerk", today=TODAY
    )
    stored = Redemption.objects.get()
    assert (redemption.pk, redemption.voucher.code, redemption.amount) == (
        stored.pk,
        voucher.code,
        stored.amount,
    )
    assert redemption.redeemed_at == stored.redeemed_at
    event = AuditEvent.objects.get(action="voucher.redeem")
    assert (event.target_id, event.target_label, event.actor_label) == (
        str(voucher.pk),
        voucher.code,
        "clerk",
    )
    assert event.after == {"state": "redeemed", "provider": institution.pk, "enrolment": None}
    assert audit_verify().ok


def test_a_voucher_outside_its_dates_is_refused_without_a_claim(institution, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=voucher.code,
            provider=institution,
            idempotency_key="k",
            actor="t",
            today=voucher.valid_from - datetime.timedelta(days=1),
        )
    assert error.value.code == "voucher_not_yet_valid"
    assert Voucher.objects.get(pk=voucher.pk).state == VoucherState.ISSUED


def test_an_unknown_code_with_a_valid_checksum_is_not_found(institution):
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=voucher_code_new(), provider=institution, idempotency_key="k", actor="t", today=TODAY
        )
    assert (error.value.code, error.value.status) == ("voucher_not_found", 404)
    assert "code" in error.value.fields


def test_a_key_reused_for_a_voucher_that_cannot_be_claimed_names_the_key(
    institution, changan_worker, humen_worker
):
    first, second = issue([changan_worker, humen_worker]).vouchers.order_by("id")
    services.voucher_redeem(
        code=first.code, provider=institution, idempotency_key="k1", actor="t", today=TODAY
    )
    services.voucher_redeem(
        code=second.code, provider=institution, idempotency_key="k2", actor="t", today=TODAY
    )
    with pytest.raises(DomainError) as error:
        services.voucher_redeem(
            code=second.code, provider=institution, idempotency_key="k1", actor="t", today=TODAY
        )
    assert (error.value.code, error.value.status) == ("idempotency_key_reused", 409)
    assert "idempotency_key" in error.value.fields
