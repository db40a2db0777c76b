"""The leading-talent demo step: 40 applications and 12 recognised in 2022, 120 and 25 in 2023, subsidies
in several states, rent schedules paid once a month by the job's runs; a second run makes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db.models import Count

from skillcity.accounts.models import Role
from skillcity.grants import services as grants
from skillcity.grants.models import ApplicationState, Payment
from skillcity.talents.demo_leading import leading_demo
from skillcity.talents.models import LeadingCall, Recognition, RentSchedule, RentState
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory
from tests.talents.leading_helpers import funds

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_recognises_12_then_25_and_pays_rent_once_a_month(changan):
    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    funds(bureau)
    grants.fund_create(
        actor=bureau,
        programme="TAL-LEADING-EMPLOYER",
        year=2022,
        last_year=2024,
        name="引才奖励",
        total=Decimal("9000000"),
    )
    units = [OrganisationFactory(town=changan, name=f"演示企业{i}") for i in range(30)]
    for i in range(200):
        WorkerFactory(town=changan, employer=units[i % 30], highest_level=2 + i % 2)
    out = io.StringIO()
    leading_demo(2026, out)
    assert "37 recognised" in out.getvalue()
    calls = dict(LeadingCall.objects.annotate(n=Count("applications")).values_list("year", "n"))
    assert calls[2022] == 40 and calls[2023] == 120
    assert dict(Recognition.objects.values_list("year").annotate(n=Count("id")).values_list("year", "n")) == {
        2022: 12,
        2023: 25,
    }
    states = set(Payment.objects.values_list("application__state", flat=True))
    assert states == {ApplicationState.PAID}
    schedules = RentSchedule.objects.all()
    assert {s.state for s in schedules} >= {RentState.ACTIVE, RentState.ENDED}
    rent_keys = list(
        Payment.objects.filter(idempotency_key__startswith="rent:").values_list("idempotency_key", flat=True)
    )
    assert rent_keys and len(rent_keys) == len(set(rent_keys))
    before = Payment.objects.count()
    leading_demo(2026, io.StringIO())
    assert Payment.objects.count() == before
