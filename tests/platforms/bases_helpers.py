"""Shared set-up for the base and standard tests: a school, enterprises, the bureau's finance officer."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from skillcity.accounts.models import Role
from skillcity.core.errors import PermissionDenied
from skillcity.grants import services as grants
from skillcity.platforms.services import bases as base_services
from skillcity.registry.models import OrganisationCategory
from tests.factories import OrganisationFactory, UserFactory

DAY = datetime.date(2024, 3, 1)


def school(town: Any, name: str = "东莞市技师学院") -> Any:
    return OrganisationFactory(town=town, name=name, category=OrganisationCategory.TECHNICAL_SCHOOL)


def school_user(org: Any, username: str = "school_user") -> Any:
    return UserFactory(username=username, role=Role.ORGANISATION_USER, organisation=org)


def edu_fund(actor: Any, total: str | None = None) -> Any:
    """The special fund: from the engine's parameter (25,000,000), or a smaller one for a test."""
    if total is None:
        return grants.fund_from_policy(
            actor=actor, programme="EDU-BASE", parameter="EDU-BASE.fund", name="高水平校企合作基地专项资金"
        )
    return grants.fund_create(
        actor=actor, programme="EDU-BASE", year=2022, last_year=2025, name="专项资金", total=Decimal(total)
    )


def approved_base(actor: Any, the_school: Any, partner: Any, name: str = "智能制造校企合作基地") -> Any:
    base = base_services.base_apply(
        actor=actor,
        school=the_school,
        name=name,
        field="数控技术",
        plan="共建实训车间",
        partners=[(partner, "提供设备")],
        day=DAY,
    )
    return base_services.base_review(actor=actor, base=base, passed=True, day=DAY)


def to_notice(grant: Any, actor: Any) -> Any:
    """Through every review stage into the public notice starting on DAY."""
    from django.contrib.auth.models import Group

    from skillcity.grants.flows import FINANCE_GROUP
    from skillcity.grants.models import ApplicationState

    finance = UserFactory(username=f"finance_{grant.pk}", role=Role.BUREAU_OFFICER)
    finance.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    while grant.state == ApplicationState.IN_REVIEW:
        for reviewer in (actor, finance):
            try:
                grant = grants.application_review_pass(application=grant, actor=reviewer)
                break
            except PermissionDenied:
                continue
    grants.notice_start(application=grant, actor=actor, start=DAY)
    grant.refresh_from_db()
    return grant
