"""School–enterprise bases: the application with partners, review, recognition making EDU-BASE from
the record, the special fund's refusal naming the remaining amount, T-BASES progress."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.audit import AuditEvent
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.grants import outcomes
from skillcity.grants import services as grants
from skillcity.grants.flows import source_label
from skillcity.grants.models import ApplicationState
from skillcity.platforms.models import BaseState
from skillcity.platforms.selectors import bases as selectors
from skillcity.platforms.services import bases as services
from tests.factories import OrganisationFactory
from tests.platforms.bases_helpers import DAY, approved_base, edu_fund, school, school_user, to_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def the_school(changan):
    return school(changan)


def test_a_school_files_for_itself_with_its_partners(the_school, changan_enterprise):
    user = school_user(the_school)
    base = services.base_apply(
        actor=user,
        school=the_school,
        name="新能源汽车校企合作基地",
        field="新能源汽车维修",
        plan="共建产线",
        partners=[(changan_enterprise, "提供实训岗位")],
        day=DAY,
    )
    assert base.state == BaseState.SUBMITTED and base.year == 2024
    assert [p.enterprise for p in base.partners.all()] == [changan_enterprise]
    assert AuditEvent.objects.filter(action="platforms.base.apply", target_id=str(base.pk)).exists()


def test_a_school_may_not_file_for_another(the_school, changan, changan_enterprise):
    other = school(changan, "另一所学校")
    with pytest.raises(PermissionDenied):
        services.base_apply(
            actor=school_user(the_school),
            school=other,
            name="x",
            field="x",
            plan="x",
            partners=[(changan_enterprise, "")],
        )


@pytest.mark.parametrize("case", ["no_partner", "not_enterprise", "twice", "itself", "not_school"])
def test_bad_applications_are_refused_on_their_field(
    case, the_school, changan, changan_enterprise, bureau_officer
):
    applicant = the_school
    partners = [(changan_enterprise, "")]
    field = "partners"
    if case == "no_partner":
        partners = []
    elif case == "not_enterprise":
        partners = [(school(changan, "职业学院"), "")]
    elif case == "twice":
        partners = [(changan_enterprise, ""), (changan_enterprise, "")]
    elif case == "itself":
        partners = [(the_school, "")]
    else:
        applicant, field = changan_enterprise, "school"
        partners = [(OrganisationFactory(town=changan), "")]
    with pytest.raises(DomainError) as refused:
        services.base_apply(
            actor=bureau_officer, school=applicant, name="n", field="f", plan="p", partners=partners
        )
    assert field in refused.value.fields


def test_review_passes_or_refuses_with_a_reason(the_school, changan_enterprise, bureau_officer):
    base = services.base_apply(
        actor=bureau_officer,
        school=the_school,
        name="n",
        field="f",
        plan="p",
        partners=[(changan_enterprise, "")],
    )
    with pytest.raises(DomainError) as refused:
        services.base_review(actor=bureau_officer, base=base, passed=False)
    assert refused.value.fields == {"note": "请写明原因"}
    with pytest.raises(PermissionDenied):
        services.base_review(actor=school_user(the_school), base=base, passed=True)
    base = services.base_review(actor=bureau_officer, base=base, passed=False, note="合作企业规模不足")
    assert base.state == BaseState.REJECTED
    with pytest.raises(DomainError) as again:
        services.base_review(actor=bureau_officer, base=base, passed=True)
    assert again.value.code == "bad_state"
    with pytest.raises(DomainError):
        services.base_recognise(actor=bureau_officer, base=base, day=DAY)


def test_recognition_makes_edu_base_from_the_record_with_the_engines_facts(
    the_school, changan_enterprise, bureau_officer
):
    edu_fund(bureau_officer)
    base = approved_base(bureau_officer, the_school, changan_enterprise)
    grant = services.base_recognise(actor=bureau_officer, base=base, day=DAY)
    base.refresh_from_db()
    assert base.state == BaseState.RECOGNISED and base.number == "XQ-2024-001"
    assert grant.rule_id == "EDU-BASE" and grant.organisation == the_school
    assert grant.state == ApplicationState.IN_REVIEW and grant.source_key == services.source_key(base)
    assert grant.facts == {"recognised": True}
    assert grant.outcome == outcomes.evaluate("EDU-BASE", DAY, {"recognised": True})
    assert Decimal(grant.outcome["amount"]) == Decimal("1000000")
    assert "XQ-2024-001" in grant.fact_sources["recognised"]
    assert source_label(grant.source_key).startswith("市级高水平校企合作基地 智能制造校企合作基地")
    assert services.grant_of(base) == grant


def test_recognition_past_the_remaining_fund_is_refused_naming_the_remaining_amount(
    the_school, changan_enterprise, bureau_officer
):
    edu_fund(bureau_officer, total="1500000")
    first = approved_base(bureau_officer, the_school, changan_enterprise, "基地一")
    second = approved_base(bureau_officer, the_school, changan_enterprise, "基地二")
    services.base_recognise(actor=bureau_officer, base=first, day=DAY)
    with pytest.raises(DomainError) as refused:
        services.base_recognise(actor=bureau_officer, base=second, day=DAY)
    assert refused.value.code == "fund_exhausted"
    assert "剩余 1,500,000.00 元" in refused.value.message
    assert "1,000,000.00 元已由待核准的申请占用" in refused.value.message
    second.refresh_from_db()
    assert second.state == BaseState.APPROVED and services.grant_of(second) is None
    status = services.fund_status(2024)
    assert status is not None and status["available"] == Decimal("500000")


def test_an_approval_past_the_remaining_fund_is_refused_by_grants(
    the_school, changan_enterprise, bureau_officer
):
    """The fund's own ledger check at the approval: a base recognised while the fund could carry it,
    whose approval comes after the fund was spent elsewhere, is refused with the remaining amount."""
    fund = edu_fund(bureau_officer, total="1000000")
    base = approved_base(bureau_officer, the_school, changan_enterprise)
    grant = services.base_recognise(actor=bureau_officer, base=base, day=DAY)
    fund.total = Decimal("600000")  # the budget cut after the recognition
    fund.save(update_fields=["total"])
    grant = to_notice(grant, bureau_officer)
    with pytest.raises(DomainError) as refused:
        grants.application_approve(
            application=grant, actor=bureau_officer, today=grant.notice.end + datetime.timedelta(days=1)
        )
    assert refused.value.code == "budget_exceeded" and "600000" in refused.value.message


def test_no_fund_says_which_to_create(the_school, changan_enterprise, bureau_officer):
    base = approved_base(bureau_officer, the_school, changan_enterprise)
    with pytest.raises(DomainError) as refused:
        services.base_recognise(actor=bureau_officer, base=base, day=DAY)
    assert refused.value.code == "fund_missing"


def test_progress_counts_recognised_bases_against_fifty(the_school, changan_enterprise, bureau_officer):
    edu_fund(bureau_officer)
    base = approved_base(bureau_officer, the_school, changan_enterprise)
    services.base_recognise(actor=bureau_officer, base=base, day=DAY)
    approved_base(bureau_officer, the_school, changan_enterprise, "第二个")
    p = selectors.progress()
    assert (p["target"], p["recognised"], p["approved"], p["percent"]) == (50, 1, 1, 2)
    assert [(r.year, r.applications, r.approved, r.recognised) for r in p["rows"]] == [(2024, 2, 2, 1)]


def test_after_the_rules_years_the_bureau_sees_the_special_fund_not_a_later_budget(
    bureau_officer, monkeypatch
):
    special = edu_fund(bureau_officer)
    grants.fund_create(
        actor=bureau_officer, programme="EDU-BASE", year=2026, name="年度预算", total=Decimal("3000000")
    )
    monkeypatch.setattr(services, "today", lambda: datetime.date(2026, 12, 7))
    status = services.fund_status()
    assert status is not None and status["fund"] == special and status["total"] == Decimal("25000000")
