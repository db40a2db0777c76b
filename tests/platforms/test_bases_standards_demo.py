"""The demo's bases and standards: 74 立项建设 bases with recognised ones' EDU-BASE grants within the
special fund, 117 standards certified before the platform and the platform's own with their grants."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from skillcity.accounts.models import Role
from skillcity.grants.models import Application
from skillcity.platforms import demo_bases, demo_standards
from skillcity.platforms.models import BaseState, SchoolEnterpriseBase, Standard, StandardState
from skillcity.platforms.services import bases as base_services
from skillcity.registry.models import OrganisationCategory
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(changan, humen, bureau_officer):
    from django.contrib.auth.models import Group

    from skillcity.grants import services as grants
    from skillcity.grants.flows import FINANCE_GROUP

    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    for n in range(3):
        OrganisationFactory(town=changan, name=f"技工学校{n}", category=OrganisationCategory.TECHNICAL_SCHOOL)
    enterprises = [OrganisationFactory(town=humen if n % 2 else changan) for n in range(8)]
    for n in range(12):
        WorkerFactory(town=changan, employer=enterprises[n % 8], name=f"专家{n}")
    for n in range(4):
        OccupationFactory(code=f"6-18-0{n}-01", name=f"职业{n}")
    for year in range(2022, 2027):
        grants.fund_create(
            actor=bureau, programme="PLT-STANDARD", year=year, name="标准经费", total=Decimal("5000000")
        )
    return bureau


def test_the_demo_makes_74_bases_within_the_fund_and_117_standards(city):
    out = io.StringIO()
    demo_bases.bases_demo(7, out)
    demo_standards.standards_demo(7, out)
    assert (
        SchoolEnterpriseBase.objects.filter(
            state__in=(BaseState.APPROVED, BaseState.RECOGNISED), baseline=True
        ).count()
        == demo_bases.BASELINE
        == 74
    )
    recognised = SchoolEnterpriseBase.objects.filter(state=BaseState.RECOGNISED).count()
    assert recognised == demo_bases.RECOGNISE
    grants = Application.objects.filter(rule_id="EDU-BASE")
    assert grants.count() == recognised and {"paid", "approved", "in_notice"} <= set(
        grants.values_list("state", flat=True)
    )
    status = base_services.fund_status(2024)
    assert status is not None and status["available"] >= 0 and status["total"] == Decimal("25000000")
    assert Standard.objects.filter(baseline=True, state=StandardState.CERTIFIED).count() == 117
    states = set(Standard.objects.filter(baseline=False).values_list("state", flat=True))
    assert states == set(StandardState.values)
    assert Application.objects.filter(rule_id="PLT-STANDARD", state="paid").exists()
    # idempotent: a second run adds nothing
    demo_bases.bases_demo(7, out)
    demo_standards.standards_demo(7, out)
    assert SchoolEnterpriseBase.objects.count() == 77 and Standard.objects.count() == 117 + len(
        demo_standards.PLATFORM
    )
