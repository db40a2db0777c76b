"""The test pack (tests/packs/testcity) standing for a second city, end to end with no code change:
the calculator (API and page), a grants application decided under it, and a training settlement —
each with the setting SKILLCITY_POLICY_PACK pointing at it."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client, override_settings

from skillcity.core.errors import DomainError
from skillcity.core.periods import HalfYear
from skillcity.grants import services as grants
from skillcity.grants.models import ApplicationState
from skillcity.registry.models import OrganisationCategory
from skillcity.training import services as training
from skillcity.training.models import SettlementLine
from tests.factories import OccupationFactory, OrganisationFactory, WorkerFactory

pytestmark = pytest.mark.django_db
TEST_PACKS = str(Path(__file__).resolve().parent.parent / "packs")
TEST_CITY = override_settings(POLICY_PACK="testcity", POLICY_PACK_DIRS=[TEST_PACKS])
FACTS = {"project_standard": "2800", "completed": True}


@TEST_CITY
def test_the_calculator_api_answers_under_the_active_test_pack_after_2025() -> None:
    r = Client().post(
        "/api/v1/policy/evaluate",
        json.dumps({"rule": "TRN-PROJECT", "date": "2026-03-01", "facts": FACTS}),
        content_type="application/json",
    )
    assert r.status_code == 200
    assert (r.json()["amount"], r.json()["sources"][0]["document"]) == ("2500.00", "T001")


@TEST_CITY
def test_the_calculator_page_lists_the_packs_rules_and_answers_with_its_amounts() -> None:
    client = Client()
    html = client.get("/policy/calculator/").content.decode()
    assert '<option value="TRN-PROJECT">项目制培训补贴</option>' in html
    assert 'value="CMP-HOST"' not in html  # not enabled in the test city
    assert client.get("/policy/calculator/", {"rule": "CMP-HOST"}).status_code == 404
    page = client.get(
        "/policy/calculator/",
        {"rule": "TRN-PROJECT", "date": "2026-03-01", "project_standard": "2800", "completed": "true"},
    ).content.decode()
    assert '<span class="sc-stat" id="outcome-amount">2,500.00</span>' in page
    assert "样例市职业技能培训补贴办法（测试用）" in page and "每个项目每人最高2500元" in page


@TEST_CITY
def test_a_grants_application_is_decided_under_the_test_pack(
    enterprise_user, changan_officer, bureau_officer
):
    app = grants.application_create(
        actor=enterprise_user, rule_id="TRN-PROJECT", event_date=datetime.date(2026, 3, 1), facts=FACTS
    )
    assert (app.outcome["amount"], app.outcome["max"]) == ("2500.00", "2500.00")
    assert app.outcome["sources"][0]["document"] == "T001"
    app = grants.application_submit(application=app, actor=enterprise_user)
    app = grants.application_review_pass(application=app, actor=changan_officer)
    with pytest.raises(DomainError):  # Dongguan's 3000 is not the test city's cap
        grants.application_review_pass(application=app, actor=bureau_officer, amount=Decimal("2800"))
    app = grants.application_review_pass(application=app, actor=bureau_officer, amount=Decimal("2500"))
    assert app.state == ApplicationState.REVIEWED and app.decided_amount == Decimal("2500.00")


def test_the_same_application_under_dongguan_is_refused_after_2025(enterprise_user):
    with pytest.raises(DomainError) as exc:
        grants.application_create(
            actor=enterprise_user, rule_id="TRN-PROJECT", event_date=datetime.date(2026, 3, 1), facts=FACTS
        )
    assert exc.value.code == "not_in_force"


def _settle_2026(changan) -> HalfYear:
    institution = OrganisationFactory(
        town=changan, name="样例职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )
    project = training.project_create(
        provider=institution,
        name="数控车工中级班",
        occupation=OccupationFactory(code="6-18-01-01", name="车工"),
        level=4,
        per_person_standard=Decimal("2800"),
        capacity=10,
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2026, 5, 31),
        actor="test",
    )
    klass = training.class_create(
        project=project, name="一班", start_date=project.start_date, end_date=project.end_date, actor="test"
    )
    for _ in range(2):
        enrolment = training.enrolment_create(
            training_class=klass,
            worker=WorkerFactory(town=changan),
            enrolled_on=datetime.date(2026, 2, 1),
            actor="t",
        )
        training.enrolment_complete(
            enrolment=enrolment,
            completed_on=datetime.date(2026, 5, 31),
            passed=True,
            assessment_score=Decimal("90"),
            certified_level=4,
            actor="t",
        )
    period = HalfYear(2026, 1)
    settlement = training.settlement_run(provider=institution, period=period)
    return settlement


def test_a_training_settlement_runs_under_the_test_pack(changan):
    with TEST_CITY:
        settlement = _settle_2026(changan)
    lines = sorted(SettlementLine.objects.values_list("rule", "payee", "amount"))
    assert lines == [
        ("TRN-PROJECT", "provider", Decimal("2500.00")),  # the city's cap, not Dongguan's 3000
        ("TRN-PROJECT", "provider", Decimal("2500.00")),
        ("TRN-UPSKILL", "individual", Decimal("1200.00")),  # the city's level-4 amount
        ("TRN-UPSKILL", "individual", Decimal("1200.00")),
    ]
    assert settlement.total_amount == Decimal("7400.00")


def test_the_same_settlement_under_dongguan_pays_nothing_after_2025(changan):
    settlement = _settle_2026(changan)
    assert settlement.line_count == 0 and not SettlementLine.objects.exists()
