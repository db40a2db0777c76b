from __future__ import annotations

import io

import pytest

from skillcity.accounts.models import Role
from skillcity.grants.demo import demo_grants
from skillcity.grants.models import Application, Fund
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_step_applies_under_every_rule_in_several_states_across_towns_and_is_idempotent(
    own_funds, changan_enterprise, changan, humen
):
    from skillcity.grants.demo import SAMPLES
    from skillcity.registry.models import OrganisationCategory
    from tests.factories import OrganisationFactory, WorkerFactory

    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    UserFactory(username="enterprise", role=Role.ORGANISATION_USER, organisation=changan_enterprise)
    UserFactory(username="changan", role=Role.TOWN_OFFICER, town=changan)
    UserFactory(username="humen", role=Role.TOWN_OFFICER, town=humen)
    UserFactory(username="worker", role=Role.WORKER, worker=WorkerFactory(town=changan))
    OrganisationFactory(town=humen)  # an enterprise in 虎门
    OrganisationFactory(town=humen, category=OrganisationCategory.TECHNICAL_SCHOOL)
    WorkerFactory(town=humen, highest_level=2)  # a technician for TAL-CARD
    out = io.StringIO()
    demo_grants(1, out)
    # D003 §二(一)'s special fund: one budget for the bases of every year of EDU-BASE, cited.
    fund = Fund.objects.get(programme="EDU-BASE")
    assert (fund.year, fund.last_year, fund.total, fund.source) == (2022, 2025, 25000000, "D003 §二(一)")
    states = set(Application.objects.values_list("state", flat=True))
    wanted = {"draft", "in_review", "returned", "rejected", "reviewed", "in_notice", "approved", "paid"}
    assert wanted <= states, out.getvalue()
    # Every rule of the samples except CRT-ENT, whose applicant must be an evaluator with certificates.
    expected = {rule for rule, *_ in SAMPLES} - {"CRT-ENT"}
    assert expected <= set(Application.objects.values_list("rule_id", flat=True)), out.getvalue()
    assert Application.objects.values("town").distinct().count() >= 2
    count, funds = Application.objects.count(), Fund.objects.count()
    # Every approved or paid sample was booked against a fund for its rule and year.
    assert not Application.objects.filter(state__in=["approved", "paid"], fund_entries__isnull=True).exists()
    demo_grants(1, out)
    assert Application.objects.count() == count and Fund.objects.count() == funds
