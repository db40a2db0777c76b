"""Shared set-up for the leading-talent tests: a 2025 call, funds, a finance officer, the walk to recognition."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group

from skillcity.accounts.models import Role
from skillcity.grants import services as grants
from skillcity.grants.flows import FINANCE_GROUP
from skillcity.talents.services import leading
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory

DAY = datetime.date(2025, 3, 10)
NOTICE_OVER = datetime.date(2025, 4, 10)


def finance(username: str = "finance_officer") -> Any:
    user = UserFactory(username=username, role=Role.BUREAU_OFFICER)
    user.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    return user


def funds(actor: Any) -> None:
    grants.fund_create(
        actor=actor,
        programme="TAL-LEADING",
        year=2022,
        last_year=2025,
        name="技能领军人才",
        total=Decimal("90000000"),
    )
    grants.fund_create(
        actor=actor, programme="TAL-LEADING-EMPLOYER", year=2025, name="引才奖励", total=Decimal("9000000")
    )


def call(actor: Any, year: int = 2025, quota: int = 25) -> Any:
    return leading.call_create(
        actor=actor,
        year=year,
        title=f"{year}年东莞市技能领军人才认定",
        opens_on=datetime.date(year, 3, 1),
        closes_on=datetime.date(year, 3, 31),
        quota=quota,
    )


def expert(town: Any, name: str = "专家甲") -> tuple[Any, Any]:
    """A registry worker of another unit, and the account they sign in with."""
    unit = OrganisationFactory(town=town, name=f"{name}所在单位")
    worker = WorkerFactory(town=town, employer=unit, name=name)
    user = UserFactory(username=f"expert_{worker.pk}", role=Role.WORKER, worker=worker)
    return worker, user


def to_recognition(
    bureau: Any, the_call: Any, app: Any, expert_worker: Any, expert_user: Any, living: str = "200000"
) -> Any:
    leading.formal_check(actor=bureau, application=app, passed=True)
    member = leading.panel_member_add(actor=bureau, call=the_call, worker=expert_worker)
    assignment = leading.assign(actor=bureau, application=app, member=member)
    leading.scores_submit(
        actor=expert_user,
        assignment=assignment,
        points={"skill": "28", "contribution": "25", "honours": "18", "mentoring": "17.5"},
    )
    leading.shortlist(actor=bureau, application=app, living_amount=Decimal(living), day=DAY)
    return leading.recognise(actor=bureau, application=app, day=NOTICE_OVER)
