from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.grants import flows, services
from skillcity.grants.models import ApplicationState as S
from skillcity.grants.models import Fund, FundEntry, Payment
from tests.grants.conftest import AFTER_NOTICE, EVENT, submitted, to_notice

pytestmark = pytest.mark.django_db


def test_it_adds_working_days_skipping_weekends():
    friday = datetime.date(2024, 3, 1)
    assert flows.add_working_days(friday, 1) == datetime.date(2024, 3, 4)
    assert flows.add_working_days(friday, 5) == datetime.date(2024, 3, 8)


def test_it_reads_flows_per_rule_then_family_then_default():
    assert [s.role for s in flows.stages_for("EDU-BASE")] == ["bureau_officer", "finance"]
    assert [s.role for s in flows.stages_for("EDU-INTL-CLASS")] == ["bureau_officer"]
    assert [s.role for s in flows.stages_for("PLT-STANDARD")] == ["town_officer", "bureau_officer"]


def test_it_submits_a_draft_into_the_first_review_stage_with_a_timeline(enterprise_user):
    app = submitted(enterprise_user)
    assert app.state == S.IN_REVIEW and app.stage_index == 0
    assert app.stage_due is not None
    assert app.outcome["basis"] == "cap"
    assert [e.action for e in app.events.all()] == ["create", "submit"]
    assert AuditEvent.objects.filter(action="grants.application.submit", target_id=str(app.pk)).exists()


def test_it_refuses_to_submit_an_ineligible_application(enterprise_user):
    app = services.application_create(
        actor=enterprise_user, rule_id="CMP-HOST", event_date=EVENT, facts={"eligible": False}
    )
    with pytest.raises(DomainError) as err:
        services.application_submit(application=app, actor=enterprise_user)
    assert err.value.code == "not_eligible"
    app.refresh_from_db()
    assert app.state == S.DRAFT


def test_it_refuses_an_application_from_an_officer(changan_officer):
    with pytest.raises(PermissionDenied):
        services.application_create(actor=changan_officer, rule_id="CMP-HOST", event_date=EVENT, facts={})


def test_it_refuses_to_submit_twice(enterprise_user):
    app = submitted(enterprise_user)
    with pytest.raises(DomainError) as err:
        services.application_submit(application=app, actor=enterprise_user)
    assert err.value.code == "illegal_transition" and "审核中" in err.value.message


def test_it_lets_a_worker_apply_for_themselves(worker_user, changan):
    app = submitted(worker_user, rule="TAL-CARD-FLOOR")
    assert app.worker_id == worker_user.worker_id and app.town == changan


def test_it_refuses_a_town_officer_of_another_town(enterprise_user, humen_officer):
    app = submitted(enterprise_user)
    with pytest.raises(PermissionDenied):
        services.application_review_pass(application=app, actor=humen_officer)


def test_it_refuses_a_bureau_officer_at_the_town_stage(enterprise_user, bureau_officer):
    app = submitted(enterprise_user)
    with pytest.raises(PermissionDenied):
        services.application_review_pass(application=app, actor=bureau_officer)


def test_it_moves_through_stages_to_reviewed(enterprise_user, changan_officer, bureau_officer):
    app = submitted(enterprise_user)
    app = services.application_review_pass(application=app, actor=changan_officer)
    assert app.state == S.IN_REVIEW and app.stage_index == 1
    app = services.application_review_pass(application=app, actor=bureau_officer, amount=Decimal("80000"))
    assert app.state == S.REVIEWED and app.decided_amount == Decimal("80000.00")


def test_it_returns_for_revision_and_accepts_a_resubmission(enterprise_user, changan_officer):
    app = submitted(enterprise_user)
    app = services.application_return(application=app, actor=changan_officer, reason="缺少比赛通知文件")
    assert app.state == S.RETURNED
    services.application_update(
        application=app, actor=enterprise_user, facts={"competition_level": "city_class1"}
    )
    app = services.application_submit(application=app, actor=enterprise_user)
    assert app.state == S.IN_REVIEW
    assert [e.action for e in app.events.all()][-3:] == ["submit", "return", "resubmit"]
    assert app.events.get(action="return").reason == "缺少比赛通知文件"


def test_it_requires_a_reason_to_return_or_reject(enterprise_user, changan_officer):
    app = submitted(enterprise_user)
    with pytest.raises(DomainError) as err:
        services.application_return(application=app, actor=changan_officer, reason=" ")
    assert "reason" in err.value.fields
    with pytest.raises(DomainError):
        services.application_reject(application=app, actor=changan_officer, reason="")


def test_it_rejects_with_reasons_and_then_refuses_further_review(enterprise_user, changan_officer):
    app = submitted(enterprise_user)
    app = services.application_reject(application=app, actor=changan_officer, reason="非本市赛事")
    assert app.state == S.REJECTED
    with pytest.raises(DomainError) as err:
        services.application_review_pass(application=app, actor=changan_officer)
    assert err.value.code == "illegal_transition"


def test_it_lets_the_applicant_withdraw_before_decision_only(
    enterprise_user, changan_officer, bureau_officer
):
    app = submitted(enterprise_user)
    assert services.application_withdraw(application=app, actor=enterprise_user).state == S.WITHDRAWN
    other = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    with pytest.raises(DomainError):
        services.application_withdraw(application=other, actor=enterprise_user)


@pytest.mark.parametrize(
    "rule, amount, reason, ok",
    [
        ("CMP-HOST", "100000", "", True),
        ("CMP-HOST", "100000.01", "", False),
        ("PLT-STANDARD", "49999.99", "", False),
        ("PLT-STANDARD", "50000", "", True),
        ("PLT-STANDARD", "200000.01", "", False),
        ("TAL-CARD-FLOOR", "2999", "", False),
        ("TAL-CARD-FLOOR", "5000", "", True),
        ("CMP-MATCH", "6000", "", True),
        ("CMP-MATCH", "5999", "", False),
        ("PLT-CASE", "12345", "", False),
        ("PLT-CASE", "12345", "专家评审意见", True),
    ],
)
def test_it_keeps_decided_amounts_within_the_engine_bounds(
    rule, amount, reason, ok, enterprise_user, changan_officer, bureau_officer
):
    app = submitted(enterprise_user, rule=rule)
    app = services.application_review_pass(application=app, actor=changan_officer)
    if ok:
        app = services.application_review_pass(
            application=app, actor=bureau_officer, amount=Decimal(amount), reason=reason
        )
        assert app.decided_amount == Decimal(amount)
    else:
        with pytest.raises(DomainError) as err:
            services.application_review_pass(
                application=app, actor=bureau_officer, amount=Decimal(amount), reason=reason
            )
        assert err.value.code in ("amount_out_of_bounds", "reason_required")
        app.refresh_from_db()
        assert app.stage_index == 1


def test_it_names_the_bound_in_the_refusal(enterprise_user, changan_officer, bureau_officer):
    app = submitted(enterprise_user, rule="PLT-STANDARD")
    app = services.application_review_pass(application=app, actor=changan_officer)
    with pytest.raises(DomainError) as err:
        services.application_review_pass(application=app, actor=bureau_officer, amount=Decimal("1"))
    assert "50000.00" in str(err.value.message) and "200000.00" in str(err.value.message)


def test_it_refuses_approval_while_the_notice_runs(enterprise_user, changan_officer, bureau_officer):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    assert app.notice.end == datetime.date(2024, 4, 8)
    with pytest.raises(DomainError) as err:
        services.application_approve(application=app, actor=bureau_officer, today=datetime.date(2024, 4, 8))
    assert err.value.code == "notice_running"


def test_it_refuses_approval_with_an_unresolved_objection(
    enterprise_user, changan_officer, bureau_officer, monkeypatch
):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    monkeypatch.setattr(services.common, "_today", lambda: datetime.date(2024, 4, 2))
    objection = services.objection_lodge(
        notice=app.notice, actor=None, text="该赛事未举办", contact="13800000000"
    )
    with pytest.raises(DomainError) as err:
        services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    assert err.value.code == "objection_unresolved"
    services.objection_resolve(
        objection=objection, actor=bureau_officer, resolution="经核实赛事已举办", upheld=False
    )
    app = services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    assert app.state == S.APPROVED and app.decided_amount == Decimal("100000.00")


def test_it_rejects_when_an_objection_is_upheld(
    enterprise_user, changan_officer, bureau_officer, monkeypatch
):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    monkeypatch.setattr(services.common, "_today", lambda: datetime.date(2024, 4, 2))
    objection = services.objection_lodge(notice=app.notice, actor=enterprise_user, text="重复申报")
    services.objection_resolve(objection=objection, actor=bureau_officer, resolution="属实", upheld=True)
    app.refresh_from_db()
    assert app.state == S.REJECTED
    with pytest.raises(DomainError):
        services.objection_resolve(objection=objection, actor=bureau_officer, resolution="再次", upheld=False)


def test_it_refuses_an_anonymous_objection_without_contact_and_after_the_notice(
    enterprise_user, changan_officer, bureau_officer, monkeypatch
):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    monkeypatch.setattr(services.common, "_today", lambda: datetime.date(2024, 4, 2))
    with pytest.raises(DomainError) as err:
        services.objection_lodge(notice=app.notice, actor=None, text="有问题")
    assert err.value.code == "contact_required"
    monkeypatch.setattr(services.common, "_today", lambda: AFTER_NOTICE)
    with pytest.raises(DomainError) as err:
        services.objection_lodge(notice=app.notice, actor=None, text="有问题", contact="x")
    assert err.value.code == "notice_closed"


def test_it_refuses_a_notice_before_review_is_complete(enterprise_user, bureau_officer):
    app = submitted(enterprise_user)
    with pytest.raises(DomainError) as err:
        services.notice_start(application=app, actor=bureau_officer)
    assert err.value.code == "illegal_transition"


def test_it_refuses_approval_past_the_remaining_budget(
    own_funds, enterprise_user, changan_officer, bureau_officer
):
    Fund.objects.create(programme="CMP-HOST", year=2024, name="竞赛承办", total=Decimal("150000"))
    first = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    services.application_approve(application=first, actor=bureau_officer, today=AFTER_NOTICE)
    second = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    with pytest.raises(DomainError) as err:
        services.application_approve(application=second, actor=bureau_officer, today=AFTER_NOTICE)
    assert err.value.code == "budget_exceeded" and "50000.00" in str(err.value.message)
    second = services.application_approve(
        application=second, actor=bureau_officer, amount=Decimal("50000"), today=AFTER_NOTICE
    )
    fund = Fund.objects.get()
    assert fund.balances() == {
        "total": Decimal("150000.00"),
        "committed": Decimal("150000.00"),
        "spent": Decimal("0"),
        "recovered": Decimal("0"),  # money recovered (追回, issue 20) comes back to the fund
        "remaining": Decimal("0.00"),
    }


def test_it_pays_once_moves_commitment_to_spend_and_replays_the_key(
    own_funds, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    fund = Fund.objects.create(programme="CMP-HOST", year=2024, name="竞赛承办", total=Decimal("500000"))
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    app = services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    payment = services.payment_make(application=app, actor=finance_officer, idempotency_key="k-1")
    assert services.payment_make(application=app, actor=finance_officer, idempotency_key="k-1") == payment
    with pytest.raises(DomainError) as err:
        services.payment_make(application=app, actor=finance_officer, idempotency_key="k-2")
    assert err.value.code == "already_paid"
    assert Payment.objects.count() == 1
    app.refresh_from_db()
    assert app.state == S.PAID
    assert fund.balances()["spent"] == Decimal("100000.00") and fund.balances()["committed"] == 0
    assert FundEntry.objects.filter(kind="spend").count() == 1


def test_it_refuses_payment_by_a_non_finance_officer_and_before_approval(
    enterprise_user, bureau_officer, finance_officer
):
    app = submitted(enterprise_user)
    with pytest.raises(PermissionDenied):
        services.payment_make(application=app, actor=bureau_officer, idempotency_key="k")
    with pytest.raises(DomainError) as err:
        services.payment_make(application=app, actor=finance_officer, idempotency_key="k")
    assert err.value.code == "illegal_transition"
    with pytest.raises(DomainError) as err:
        services.payment_make(application=app, actor=finance_officer, idempotency_key="")
    assert err.value.code == "idempotency_key_required"


def test_it_refuses_a_key_reused_for_another_application(
    enterprise_user, changan_officer, bureau_officer, finance_officer
):
    a = services.application_approve(
        application=to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer),
        actor=bureau_officer,
        today=AFTER_NOTICE,
    )
    b = services.application_approve(
        application=to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer),
        actor=bureau_officer,
        today=AFTER_NOTICE,
    )
    services.payment_make(application=a, actor=finance_officer, idempotency_key="same")
    with pytest.raises(DomainError) as err:
        services.payment_make(application=b, actor=finance_officer, idempotency_key="same")
    assert err.value.code == "idempotency_key_reused"


def test_it_routes_edu_base_through_the_finance_stage(enterprise_user, bureau_officer, finance_officer):
    app = submitted(enterprise_user, rule="EDU-BASE")
    app = services.application_review_pass(application=app, actor=bureau_officer)
    with pytest.raises(PermissionDenied):
        services.application_review_pass(application=app, actor=bureau_officer)
    app = services.application_review_pass(application=app, actor=finance_officer)
    assert app.state == S.REVIEWED


def test_it_releases_the_commitment_when_an_approval_is_cancelled(
    own_funds, enterprise_user, changan_officer, bureau_officer
):
    fund = Fund.objects.create(programme="CMP-HOST", year=2024, name="竞赛承办", total=Decimal("500000"))
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    app = services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    services.application_cancel_approval(application=app, actor=bureau_officer, reason="单位注销")
    assert fund.balances()["remaining"] == Decimal("500000.00")


def test_facts_from_a_provider_override_what_the_applicant_typed(enterprise_user, monkeypatch):
    monkeypatch.setattr(
        flows,
        "FACT_PROVIDERS",
        {"CMP-HOST": [lambda a, d: {"competition_level": ("city_class1", "竞赛记录")}]},
    )
    app = services.application_create(
        actor=enterprise_user, rule_id="CMP-HOST", event_date=EVENT, facts={"competition_level": "national"}
    )
    assert app.facts["competition_level"] == "city_class1"
    assert app.fact_sources == {"competition_level": "竞赛记录"}


def test_the_edu_base_special_fund_is_the_budget_every_years_approval_draws_on(own_funds, bureau_officer):
    """D003 §二(一): 25,000,000 for the bases, whatever the year; D002 第4条: 1,000,000 per base."""
    from skillcity.core.errors import Conflict
    from skillcity.grants.models import Application
    from skillcity.grants.services import fund_for, fund_from_policy

    bureau = bureau_officer
    fund = fund_from_policy(actor=bureau, programme="EDU-BASE", parameter="EDU-BASE.fund", name="专项资金")
    assert fund is not None and (fund.year, fund.last_year, fund.total) == (2022, 2025, Decimal("25000000"))
    assert fund_from_policy(actor=bureau, programme="EDU-BASE", parameter="EDU-BASE.fund", name="x") is None
    for year in (2022, 2023, 2025):
        app = Application(rule_id="EDU-BASE", event_date=datetime.date(year, 6, 1))
        assert fund_for(app) == fund
    assert fund_for(Application(rule_id="EDU-BASE", event_date=datetime.date(2026, 1, 1))) is None
    with pytest.raises(Conflict):  # a second budget for a year the fund already covers
        services.fund_create(actor=bureau, programme="EDU-BASE", year=2024, name="y", total=Decimal("1"))
