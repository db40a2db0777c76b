"""The rent job catches up missed months (each once, with its own key), records a refused month where
the bureau sees it, pays nothing on a schedule paused since it was read, refuses a start in the past, and
one running schedule per talent holds in the database."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent
from skillcity.grants.models import Payment
from skillcity.talents.models import RentRefusal, RentSchedule
from skillcity.talents.services import leading, rent
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


def _schedule(recognition, pay, months=12):
    return rent.schedule_create(
        actor=pay, recognition=recognition, monthly_amount="3000", first_month=DAY, day=DAY, months=months
    )


def test_a_job_that_missed_two_months_pays_both_once_and_a_second_run_pays_nothing(recognition, pay):
    schedule = _schedule(recognition, pay)
    assert rent.rent_pay_month(day=datetime.date(2025, 3, 20))["paid"] == 1
    # April and May: the job did not run. June pays April, May and June.
    assert rent.rent_pay_month(day=datetime.date(2025, 6, 2))["paid"] == 3
    assert rent.rent_pay_month(day=datetime.date(2025, 6, 3))["paid"] == 0
    keys = sorted(
        Payment.objects.filter(
            application__source_key__startswith=f"talents.rent:{schedule.pk}:"
        ).values_list("idempotency_key", flat=True)
    )
    assert keys == [f"rent:{schedule.pk}:2025-0{m}" for m in (3, 4, 5, 6)]


def test_months_missed_while_paused_are_not_caught_up(recognition, pay, bureau_officer):
    schedule = _schedule(recognition, pay)
    rent.rent_pay_month(day=datetime.date(2025, 3, 20))
    rent.schedule_pause(actor=bureau_officer, schedule=schedule, reason="核查")
    rent.schedule_resume(actor=bureau_officer, schedule=schedule, day=datetime.date(2025, 6, 1))
    assert rent.rent_pay_month(day=datetime.date(2025, 6, 2))["paid"] == 1


def test_a_schedule_paused_after_it_was_read_pays_nothing(recognition, pay, bureau_officer):
    schedule = _schedule(recognition, pay)
    stale = RentSchedule.objects.get(pk=schedule.pk)
    rent.schedule_pause(actor=bureau_officer, schedule=schedule, reason="核查")
    with pytest.raises(DomainError) as refused:
        rent.pay_month(stale, datetime.date(2025, 3, 1))
    assert refused.value.code == "not_active"
    assert not Payment.objects.filter(application__source_key__startswith="talents.rent:").exists()


def test_a_refused_month_is_recorded_and_shown(recognition, pay, bureau_officer):
    schedule = _schedule(recognition, pay)
    pay.groups.clear()  # the officer's standing authority is gone: grants refuses before any application
    done = rent.rent_pay_month(day=datetime.date(2025, 3, 20))
    assert done["refused"] == 1 and done["paid"] == 0
    refusal = RentRefusal.objects.get(schedule=schedule)
    assert refusal.month == datetime.date(2025, 3, 1) and "财务" in refusal.message
    assert AuditEvent.objects.filter(action="talents.rent.refused", target_id=str(schedule.pk)).exists()
    client = Client()
    client.force_login(bureau_officer)
    html = client.get(reverse("talents:leading_schedules")).content.decode()
    assert "2025-03 未能发放" in html and refusal.message in html


def test_a_first_month_before_the_current_month_is_refused(recognition, pay):
    with pytest.raises(DomainError) as past:
        rent.schedule_create(
            actor=pay,
            recognition=recognition,
            monthly_amount="3000",
            first_month=datetime.date(2025, 2, 28),
            day=DAY,
            months=3,
        )
    assert "first_month" in past.value.fields


def test_one_running_schedule_per_talent_holds_in_the_database(recognition, pay):
    schedule = _schedule(recognition, pay)
    with pytest.raises(DomainError) as twice:
        _schedule(recognition, pay)
    assert twice.value.code == "schedule_exists"
    with pytest.raises(IntegrityError), transaction.atomic():
        RentSchedule.objects.create(
            recognition=recognition,
            worker=schedule.worker,
            monthly_amount=schedule.monthly_amount,
            first_month=schedule.first_month,
            last_month=schedule.last_month,
            authorised_by=pay,
        )
