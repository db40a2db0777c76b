"""The monthly rent schedule: within 2,000–5,000 a month, one payment a month through the job (a second
run in the month pays nothing more), pause/resume/end with the reason, the term's end stops it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.errors import DomainError
from skillcity.grants.models import Payment
from skillcity.jobs.schedule import PERIODIC_JOBS
from skillcity.talents.models import RentEndReason, RentState
from skillcity.talents.services import leading, rent
from skillcity.talents.tasks import rent_pay_task
from tests.talents.leading_helpers import DAY, call, expert, finance, funds, to_recognition

pytestmark = pytest.mark.django_db


@pytest.fixture
def recognition(bureau_officer, worker_user, changan):
    funds(bureau_officer)
    c = call(bureau_officer)
    app = leading.application_submit(actor=worker_user, call=c, grounds="g", day=DAY)
    ew, eu = expert(changan)
    return to_recognition(bureau_officer, c, app, ew, eu)


@pytest.fixture
def pay():
    return finance()


def test_the_monthly_amount_is_held_within_the_range_and_only_finance_sets_it(
    recognition, pay, bureau_officer
):
    for amount in ("1999.99", "5000.01"):
        with pytest.raises(DomainError) as out:
            rent.schedule_create(
                actor=pay, recognition=recognition, monthly_amount=amount, first_month=DAY, day=DAY, months=12
            )
        assert "monthly_amount" in out.value.fields
    with pytest.raises(DomainError) as term:
        rent.schedule_create(
            actor=pay, recognition=recognition, monthly_amount="3000", first_month=DAY, day=DAY, months=61
        )
    assert "months" in term.value.fields
    with pytest.raises(DomainError):
        rent.schedule_create(
            actor=bureau_officer,
            recognition=recognition,
            monthly_amount="3000",
            first_month=DAY,
            day=DAY,
            months=12,
        )


def test_each_month_is_paid_once_and_a_second_run_in_the_month_pays_nothing(recognition, pay):
    schedule = rent.schedule_create(
        actor=pay, recognition=recognition, monthly_amount="4500", first_month=DAY, day=DAY, months=3
    )
    assert rent.rent_pay_month(day=datetime.date(2025, 3, 20))["paid"] == 1
    assert rent.rent_pay_month(day=datetime.date(2025, 3, 28))["paid"] == 0  # the month is paid already
    rent_pay_task.call("2025-03-31")
    payments = Payment.objects.filter(application__source_key__startswith=f"talents.rent:{schedule.pk}:")
    assert payments.count() == 1
    only = payments.get()
    assert only.amount == Decimal("4500.00") and only.idempotency_key == f"rent:{schedule.pk}:2025-03"
    rent.rent_pay_month(day=datetime.date(2025, 4, 2))
    rent.rent_pay_month(day=datetime.date(2025, 4, 3))
    assert sorted(payments.values_list("idempotency_key", flat=True)) == [
        f"rent:{schedule.pk}:2025-03",
        f"rent:{schedule.pk}:2025-04",
    ]
    assert rent.paid_total(schedule) == Decimal("9000.00")
    assert schedule.instalments.count() == 2


def test_pause_resume_and_end_with_a_reason(recognition, pay, bureau_officer):
    schedule = rent.schedule_create(
        actor=pay, recognition=recognition, monthly_amount="3000", first_month=DAY, day=DAY, months=24
    )
    rent.schedule_pause(actor=bureau_officer, schedule=schedule, reason="核查在莞居住情况")
    assert rent.rent_pay_month(day=datetime.date(2025, 3, 20))["paid"] == 0
    rent.schedule_resume(actor=bureau_officer, schedule=schedule, day=datetime.date(2025, 4, 1))
    assert rent.rent_pay_month(day=datetime.date(2025, 4, 20))["paid"] == 1
    with pytest.raises(DomainError):
        rent.schedule_end(actor=bureau_officer, schedule=schedule, reason="")
    ended = rent.schedule_end(
        actor=bureau_officer, schedule=schedule, reason=RentEndReason.BOUGHT_HOME, note="已申请购房补贴"
    )
    assert ended.state == RentState.ENDED and ended.get_end_reason_display() == "已购房"
    assert rent.rent_pay_month(day=datetime.date(2025, 5, 20))["paid"] == 0
    assert Payment.objects.filter(application__source_key__startswith="talents.rent:").count() == 1


def test_the_schedule_ends_by_itself_when_its_term_is_over(recognition, pay):
    schedule = rent.schedule_create(
        actor=pay, recognition=recognition, monthly_amount="2000", first_month=DAY, day=DAY, months=1
    )
    rent.rent_pay_month(day=DAY)
    done = rent.rent_pay_month(day=datetime.date(2025, 4, 1))
    schedule.refresh_from_db()
    assert done == {"ended": 1, "paid": 0, "refused": 0}
    assert schedule.state == RentState.ENDED and schedule.end_reason == RentEndReason.TERM_ENDED


def test_the_job_is_registered_with_the_scheduler():
    job = PERIODIC_JOBS["talents.rent_pay"]
    assert job.period == "daily" and job.task.endswith("rent_pay_task")
