"""Half-year reports: which periods, Annex 3 figures, submission with Annex 2 frozen, the year-end
summary, the bureau's accept / return, due dates and the late / missing flags."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from skillcity.alliances import schedule, services
from skillcity.alliances.models import AllianceStatus, HalfYearReport, ReportStatus
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.periods import HalfYear

H1_2024 = HalfYear(2024, 1)
TODAY = datetime.date(2026, 11, 23)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _submit(report, actor, **extra):
    values = {
        "contact_person": "王联络",
        "contact_phone": "0769-85550000",
        "year_end_summary": "全年培训工作总结" if report.half == 2 else "",
    }
    values.update(extra)
    return services.report_submit(report=report, actor=actor, **values)


def test_reports_run_from_the_half_year_of_acceptance(make_alliance, initiator_user):
    alliance = make_alliance(accepted_on=datetime.date(2024, 3, 15))
    periods = schedule.reportable_periods(alliance, TODAY)
    assert periods[0] == HalfYear(2024, 1) and periods[-1] == HalfYear(2026, 2)
    with pytest.raises(DomainError) as error:
        services.report_create(alliance=alliance, period=HalfYear(2023, 2), actor=initiator_user, on=TODAY)
    assert error.value.code == "invalid_period"
    with pytest.raises(DomainError):
        services.report_create(alliance=alliance, period=HalfYear(2027, 1), actor=initiator_user, on=TODAY)


def test_a_report_needs_an_accepted_filing(make_alliance, initiator_user):
    alliance = make_alliance(until="filed")
    with pytest.raises(Conflict):
        services.report_create(alliance=alliance, period=H1_2024, actor=initiator_user, on=TODAY)


def test_a_half_year_has_one_report(make_alliance, initiator_user):
    alliance = make_alliance()
    services.report_create(alliance=alliance, period=H1_2024, actor=initiator_user, on=TODAY)
    with pytest.raises(Conflict) as error:
        services.report_create(alliance=alliance, period=H1_2024, actor=initiator_user, on=TODAY)
    assert error.value.code == "report_exists"


def test_a_report_has_a_line_per_member_of_its_half_year(
    make_alliance, initiator_user, other_industry_enterprise
):
    alliance = make_alliance()
    # Joined in 2025H1: not in 2024H1's report, counted as joined in 2025H1's.
    services.member_add(
        alliance=alliance,
        organisation=other_industry_enterprise,
        actor=initiator_user,
        joined_on=datetime.date(2025, 3, 1),
    )
    early = services.report_create(alliance=alliance, period=H1_2024, actor=initiator_user, on=TODAY)
    later = services.report_create(
        alliance=alliance, period=HalfYear(2025, 1), actor=initiator_user, on=TODAY
    )
    assert other_industry_enterprise.pk not in set(early.lines.values_list("organisation_id", flat=True))
    joined = dict(later.lines.values_list("organisation_id", "members_joined"))
    assert joined[other_industry_enterprise.pk] == 1
    assert sum(joined.values()) == 1
    assert early.lines.count() == 4


def test_annex3_figures_are_validated_all_or_nothing(
    make_alliance, initiator_user, lead_enterprise, enterprise
):
    alliance = make_alliance()
    report = services.report_create(alliance=alliance, period=H1_2024, actor=initiator_user, on=TODAY)
    with pytest.raises(DomainError) as error:
        services.report_lines_update(
            report=report,
            actor=initiator_user,
            lines={
                lead_enterprise.pk: {"trained": 100, "trained_level3": 40},
                enterprise.pk: {"trained": 10, "trained_level3": 8, "trained_level4": 8},
                999999: {"trained": 1},
            },
        )
    assert (
        error.value.fields[f"lines.{enterprise.pk}.trained"]
        == "各等级培训人数之和（16）不能超过当期培训人数（10）"
    )
    assert error.value.fields["lines.999999"] == "不是本期成员单位"
    assert sum(report.lines.values_list("trained", flat=True)) == 0  # nothing written
    with pytest.raises(DomainError) as error:
        services.report_lines_update(
            report=report, actor=initiator_user, lines={lead_enterprise.pk: {"trained": "-3"}}
        )
    assert error.value.fields[f"lines.{lead_enterprise.pk}.trained"] == "应为不小于0的整数"
    services.report_lines_update(
        report=report,
        actor=initiator_user,
        lines={lead_enterprise.pk: {"trained": 100, "trained_level3": 40}},
    )
    assert report.lines.get(organisation=lead_enterprise).trained_level3 == 40


def test_submission_needs_a_contact_and_h2_needs_the_year_end_summary(make_alliance, initiator_user):
    alliance = make_alliance()
    h2 = services.report_create(alliance=alliance, period=HalfYear(2024, 2), actor=initiator_user, on=TODAY)
    with pytest.raises(DomainError) as error:
        services.report_submit(
            report=h2, actor=initiator_user, contact_person="", contact_phone="123", year_end_summary=""
        )
    assert set(error.value.fields) == {"contact_person", "contact_phone", "year_end_summary"}
    assert error.value.fields["year_end_summary"] == "下半年度报告须附年终工作总结"
    h2.refresh_from_db()
    assert h2.status == ReportStatus.DRAFT
    _submit(h2, initiator_user)
    h2.refresh_from_db()
    assert h2.status == ReportStatus.SUBMITTED and h2.year_end_summary == "全年培训工作总结"


def test_submission_freezes_annex2_and_the_member_list(make_alliance, initiator_user, lead_enterprise):
    alliance = make_alliance()
    report = services.report_create(alliance=alliance, period=H1_2024, actor=initiator_user, on=TODAY)
    _submit(report, initiator_user)
    report.refresh_from_db()
    total_before = report.annex2_snapshot["total"]["total_staff"]
    assert report.member_list_snapshot[0]["name"] == alliance.initiator.name
    # Correcting a member's Annex 1 afterwards does not change the submitted report.
    membership = alliance.memberships.get(organisation=lead_enterprise)
    services.member_annex1_update(membership=membership, data={"total_staff": 900}, actor=initiator_user)
    report.refresh_from_db()
    assert report.annex2_snapshot["total"]["total_staff"] == total_before
    assert report.policy_version == "D000-CONTINUED"


def test_the_bureau_returns_with_reasons_and_a_resubmission_keeps_the_first_date(
    make_alliance, initiator_user, bureau_officer
):
    alliance = make_alliance()
    report = services.report_create(alliance=alliance, period=H1_2024, actor=initiator_user, on=TODAY)
    first = _at(datetime.date(2024, 7, 20))
    _submit(report, initiator_user, at=first)
    with pytest.raises(DomainError):
        services.report_return(report=report, actor=bureau_officer, reason="")
    services.report_return(report=report, actor=bureau_officer, reason="附件3数据有误")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "附件3数据有误"
    _submit(report, initiator_user, at=_at(datetime.date(2024, 9, 30)))
    report.refresh_from_db()
    assert report.first_submitted_at == first and report.status == ReportStatus.SUBMITTED
    [state] = [
        s for s in schedule.period_states(alliance, alliance.reports.all(), TODAY) if s.period == H1_2024
    ]
    assert not state.late  # first submitted before 31 Jul
    services.report_accept(report=report, actor=bureau_officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == bureau_officer
    with pytest.raises(Conflict):
        services.report_lines_update(report=report, lines={}, actor=initiator_user)
    with pytest.raises(Conflict):
        services.report_accept(report=report, actor=bureau_officer)


def test_a_draft_report_cannot_be_accepted_or_returned(make_alliance, initiator_user, bureau_officer):
    report = services.report_create(alliance=make_alliance(), period=H1_2024, actor=initiator_user, on=TODAY)
    with pytest.raises(Conflict):
        services.report_accept(report=report, actor=bureau_officer)
    with pytest.raises(Conflict):
        services.report_return(report=report, actor=bureau_officer, reason="理由")


# --- due dates, late and missing -----------------------------------------------------------------


def test_the_default_due_date_is_the_last_day_of_the_following_month():
    assert schedule.due_date(HalfYear(2024, 1)) == datetime.date(2024, 7, 31)
    assert schedule.due_date(HalfYear(2024, 2)) == datetime.date(2025, 1, 31)


def test_the_due_date_is_configurable(settings):
    settings.ALLIANCE_REPORT_DUE_MONTHS = 2
    assert schedule.due_date(HalfYear(2024, 1)) == datetime.date(2024, 8, 31)
    assert schedule.due_date(HalfYear(2024, 2)) == datetime.date(2025, 2, 28)


def test_late_and_missing_reports_are_flagged(make_alliance, initiator_user):
    alliance = make_alliance(accepted_on=datetime.date(2024, 3, 15))
    on_time = services.report_create(
        alliance=alliance, period=HalfYear(2024, 1), actor=initiator_user, on=TODAY
    )
    _submit(on_time, initiator_user, at=_at(datetime.date(2024, 7, 31)))
    late = services.report_create(alliance=alliance, period=HalfYear(2024, 2), actor=initiator_user, on=TODAY)
    _submit(late, initiator_user, at=_at(datetime.date(2025, 2, 1)))
    services.report_create(
        alliance=alliance, period=HalfYear(2025, 1), actor=initiator_user, on=TODAY
    )  # draft only
    states = {str(s.period): s for s in schedule.period_states(alliance, alliance.reports.all(), TODAY)}
    assert (states["2024H1"].late, states["2024H1"].missing) == (False, False)
    assert (states["2024H2"].late, states["2024H2"].missing) == (True, False)
    assert states["2025H1"].missing and states["2025H2"].missing and states["2026H1"].missing
    assert not states["2026H2"].missing  # due 2027-01-31
    # The day after the due date a report not yet submitted becomes missing, not before.
    assert not schedule.period_states(alliance, [], datetime.date(2024, 7, 31))[-1].missing
    assert schedule.period_states(alliance, [], datetime.date(2024, 8, 1))[-1].missing


def test_a_dissolved_alliance_owes_nothing_after_dissolution(make_alliance, bureau_officer):
    alliance = make_alliance(accepted_on=datetime.date(2024, 3, 15))
    services.alliance_dissolve(
        alliance=alliance, actor=bureau_officer, reason="解散", dissolved_on=datetime.date(2025, 3, 1)
    )
    alliance.refresh_from_db()
    states = schedule.period_states(alliance, [], TODAY)
    assert [str(s.period) for s in states] == ["2025H1", "2024H2", "2024H1"]
    assert [s.missing for s in states] == [False, True, True]
    assert alliance.status == AllianceStatus.DISSOLVED


def test_the_database_keeps_one_report_per_half_year(make_alliance):
    from django.db import IntegrityError, transaction

    alliance = make_alliance()
    HalfYearReport.objects.create(alliance=alliance, year=2024, half=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        HalfYearReport.objects.create(alliance=alliance, year=2024, half=1)


def test_the_bureaus_rows_flag_missing_late_awaiting_and_returned_reports(
    make_alliance, initiator_user, bureau_officer
):
    from skillcity.alliances.selectors import alliance_rows

    alliance = make_alliance(accepted_on=datetime.date(2024, 3, 15))
    late = services.report_create(alliance=alliance, period=HalfYear(2024, 1), actor=initiator_user, on=TODAY)
    _submit(late, initiator_user, at=_at(datetime.date(2024, 8, 5)))
    returned = services.report_create(
        alliance=alliance, period=HalfYear(2024, 2), actor=initiator_user, on=TODAY
    )
    _submit(returned, initiator_user, at=_at(datetime.date(2025, 1, 20)))
    services.report_return(report=returned, actor=bureau_officer, reason="附件3有误")
    [row] = alliance_rows(bureau_officer, on=TODAY)
    # 2025H1, 2025H2 and 2026H1 are past their due dates and were never submitted.
    assert [str(p) for p in row.missing] == ["2026H1", "2025H2", "2025H1"]
    assert [str(p) for p in row.late] == ["2024H1"]
    assert row.awaiting_review == 1 and row.returned == 1
    assert row.flags == ["缺报3期", "逾期报送1期", "报告待审核1份", "报告已退回待重报1份"]
    assert str(row.last_period) == "2024H2"


def test_the_bureaus_rows_take_three_queries_however_many_alliances(
    make_alliance, initiator_user, bureau_officer, django_assert_num_queries
):
    from skillcity.alliances.selectors import alliance_rows

    for _ in range(3):
        alliance = make_alliance(accepted_on=datetime.date(2024, 3, 15))
        report = services.report_create(
            alliance=alliance, period=HalfYear(2024, 1), actor=initiator_user, on=TODAY
        )
        _submit(report, initiator_user, at=_at(datetime.date(2024, 7, 20)))
    with django_assert_num_queries(3):
        rows = alliance_rows(bureau_officer, on=TODAY)
        assert [r.lead_name for r in rows] == ["东莞市长安龙头电子有限公司"] * 3
        assert [str(r.last_period) for r in rows] == ["2024H1"] * 3
