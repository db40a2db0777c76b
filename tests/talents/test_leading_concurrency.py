"""Races a real database with row locks shows (PostgreSQL; SQLite serialises writers): two employer
rewards approved at once stay within the yearly cap; two rent schedules set up at once make one."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from skillcity.core.errors import DomainError
from skillcity.grants import services as grants
from skillcity.grants.models import ApplicationState
from skillcity.grants.services.records import application_from_records
from skillcity.talents.models import RentSchedule
from skillcity.talents.services import leading, rent
from tests.factories import WorkerFactory
from tests.grants.test_concurrency import _race
from tests.talents.leading_helpers import DAY, NOTICE_OVER, call, expert, finance, funds, to_recognition

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row-lock races need PostgreSQL"),
]


def _recognitions(bureau, enterprise_user, employer, town, n):
    funds(bureau)
    the_call = call(bureau)
    found = []
    for i in range(n):
        w = WorkerFactory(town=town, employer=employer, name=f"引进{i}")
        app = leading.application_submit(
            actor=enterprise_user, call=the_call, worker=w, grounds="引进", introduced_on=DAY, day=DAY
        )
        ew, eu = expert(town, f"专家{i}")
        found.append(to_recognition(bureau, the_call, app, ew, eu))
    return found


def test_two_employer_rewards_approved_at_once_stay_within_the_cap(
    bureau_officer, enterprise_user, changan_enterprise, changan
):
    assert connection.vendor == "postgresql"
    claims = []
    for r in _recognitions(bureau_officer, enterprise_user, changan_enterprise, changan, 2):
        grant = application_from_records(
            actor=bureau_officer,
            rule_id="TAL-LEADING-EMPLOYER",
            payee=changan_enterprise,
            event_date=NOTICE_OVER,
            facts={"requested": "700000", "already_received_this_year": "0.00"},
            fact_sources={"requested": "申报", "already_received_this_year": "支付记录"},
            source_key=f"talents.employer:{r.application_id}",
        )
        grants.application_review_pass(application=grant, actor=bureau_officer)
        grants.notice_start(application=grant, actor=bureau_officer, start=NOTICE_OVER)
        claims.append(grant)
    calls = [
        (
            lambda g=g: grants.application_approve(
                application=g, actor=bureau_officer, today=datetime.date(2025, 5, 30)
            )
        )
        for g in claims
    ]
    results, errors = _race(calls)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], DomainError) and errors[0].code == "yearly_cap_exceeded"
    states = sorted(type(g).objects.get(pk=g.pk).state for g in claims)
    assert states == [ApplicationState.APPROVED, ApplicationState.IN_NOTICE]


def test_two_rent_schedules_set_up_at_once_make_one(
    bureau_officer, enterprise_user, changan_enterprise, changan
):
    [recognition] = _recognitions(bureau_officer, enterprise_user, changan_enterprise, changan, 1)
    pay = finance()
    make = lambda: rent.schedule_create(  # noqa: E731
        actor=pay, recognition=recognition, monthly_amount="3000", first_month=DAY, day=DAY, months=12
    )
    results, errors = _race([make, make])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], DomainError) and errors[0].code == "schedule_exists"
    assert RentSchedule.objects.filter(worker=recognition.worker).count() == 1
