"""Public training sub-bases: recognition, reports evaluated with PLT-SUBBASE, the yearly course-purchase
quota, courses run as training classes, acceptance and TRN-SUBBASE-COURSE from the roster."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.grants import outcomes
from skillcity.platforms.models import AllocationState, SubbaseState
from skillcity.platforms.services import subbases as services
from skillcity.training.services.projects import class_create, project_create
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory
from tests.platforms.subbases_helpers import (
    ACCEPTED_ON,
    END,
    START,
    YEAR,
    recognised_subbase,
    roster,
    running_course,
)

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="platforms.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_an_organisation_applies_once_and_the_bureau_recognises_it(bureau_officer, enterprise_user):
    subbase = services.subbase_apply(actor=enterprise_user, name="分基地甲", direction="数控")
    assert subbase.state == SubbaseState.APPLIED and subbase.organisation == enterprise_user.organisation
    with pytest.raises(DomainError) as twice:
        services.subbase_apply(actor=enterprise_user, name="分基地乙", direction="数控")
    assert twice.value.code == "subbase_exists"
    with pytest.raises(PermissionDenied):
        services.subbase_recognise(actor=enterprise_user, subbase=subbase)
    services.subbase_recognise(actor=bureau_officer, subbase=subbase, recognised_on=datetime.date(2024, 1, 5))
    subbase.refresh_from_db()
    assert subbase.state == SubbaseState.RECOGNISED and subbase.recognised_on == datetime.date(2024, 1, 5)
    with pytest.raises(DomainError) as again:
        services.subbase_recognise(actor=bureau_officer, subbase=subbase)
    assert again.value.code == "bad_state"
    assert _actions() == ["platforms.subbase.apply", "platforms.subbase.recognise"]


def test_rejecting_and_revoking_need_a_reason(bureau_officer, enterprise_user, changan):
    subbase = services.subbase_apply(actor=enterprise_user, name="分基地甲", direction="数控")
    with pytest.raises(DomainError) as no_reason:
        services.subbase_reject(actor=bureau_officer, subbase=subbase, note=" ")
    assert "note" in no_reason.value.fields
    services.subbase_reject(actor=bureau_officer, subbase=subbase, note="场地不足")
    # Rejected, the organisation may apply again.
    second = recognised_subbase(bureau_officer, enterprise_user)
    with pytest.raises(DomainError):
        services.subbase_revoke(actor=bureau_officer, subbase=second, note="")
    revoked = services.subbase_revoke(actor=bureau_officer, subbase=second, note="连续两年考核不合格")
    assert revoked.state == SubbaseState.REVOKED and revoked.decision_note == "连续两年考核不合格"


def test_a_report_counts_its_course_lines_and_plt_subbase_evaluates_it(bureau_officer, enterprise_user):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    report = services.report_submit(
        actor=enterprise_user,
        subbase=subbase,
        year=2024,
        person_times=12000,
        new_courses="甲\n乙\n\n丙\n丁\n戊\n",
    )
    assert report.new_course_count == 5 and report.course_names == ["甲", "乙", "丙", "丁", "戊"]
    with pytest.raises(DomainError) as twice:
        services.report_submit(
            actor=enterprise_user, subbase=subbase, year=2024, person_times=1, new_courses=""
        )
    assert twice.value.code == "report_exists"
    with pytest.raises(PermissionDenied):
        services.report_evaluate(actor=enterprise_user, report=report)
    report = services.report_evaluate(actor=bureau_officer, report=report)
    facts, _sources = services.report_facts(report)
    assert facts == {"recognised": True, "new_courses_this_year": 5}
    assert report.passed is True
    assert (
        report.outcome["eligible"]
        == outcomes.evaluate("PLT-SUBBASE", datetime.date(2024, 12, 31), facts)["eligible"]
    )
    short = services.report_submit(
        actor=enterprise_user, subbase=subbase, year=2025, person_times=9000, new_courses="甲\n乙"
    )
    assert services.report_evaluate(actor=bureau_officer, report=short).passed is False
    with pytest.raises(DomainError) as evaluated:
        services.report_evaluate(actor=bureau_officer, report=short)
    assert evaluated.value.code == "already_evaluated"


def test_a_report_before_the_recognition_year_or_by_another_unit_is_refused(
    bureau_officer, enterprise_user, changan
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    with pytest.raises(DomainError) as early:
        services.report_submit(
            actor=enterprise_user, subbase=subbase, year=2023, person_times=1, new_courses="甲"
        )
    assert early.value.code == "not_recognised"
    other = UserFactory(role="organisation_user", organisation=OrganisationFactory(town=changan))
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=other, subbase=subbase, year=2024, person_times=1, new_courses="甲")


def test_allocations_past_the_years_quota_are_refused_naming_the_remaining_places(
    bureau_officer, enterprise_user
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    with pytest.raises(DomainError) as no_quota:
        services.allocation_create(
            actor=bureau_officer, subbase=subbase, year=YEAR, places=10, course_name="c", category="A"
        )
    assert no_quota.value.code == "no_quota"
    services.quota_set(actor=bureau_officer, year=YEAR, places=3000)
    services.allocation_create(
        actor=bureau_officer, subbase=subbase, year=YEAR, places=2000, course_name="c1", category="A"
    )
    second = services.allocation_create(
        actor=bureau_officer, subbase=subbase, year=YEAR, places=950, course_name="c2", category="B"
    )
    with pytest.raises(DomainError) as refused:
        services.allocation_create(
            actor=bureau_officer, subbase=subbase, year=YEAR, places=51, course_name="c3", category="A"
        )
    assert refused.value.code == "quota_exceeded"
    assert "剩余50个" in str(refused.value.message) and "places" in refused.value.fields
    services.allocation_create(
        actor=bureau_officer, subbase=subbase, year=YEAR, places=50, course_name="c3", category="A"
    )
    # A cancelled course gives its places back; the quota cannot fall below what is allocated.
    services.allocation_cancel(actor=bureau_officer, allocation=second, reason="分基地无法开班")
    with pytest.raises(DomainError) as below:
        services.quota_set(actor=bureau_officer, year=YEAR, places=2049)
    assert below.value.code == "below_allocated"
    services.allocation_create(
        actor=bureau_officer, subbase=subbase, year=YEAR, places=950, course_name="c4", category="A"
    )


def test_only_a_recognised_sub_base_gets_places(bureau_officer, enterprise_user):
    subbase = services.subbase_apply(actor=enterprise_user, name="分基地甲", direction="数控")
    services.quota_set(actor=bureau_officer, year=YEAR, places=3000)
    with pytest.raises(DomainError) as refused:
        services.allocation_create(
            actor=bureau_officer, subbase=subbase, year=YEAR, places=10, course_name="c", category="A"
        )
    assert refused.value.code == "not_recognised"


def test_a_course_runs_as_the_sub_bases_own_class_without_project_subsidy(
    bureau_officer, enterprise_user, changan
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    services.quota_set(actor=bureau_officer, year=YEAR, places=3000)
    allocation = services.allocation_create(
        actor=bureau_officer, subbase=subbase, year=YEAR, places=20, course_name="c", category="A"
    )
    occupation = OccupationFactory()
    other_org = OrganisationFactory(town=changan)
    foreign = project_create(
        provider=other_org,
        name="p",
        occupation=occupation,
        level=None,
        per_person_standard=Decimal("0"),
        capacity=10,
        start_date=START,
        end_date=END,
        actor=bureau_officer,
    )
    foreign_class = class_create(
        project=foreign, name="c", start_date=START, end_date=END, actor=bureau_officer
    )
    with pytest.raises(DomainError) as not_own:
        services.allocation_class_link(
            actor=enterprise_user, allocation=allocation, training_class=foreign_class
        )
    assert not_own.value.code == "not_own_class"
    paid = project_create(
        provider=subbase.organisation,
        name="p",
        occupation=occupation,
        level=None,
        per_person_standard=Decimal("3000"),
        capacity=10,
        start_date=START,
        end_date=END,
        actor=bureau_officer,
    )
    paid_class = class_create(project=paid, name="c", start_date=START, end_date=END, actor=bureau_officer)
    with pytest.raises(DomainError) as twice_paid:
        services.allocation_class_link(
            actor=enterprise_user, allocation=allocation, training_class=paid_class
        )
    assert twice_paid.value.code == "paid_by_project"
    opened = services.allocation_class_open(
        actor=enterprise_user, allocation=allocation, occupation=occupation, start_date=START, end_date=END
    )
    assert opened.state == AllocationState.RUNNING
    assert opened.training_class.project.provider == subbase.organisation
    assert (
        opened.training_class.project.capacity == 20
        and opened.training_class.project.per_person_standard == 0
    )


def test_acceptance_waits_for_the_class_to_end_and_a_failure_states_its_reason(
    bureau_officer, enterprise_user
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    allocation = running_course(bureau_officer, enterprise_user, subbase)
    with pytest.raises(DomainError) as early:
        services.allocation_accept(
            actor=bureau_officer, allocation=allocation, passed=True, accepted_on=datetime.date(2025, 4, 1)
        )
    assert early.value.code == "class_not_ended"
    with pytest.raises(PermissionDenied):
        services.allocation_accept(
            actor=enterprise_user, allocation=allocation, passed=True, accepted_on=ACCEPTED_ON
        )
    with pytest.raises(DomainError) as no_reason:
        services.allocation_accept(
            actor=bureau_officer, allocation=allocation, passed=False, accepted_on=ACCEPTED_ON
        )
    assert "note" in no_reason.value.fields
    failed = services.allocation_accept(
        actor=bureau_officer, allocation=allocation, passed=False, note="课时不足", accepted_on=ACCEPTED_ON
    )
    assert failed.state == AllocationState.FAILED
    with pytest.raises(DomainError) as no_grant:
        services.allocation_grant_apply(actor=enterprise_user, allocation=failed)
    assert no_grant.value.code == "bad_state"


def test_the_grant_counts_trainees_from_the_roster_as_the_engine_receives_them(
    bureau_officer, enterprise_user
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    allocation = running_course(bureau_officer, enterprise_user, subbase, places=30, category="B")
    roster(allocation, enterprise_user, completed=12, failed=2, enrolled=1)
    allocation = services.allocation_accept(
        actor=bureau_officer, allocation=allocation, passed=True, accepted_on=ACCEPTED_ON
    )
    facts, sources = services.course_facts(allocation)
    assert facts == {"course_category": "B", "accepted": True, "trainees": 12}
    app = services.allocation_grant_apply(actor=enterprise_user, allocation=allocation)
    assert app.facts == facts and app.fact_sources == sources
    assert app.rule_id == "TRN-SUBBASE-COURSE" and app.organisation == subbase.organisation
    assert Decimal(app.outcome["amount"]) == Decimal("24000")  # 12 trainees × 2,000
    assert app.event_date == ACCEPTED_ON
    with pytest.raises(DomainError) as twice:
        services.allocation_grant_apply(actor=bureau_officer, allocation=allocation)
    assert twice.value.code == "source_already_claimed"
    assert "五轴数控加工" in services.describe_source(app.source_key)


def test_trainees_never_exceed_the_places_bought(bureau_officer, enterprise_user):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    allocation = running_course(bureau_officer, enterprise_user, subbase, places=3, category="A")
    roster(allocation, enterprise_user, completed=3)
    allocation.refresh_from_db()
    assert services.trainees_from_roster(allocation)[0] == 3
    allocation = services.allocation_accept(
        actor=bureau_officer, allocation=allocation, passed=True, accepted_on=ACCEPTED_ON
    )
    app = services.allocation_grant_apply(actor=bureau_officer, allocation=allocation)
    assert Decimal(app.outcome["amount"]) == Decimal("4500")
