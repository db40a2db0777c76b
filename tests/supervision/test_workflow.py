# ruff: noqa: F811  (the fixtures imported from tests.grants.conftest and workflow_helpers are named as the tests' arguments)
"""The alert workflow (issue 20 §2) by persona: the bureau and the Changan officer handle a Changan alert,
the Humen officer does not find it, an enterprise user is refused; each step has its event and audit
row and a reason where it decides. A confirmed alert's money actions: a hold stops a payment (single and
batch) until released; a recovery is a ledger line of its own that the fund counts back and the
application page shows; a referral; each idempotent. A dismissed alert stays dismissed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from skillcity.core.errors import DomainError, NotFound, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.grants import services as grants
from skillcity.grants.models import Fund, Payment, Recovery
from skillcity.grants.services.recoveries import recovery_record
from skillcity.supervision.models import Alert, AlertState, PaymentHold, Referral
from skillcity.supervision.services import supervise
from skillcity.supervision.services import workflow as wf
from tests.grants.conftest import default_funds, fake_engine, finance_officer  # noqa: F401
from tests.supervision.workflow_helpers import CHECK_ID, approved, grants_check, paid, raise_alert  # noqa: F401

pytestmark = pytest.mark.django_db


def confirmed(alert: Alert, actor) -> Alert:
    wf.alert_investigate(alert=alert, actor=actor)
    return wf.alert_confirm(alert=alert, actor=actor, reason="核实：承办活动未实际举办")


def test_the_changan_officer_walks_a_changan_alert_to_confirmed_with_events_and_audit_rows(
    grants_check, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    paid(enterprise_user, changan_officer, bureau_officer, finance_officer)
    alert = raise_alert()
    assert alert.town.name == "长安镇" and alert.money == Decimal("100000.00")
    wf.alert_assign(alert=alert, assignee=changan_officer, actor=bureau_officer)
    wf.alert_investigate(alert=alert, actor=changan_officer, note="调取活动现场记录")
    with pytest.raises(DomainError) as no_reason:
        wf.alert_confirm(alert=alert, actor=changan_officer, reason="  ")
    assert no_reason.value.code == "reason_required" and "reason" in no_reason.value.fields
    wf.alert_confirm(alert=alert, actor=changan_officer, reason="现场核查：活动未举办")
    alert.refresh_from_db()
    assert alert.state == AlertState.CONFIRMED and alert.assignee == changan_officer
    assert alert.decision_reason == "现场核查：活动未举办"
    assert list(alert.events.values_list("action", flat=True)) == [
        "raised",
        "assigned",
        "investigating",
        "confirmed",
    ]
    actions = set(
        AuditEvent.objects.filter(action__startswith="supervision.alert.").values_list("action", flat=True)
    )
    assert actions == {
        "supervision.alert.assigned",
        "supervision.alert.investigating",
        "supervision.alert.confirmed",
    }
    with pytest.raises(DomainError) as again:
        wf.alert_dismiss(alert=alert, actor=bureau_officer, reason="x")
    assert again.value.code == "illegal_transition" and again.value.status == 409


def test_the_humen_officer_does_not_find_a_changan_alert_and_an_enterprise_user_is_refused(
    grants_check, enterprise_user, changan_officer, bureau_officer, finance_officer, humen_officer
):
    paid(enterprise_user, changan_officer, bureau_officer, finance_officer)
    alert = raise_alert()
    with pytest.raises(NotFound):
        wf.alert_investigate(alert=alert, actor=humen_officer)
    with pytest.raises(PermissionDenied):
        wf.alert_investigate(alert=alert, actor=enterprise_user)
    # Assigned only to an officer who may handle it: not Humen's.
    with pytest.raises(DomainError) as out_of_scope:
        wf.alert_assign(alert=alert, assignee=humen_officer, actor=bureau_officer)
    assert out_of_scope.value.code == "assignee_out_of_scope" and "assignee" in out_of_scope.value.fields
    assert Alert.objects.get().state == AlertState.OPEN


def test_a_dismissed_alert_stays_dismissed_until_its_records_change(
    grants_check, enterprise_user, changan_officer, bureau_officer
):
    app = approved(enterprise_user, changan_officer, bureau_officer)
    alert = raise_alert()
    with pytest.raises(DomainError):
        wf.alert_dismiss(alert=alert, actor=changan_officer, reason="")
    wf.alert_dismiss(alert=alert, actor=changan_officer, reason="已核实活动举办，材料齐全")
    supervise(check_ids=[CHECK_ID], full=True)
    supervise(check_ids=[CHECK_ID], full=True)
    alert.refresh_from_db()
    assert alert.state == AlertState.DISMISSED and Alert.objects.count() == 1
    # The amount behind it changes: it fires again.
    type(app).objects.filter(pk=app.pk).update(decided_amount=Decimal("90000"))
    supervise(check_ids=[CHECK_ID], full=True)
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN and alert.events.filter(action="refired").count() == 1


def test_a_hold_stops_the_providers_payments_single_and_batch_until_released(
    grants_check, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    paid(enterprise_user, changan_officer, bureau_officer, finance_officer)
    alert = confirmed(raise_alert(), changan_officer)
    unpaid = approved(enterprise_user, changan_officer, bureau_officer)
    hold = wf.hold_place(alert=alert, actor=changan_officer, reason="待核实前暂停拨付")
    assert wf.hold_place(alert=alert, actor=bureau_officer, reason="再次") == hold  # idempotent
    assert PaymentHold.objects.count() == 1
    with pytest.raises(DomainError) as refused:
        grants.payment_make(
            application=unpaid, actor=finance_officer, idempotency_key="pay-2", treasury_reference="GK-2"
        )
    assert refused.value.code == "payment_on_hold" and refused.value.status == 409
    assert "暂停" in str(refused.value.message) and f"#{alert.pk}" in str(refused.value.message)
    plan = grants.payment_batch_plan(ids=[unpaid.pk], actor=finance_officer)
    assert [r.code for r in plan.refused] == ["payment_on_hold"] and not plan.payable
    with pytest.raises(DomainError):
        grants.payment_batch_make(
            ids=[unpaid.pk], actor=finance_officer, idempotency_key="b-1", treasury_reference="GK-3"
        )
    assert Payment.objects.count() == 1

    with pytest.raises(DomainError) as no_reason:
        wf.hold_release(hold=hold, actor=changan_officer, reason="")
    assert "release_reason" in no_reason.value.fields
    wf.hold_release(hold=hold, actor=changan_officer, reason="已补充材料，核实无误")
    with pytest.raises(DomainError) as twice:
        wf.hold_release(hold=hold, actor=changan_officer, reason="again")
    assert twice.value.code == "hold_released"
    grants.payment_make(
        application=unpaid, actor=finance_officer, idempotency_key="pay-2", treasury_reference="GK-2"
    )
    assert Payment.objects.count() == 2
    assert {"supervision.hold.place", "supervision.hold.release"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_money_actions_need_a_confirmed_alert(
    grants_check, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    app = paid(enterprise_user, changan_officer, bureau_officer, finance_officer)
    alert = raise_alert()
    for action in (
        lambda: wf.hold_place(alert=alert, actor=bureau_officer, reason="x"),
        lambda: wf.alert_refer(alert=alert, to="police", note="x", actor=bureau_officer),
        lambda: wf.alert_recover(
            alert=alert,
            application_id=app.pk,
            amount="1",
            reason="x",
            actor=bureau_officer,
            idempotency_key="k",
        ),
    ):
        with pytest.raises(DomainError) as err:
            action()
        assert err.value.code == "alert_not_confirmed"


def test_a_recovery_is_a_ledger_line_the_fund_counts_back_once_per_key(
    grants_check, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    app = paid(enterprise_user, changan_officer, bureau_officer, finance_officer)
    fund = Fund.objects.get(programme="CMP-HOST", year=2024)
    before = fund.balances()
    alert = confirmed(raise_alert(), changan_officer)
    recovery = wf.alert_recover(
        alert=alert,
        application_id=app.pk,
        amount="30000",
        reason="虚报承办费用",
        actor=changan_officer,
        idempotency_key="rec-1",
    )
    replay = wf.alert_recover(
        alert=alert,
        application_id=app.pk,
        amount="30000",
        reason="虚报承办费用",
        actor=changan_officer,
        idempotency_key="rec-1",
    )
    assert replay == recovery and Recovery.objects.count() == 1
    assert recovery.fund == fund and recovery.reference == f"supervision.alert:{alert.pk}"
    after = fund.balances()
    assert after["recovered"] == Decimal("30000.00")
    assert after["remaining"] == before["remaining"] + Decimal("30000.00")
    assert after["spent"] == before["spent"]  # the payment is never edited
    assert Payment.objects.get().amount == Decimal("100000.00")
    assert alert.events.filter(action="recovery").count() == 1
    assert app.events.filter(action="recover").count() == 1  # the application's timeline
    # No more than was paid and not yet recovered; the same key for another amount is refused.
    with pytest.raises(DomainError) as too_much:
        wf.alert_recover(
            alert=alert,
            application_id=app.pk,
            amount="70000.01",
            reason="x",
            actor=bureau_officer,
            idempotency_key="rec-2",
        )
    assert too_much.value.code == "recovery_exceeds_paid" and "amount" in too_much.value.fields
    with pytest.raises(DomainError) as reused:
        recovery_record(
            application=app, amount="5", reason="x", actor=bureau_officer, idempotency_key="rec-1"
        )
    assert reused.value.code == "idempotency_key_reused"
    with pytest.raises(DomainError) as bad_amount:
        wf.alert_recover(
            alert=alert,
            application_id=app.pk,
            amount="abc",
            reason="x",
            actor=bureau_officer,
            idempotency_key="rec-3",
        )
    assert bad_amount.value.code == "bad_amount"
    wf.alert_recover(
        alert=alert,
        application_id=app.pk,
        amount="70000",
        reason="余款",
        actor=bureau_officer,
        idempotency_key="rec-4",
    )
    assert fund.balances()["recovered"] == Decimal("100000.00")
    assert {"grants.recovery.record", "supervision.alert.recovery"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_the_grants_application_page_shows_its_recoveries(
    grants_check, enterprise_user, changan_officer, bureau_officer, finance_officer, client
):
    app = paid(enterprise_user, changan_officer, bureau_officer, finance_officer)
    alert = confirmed(raise_alert(), bureau_officer)
    wf.alert_recover(
        alert=alert,
        application_id=app.pk,
        amount="1200.50",
        reason="虚报人数",
        actor=bureau_officer,
        idempotency_key="r",
    )
    client.force_login(bureau_officer)
    page = client.get(f"/grants/{app.pk}/").content.decode()
    assert 'id="recoveries"' in page and "1,200.50" in page and "虚报人数" in page


def test_a_referral_is_recorded_once_per_authority(
    grants_check, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    paid(enterprise_user, changan_officer, bureau_officer, finance_officer)
    alert = confirmed(raise_alert(), bureau_officer)
    with pytest.raises(DomainError) as bad:
        wf.alert_refer(alert=alert, to="mars", note="x", actor=bureau_officer)
    assert "to" in bad.value.fields
    first = wf.alert_refer(alert=alert, to=Referral.To.POLICE, note="涉嫌诈骗", actor=bureau_officer)
    assert wf.alert_refer(alert=alert, to="police", note="再次", actor=bureau_officer) == first
    assert Referral.objects.count() == 1 and alert.events.filter(action="referral").count() == 1
