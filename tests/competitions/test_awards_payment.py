"""An award made from records goes the one grants path to a single payment; approval without the
programme's fund for the year names the fund to create; the demo makes funds for the two new rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from skillcity.competitions.services import awards
from skillcity.grants import services as grants
from skillcity.grants.demo import money_rules
from skillcity.grants.flows import FINANCE_GROUP
from skillcity.grants.models import ApplicationState as S
from tests.competitions.awards_setup import project_of, result_of, worker
from tests.factories import TownFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_new_rules_are_money_rules_the_demo_makes_funds_for():
    assert {"CMP-CAMP-TRAINEE", "CMP-MATCH-COACH"} <= {r.id for r in money_rules()}


def test_a_generated_prize_is_reviewed_noticed_approved_against_its_fund_and_paid_once(bureau_officer):
    town = TownFactory(name="长安镇")
    officer = UserFactory(role="town_officer", town=town)
    finance = UserFactory(role="bureau_officer")
    finance.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    project = project_of("city_class1")
    result_of(project, "gold", players=[worker(town=town)])
    app = next(
        a
        for a in awards.awards_generate(competition=project.competition, actor=bureau_officer)
        if a.rule_id == "CMP-PRIZE-CITY"
    )
    app = grants.application_review_pass(application=app, actor=officer)
    app = grants.application_review_pass(application=app, actor=bureau_officer, amount=Decimal("12000"))
    grants.notice_start(application=app, actor=bureau_officer, start=datetime.date(2024, 10, 8))
    app.refresh_from_db()
    after = datetime.date(2024, 11, 1)
    with pytest.raises(grants.FundMissing) as missing:
        grants.application_approve(application=app, actor=bureau_officer, today=after)
    assert "2024" in missing.value.message
    assert missing.value.create_url.endswith("?programme=CMP-PRIZE-CITY&year=2024")
    grants.fund_create(
        actor=bureau_officer, programme="CMP-PRIZE-CITY", year=2024, name="竞赛奖金", total=Decimal("1000000")
    )
    app = grants.application_approve(application=app, actor=bureau_officer, today=after)
    assert app.state == S.APPROVED and app.decided_amount == Decimal("12000.00")
    first = grants.payment_make(
        application=app, actor=finance, idempotency_key="prize-1", treasury_reference="GK-1"
    )
    again = grants.payment_make(
        application=app, actor=finance, idempotency_key="prize-1", treasury_reference="GK-1"
    )
    assert first.pk == again.pk and first.amount == Decimal("12000.00")
    claim = next(c for c in awards.claims_for(project.competition) if c.rule_id == "CMP-PRIZE-CITY")
    assert claim.application is not None and claim.application.state == S.PAID
    assert awards.awards_generate(competition=project.competition, actor=bureau_officer) == []
