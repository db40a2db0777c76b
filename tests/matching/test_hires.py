"""Hires confirmed by the employment records (issue 19 §4): 已确认 when the ledger shows the worker
insured by that enterprise (its USCC) in the start month or within 3 months after; 未确认 once the
window has closed (and the month the records arrive in), with why; the check run by the daily job."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent
from skillcity.jobs.schedule import PERIODIC_JOBS
from skillcity.matching.models import Hire, JobFair, JobNeed, Match
from skillcity.matching.services import match_respond
from skillcity.matching.services.hires import (
    hire_record_at_fair,
    hire_record_from_match,
    hire_why,
    hires_confirm,
)
from skillcity.matching.services.officers import fair_create, fair_enterprise_add
from tests.employment.helpers import contribute
from tests.factories import OrganisationFactory, make_resident_id
from tests.matching.conftest import holds, post_need, seek

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def accepted(enterprise_user, worker_user, lathe, changan):
    holds(worker_user.worker, lathe, 3)
    seek(worker_user, lathe, changan)
    match = Match.objects.get(need=post_need(enterprise_user, lathe, changan, head_count=1))
    return accepted_on(match_respond(actor=worker_user, match=match, accept=True), datetime.date(2025, 1, 10))


def accepted_on(match: Match, day: datetime.date) -> Match:
    """The worker's answer dated back: a hire starts no earlier than the month they accepted."""
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Match.objects.filter(pk=match.pk).update(responded_at=when)
    match.refresh_from_db()
    return match


def hire(enterprise_user, match, month: str) -> Hire:
    return hire_record_from_match(
        actor=enterprise_user, match=match, start_month=datetime.date.fromisoformat(month + "-01")
    )


def test_contributions_in_the_start_month_confirm_the_hire_at_once(
    enterprise_user, accepted, changan_enterprise
):
    contribute(accepted.worker, changan_enterprise, "2025-06", 3)
    h = hire(enterprise_user, accepted, "2025-06")
    assert h.state == Hire.State.CONFIRMED and h.confirmed_month == datetime.date(2025, 6, 1)
    assert hire_why(h) == "2025-06起由该单位参保缴费"
    accepted.refresh_from_db()
    assert accepted.state == Match.State.HIRED
    assert JobNeed.objects.get(pk=accepted.need_id).state == JobNeed.State.FILLED  # head count 1 reached


def test_contributions_starting_in_the_third_month_after_still_confirm(
    enterprise_user, accepted, changan_enterprise
):
    h = hire(enterprise_user, accepted, "2025-03")
    contribute(accepted.worker, changan_enterprise, "2025-06", 2)  # start + 3 months: the window's last
    assert hires_confirm(today=TODAY)["confirmed"] == 1
    h.refresh_from_db()
    assert h.state == Hire.State.CONFIRMED and h.confirmed_month == datetime.date(2025, 6, 1)
    assert AuditEvent.objects.filter(action="matching.hire.check", target_id=str(h.pk)).exists()


def test_late_contributions_leave_it_unconfirmed_with_the_month_they_began(
    enterprise_user, accepted, changan_enterprise
):
    h = hire(enterprise_user, accepted, "2025-03")
    contribute(accepted.worker, changan_enterprise, "2025-07", 3)  # start + 4 months: too late
    assert hires_confirm(today=TODAY) == {"confirmed": 0, "unconfirmed": 1, "pending": 0}
    h.refresh_from_db()
    assert h.state == Hire.State.UNCONFIRMED and h.why == Hire.Why.LATE
    assert "2025-07" in hire_why(h) and "晚于确认期" in hire_why(h)


def test_another_employers_contributions_do_not_confirm(enterprise_user, accepted, humen):
    other = OrganisationFactory(town=humen, name="东莞市虎门另一家有限公司")
    h = hire(enterprise_user, accepted, "2025-03")
    contribute(accepted.worker, other, "2025-03", 6)
    hires_confirm(today=TODAY)
    h.refresh_from_db()
    assert h.state == Hire.State.UNCONFIRMED and h.why == Hire.Why.OTHER_EMPLOYER
    assert hire_why(h) == "确认期内仅由其他单位参保缴费"


def test_no_record_at_all_is_said_and_a_window_still_open_waits(enterprise_user, accepted):
    h = hire(enterprise_user, accepted, "2026-10")
    hires_confirm(today=TODAY)
    h.refresh_from_db()
    assert h.state == Hire.State.PENDING and hire_why(h) == "等待2026-10至2027-01由该单位参保缴费的记录"
    # The window (to 2027-01) closes, and the month its records arrive in (2027-02) passes.
    hires_confirm(today=datetime.date(2027, 2, 15))
    h.refresh_from_db()
    assert h.state == Hire.State.PENDING
    hires_confirm(today=datetime.date(2027, 3, 1))
    h.refresh_from_db()
    assert h.state == Hire.State.UNCONFIRMED and h.why == Hire.Why.NO_RECORD


def test_a_hire_needs_the_workers_acceptance_and_is_recorded_once(
    enterprise_user, worker_user, lathe, changan
):
    holds(worker_user.worker, lathe, 3)
    seek(worker_user, lathe, changan)
    match = Match.objects.get(need=post_need(enterprise_user, lathe, changan))
    with pytest.raises(DomainError) as refused:
        hire(enterprise_user, match, "2025-06")
    assert refused.value.code == "not_accepted"
    accepted_on(match_respond(actor=worker_user, match=match, accept=True), datetime.date(2025, 1, 10))
    hire(enterprise_user, match, "2025-06")
    with pytest.raises(DomainError):
        hire(enterprise_user, match, "2025-07")  # now hired, not accepted
    assert Hire.objects.count() == 1


def test_a_hire_at_a_fair_by_id_number_and_confirmed_by_the_ledger(
    bureau_officer, enterprise_user, changan_enterprise, changan_worker, changan
):
    fair = fair_create(
        actor=bureau_officer,
        name="2026年春风行动",
        kind=JobFair.Kind.SPRING_BREEZE,
        starts_on=datetime.date(2026, 2, 24),
        ends_on=datetime.date(2026, 2, 26),
        town=changan,
        venue="人力资源市场",
    )
    with pytest.raises(DomainError) as not_there:
        hire_record_at_fair(
            actor=enterprise_user,
            fair=fair,
            enterprise=changan_enterprise,
            id_number=changan_worker.id_number,
            start_month=datetime.date(2025, 3, 1),
        )
    assert "enterprise" in not_there.value.fields
    fair_enterprise_add(actor=bureau_officer, fair=fair, enterprise=changan_enterprise, booth="A01")
    contribute(changan_worker, changan_enterprise, "2026-04", 2)
    h = hire_record_at_fair(
        actor=enterprise_user,
        fair=fair,
        enterprise=changan_enterprise,
        id_number=changan_worker.id_number,
        start_month=datetime.date(2026, 3, 1),
    )
    assert h.source == Hire.Source.FAIR and h.state == Hire.State.CONFIRMED


def test_the_check_is_a_daily_job_and_runs_after_an_import(
    enterprise_user, accepted, changan_enterprise, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    assert PERIODIC_JOBS["matching.hires_confirm"].task == "skillcity.matching.tasks.hires_confirm_task"
    h = hire(enterprise_user, accepted, "2025-06")
    assert h.state == Hire.State.UNCONFIRMED  # today is past the window: nothing recorded
    with django_capture_on_commit_callbacks(execute=True):
        contribute(accepted.worker, changan_enterprise, "2025-06", 2)
    queued = DBTaskResult.objects.filter(task_path="skillcity.matching.tasks.hires_confirm_task")
    assert queued.count() == 1
    from skillcity.matching.tasks import hires_confirm_task

    hires_confirm_task.call()
    h.refresh_from_db()
    assert h.state == Hire.State.CONFIRMED


def test_the_workers_timeline_shows_the_need_the_match_the_hire_and_its_confirmation(
    enterprise_user, accepted, changan_enterprise
):
    from skillcity.timeline.sources import SOURCES

    contribute(accepted.worker, changan_enterprise, "2025-06", 2)
    hire(enterprise_user, accepted, "2025-06")
    events = SOURCES["matching"].events(accepted.worker_id)
    titles = [e.title for e in events]
    assert titles.count("记录求职意向") == 1 and "岗位匹配" in titles and "接受岗位匹配" in titles
    assert "录用" in titles and "录用已由社保缴费记录确认" in titles
    confirmed = next(e for e in events if e.title == "录用已由社保缴费记录确认")
    assert confirmed.date == datetime.date(2025, 6, 1) and confirmed.detail == changan_enterprise.name


def test_a_hire_of_someone_the_enterprise_already_insured_is_not_confirmed(
    enterprise_user, accepted, changan_enterprise
):
    contribute(accepted.worker, changan_enterprise, "2025-05", 4)  # insured there before the start
    h = hire(enterprise_user, accepted, "2025-06")
    assert h.state == Hire.State.UNCONFIRMED and h.why == Hire.Why.ALREADY_EMPLOYED
    assert hire_why(h) == "入职前已由该单位参保"


def test_a_match_hire_starts_no_earlier_than_the_month_the_worker_accepted(enterprise_user, accepted):
    with pytest.raises(DomainError) as early:
        hire(enterprise_user, accepted, "2024-12")  # accepted 2025-01-10
    assert "2025-01" in early.value.fields["start_month"]
    assert hire(enterprise_user, accepted, "2025-01").start_month == datetime.date(2025, 1, 1)


@pytest.fixture
def spring_fair(bureau_officer, changan_enterprise, changan):
    fair = fair_create(
        actor=bureau_officer,
        name="2026年春风行动",
        kind=JobFair.Kind.SPRING_BREEZE,
        starts_on=datetime.date(2026, 2, 24),
        ends_on=datetime.date(2026, 2, 26),
        town=changan,
        venue="人力资源市场",
    )
    fair_enterprise_add(actor=bureau_officer, fair=fair, enterprise=changan_enterprise, booth="A01")
    return fair


def at_fair(actor, fair, enterprise, id_number: str, month: str) -> Hire:
    return hire_record_at_fair(
        actor=actor,
        fair=fair,
        enterprise=enterprise,
        id_number=id_number,
        start_month=datetime.date.fromisoformat(month + "-01"),
    )


def test_a_fair_hire_starts_from_the_month_before_the_fair_to_six_months_after(
    enterprise_user, spring_fair, changan_enterprise, changan_worker
):
    for month in ("2025-12", "2026-09"):
        with pytest.raises(DomainError) as outside:
            at_fair(enterprise_user, spring_fair, changan_enterprise, changan_worker.id_number, month)
        assert "2026-01至2026-08" in outside.value.fields["start_month"]
    assert at_fair(enterprise_user, spring_fair, changan_enterprise, changan_worker.id_number, "2026-08")


def test_a_fair_hire_by_an_unknown_id_number_says_nothing_of_registration(
    enterprise_user, spring_fair, changan_enterprise
):
    with pytest.raises(DomainError) as unknown:
        at_fair(enterprise_user, spring_fair, changan_enterprise, make_resident_id(), "2026-03")
    assert unknown.value.fields["id_number"] == "未找到或不在您的范围内"


def test_a_fair_hire_joins_the_workers_timeline_only_once_confirmed(
    enterprise_user, spring_fair, changan_enterprise, changan_worker
):
    from skillcity.timeline.sources import SOURCES

    h = at_fair(enterprise_user, spring_fair, changan_enterprise, changan_worker.id_number, "2026-03")
    assert h.state != Hire.State.CONFIRMED
    assert "录用" not in [e.title for e in SOURCES["matching"].events(changan_worker.pk)]
    contribute(changan_worker, changan_enterprise, "2026-03", 2)
    hires_confirm()
    assert "录用" in [e.title for e in SOURCES["matching"].events(changan_worker.pk)]


def test_the_need_is_locked_before_its_hires_are_counted(enterprise_user, accepted):
    # Two hires at once on one need must not both pass its head count: the need's row is locked
    # before the count (select_for_update), so the second waits for the first.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        hire(enterprise_user, accepted, "2025-06")
    sql = [q["sql"] for q in queries.captured_queries]
    locks = connection.features.has_select_for_update  # SQLite locks the whole database instead
    lock = next(
        i
        for i, q in enumerate(sql)
        if 'FROM "matching_jobneed"' in q and ("FOR UPDATE" in q or not locks) and "JOIN" not in q
    )
    count = next(i for i, q in enumerate(sql) if "COUNT(" in q and 'FROM "matching_hire"' in q)
    assert lock < count
