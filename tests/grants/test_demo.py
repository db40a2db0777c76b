from __future__ import annotations

import io

import pytest
from django.utils import timezone

from skillcity.accounts.models import Role
from skillcity.grants.demo import demo_grants, money_rules
from skillcity.grants.models import Application, ApplicationState, Fund
from skillcity.grants.services import funds_covering
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
    fund = Fund.objects.get(programme="EDU-BASE", year=2022)
    assert (fund.year, fund.last_year, fund.total, fund.source) == (2022, 2025, 25000000, "D003 §二(一)")
    # Every state an application can be in, one of them in notice with the notice over (approvable).
    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(ApplicationState.values), out.getvalue()
    assert Application.objects.filter(state="in_notice", notice__end__lt=timezone.localdate()).exists()
    # A fund for every money rule and year 2022–2026, and every payment booked against its fund.
    for rule in money_rules():
        for year in range(2022, 2027):
            assert funds_covering(rule.id, year, year).exists(), (rule.id, year)
    assert "TRN-PAYEE" not in {rule.id for rule in money_rules()}
    for app in Application.objects.filter(state="paid"):
        assert app.fund_entries.filter(kind="spend").exists(), app.rule_id
    # Every rule of the samples except CRT-ENT, whose applicant must be an evaluator with certificates.
    expected = {rule for rule, *_ in SAMPLES} - {"CRT-ENT"}
    assert expected <= set(Application.objects.values_list("rule_id", flat=True)), out.getvalue()
    assert Application.objects.values("town").distinct().count() >= 2
    count, funds = Application.objects.count(), Fund.objects.count()
    demo_grants(1, out)
    assert Application.objects.count() == count and Fund.objects.count() == funds
