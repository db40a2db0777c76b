"""The apply form with the real policy engine: fields built from the rule's facts, the outcome stored
with the application, and decisions held to the engine's bounds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from skillcity.core.errors import DomainError
from skillcity.grants import outcomes
from skillcity.grants.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fake_engine():
    """Override the package's stand-in: these tests use the real engine."""
    return None


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_organisation_applies_through_the_facts_form_and_the_outcome_is_stored(enterprise_user):
    c = _client(enterprise_user)
    r = c.post(
        "/grants/apply/",
        {
            "rule_id": "PLT-STUDIO",
            "event_date": "2024-05-01",
            "recognition": "new_city",
            "requested": "400000",
        },
    )
    app = Application.objects.get()
    assert r.status_code == 302
    assert app.facts == {"recognition": "new_city", "requested": "400000"}
    assert (app.outcome["basis"], app.outcome["amount"], app.outcome["max"]) == (
        "cap",
        "400000.00",
        "500000.00",
    )
    assert app.outcome["sources"][0]["document"] == "D003"  # from 2023 the cap is D003's version


def test_a_bad_fact_is_shown_next_to_its_field_and_nothing_is_saved(enterprise_user):
    page = _client(enterprise_user).post(
        "/grants/apply/", {"rule_id": "PLT-STUDIO", "event_date": "2024-05-01", "requested": "400000"}
    )
    assert page.status_code == 200
    assert 'id="error-recognition"' in page.content.decode()
    assert not Application.objects.exists()


def test_a_date_outside_the_rule_is_refused(enterprise_user):
    page = _client(enterprise_user).post(
        "/grants/apply/", {"rule_id": "EDU-BASE", "event_date": "2026-03-01", "recognised": "true"}
    )
    html = page.content.decode()
    assert 'id="error-event_date"' in html and "不在本政策的适用期内" in html and "没有有效版本" not in html
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("rule", "facts", "inside", "outside"),
    [
        ("EDU-BASE", {"recognised": True}, "1000000", "999999"),  # fixed
        ("CMP-HOST", {"competition_level": "city_class1"}, "250000", "199999"),  # floor: more allowed
        ("PLT-STUDIO", {"recognition": "new_city", "requested": "600000"}, "450000", "500000.01"),  # cap
        ("CMP-CAMP", {"competition_level": "provincial_class1"}, "60000", "80001"),  # range
        ("CMP-WORLDSKILLS", {"medal": "gold", "contest_prize_money": "80000"}, "80000", "80001"),  # matched
    ],
)
def test_decided_amounts_are_held_to_the_real_outcome_bounds(rule, facts, inside, outside):
    outcome = outcomes.evaluate(rule, datetime.date(2024, 5, 1), facts)
    outcomes.check_amount(outcome, Decimal(inside), "")
    with pytest.raises(DomainError) as err:
        outcomes.check_amount(outcome, Decimal(outside), "")
    assert err.value.code == "amount_out_of_bounds"


def test_case_by_case_needs_a_reason():
    outcome = outcomes.evaluate(
        "CMP-HOST", datetime.date(2024, 5, 1), {"competition_level": "national_class1"}
    )
    with pytest.raises(DomainError) as err:
        outcomes.check_amount(outcome, Decimal("900000"), " ")
    assert err.value.code == "reason_required"
    outcomes.check_amount(outcome, Decimal("900000"), "市政府一事一议批复")


def test_crt_ent_takes_the_amount_already_paid_from_the_ledger(enterprise_user):
    from skillcity.grants.flows import provided_facts

    provided = provided_facts("CRT-ENT", enterprise_user.organisation, datetime.date(2024, 5, 1))
    assert provided["already_received"][0] == "0.00"
    page = _client(enterprise_user).get("/grants/apply/?rule=CRT-ENT").content.decode()
    assert 'name="already_received"' not in page  # not asked: it comes from the payments
    assert "平台支付记录" in page


CRT_FACTS = {
    "filed_and_certifying": True, "qbank_filed": False, "shortage_certification": False,
    "year_new_certificates": 10, "year_new_certificates_level2_or_higher": 1, "provincial_social_org": True,
}  # fmt: skip


def test_crt_ent_one_time_components_are_granted_once_per_enterprise_even_in_2022(
    enterprise_user, bureau_officer
):
    """D002 第21条 "一次性": a 2022 enterprise paid for filing and the social-organisation award gets
    neither again in 2022 (before D003's total cap), decided from the platform's payment records."""
    from skillcity.grants.flows import provided_facts
    from skillcity.grants.models import Payment
    from skillcity.policy.engine import evaluate

    organisation = enterprise_user.organisation
    day = datetime.date(2022, 6, 1)
    first = evaluate("CRT-ENT", day, {**CRT_FACTS, "already_received": "0"})
    assert first.amount == Decimal("550000.00")
    paid = Application.objects.create(
        rule_id="CRT-ENT", organisation=organisation, town=organisation.town, event_date=day,
        facts=CRT_FACTS, outcome=outcomes._plain(first.as_dict()), state="paid", created_by=enterprise_user,
    )  # fmt: skip
    Payment.objects.create(
        application=paid, amount=Decimal("550000"), idempotency_key="k", paid_by=bureau_officer
    )
    later = datetime.date(2022, 9, 1)
    provided = provided_facts("CRT-ENT", organisation, later)
    assert provided["one_time_received"] == (["filing", "social_org"], "平台支付记录（补贴申报）")
    ledger = {
        k: provided[k][0] for k in ("already_received", "one_time_received")
    }  # the grants ledger's facts
    again = evaluate("CRT-ENT", later, {**CRT_FACTS, **ledger})
    assert not again.eligible
    components = {c["id"]: c for c in again.extra["components"]}
    assert (
        not components["CRT-ENT-FILING"]["eligible"]
        and "此前已获得" in components["CRT-ENT-FILING"]["reason"]
    )
    assert not components["CRT-ENT-SOCIAL-ORG"]["eligible"]


def test_a_missing_date_and_missing_facts_are_all_named_next_to_their_fields(enterprise_user):
    page = _client(enterprise_user).post("/grants/apply/", {"rule_id": "PLT-STUDIO", "event_date": ""})
    html = page.content.decode()
    assert 'id="error-event_date" data-field="event_date"><li>请填写“事项发生日期”</li>' in html
    assert 'id="error-recognition"' in html and "缺少此事实" not in html
    assert "请修正以下" in html
    assert not Application.objects.exists()


def test_the_grant_page_shows_the_stored_reasons_and_steps_in_english(enterprise_user):
    c = _client(enterprise_user)
    c.post(
        "/grants/apply/",
        {
            "rule_id": "PLT-STUDIO",
            "event_date": "2024-05-01",
            "recognition": "new_city",
            "requested": "400000",
        },
    )
    app = Application.objects.get()
    # The stored outcome keeps its Chinese reasons and carries their messages.
    assert app.outcome["reasons"] == [
        "新设市级技能大师工作室，申请 400000.00 元，上限 500000.00 元，可给予 400000.00 元。"
    ]
    assert app.outcome["reason_messages"][0]["params"] == {
        "requested": "400000.00",
        "cap": "500000.00",
        "amount": "400000.00",
    }
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = c.get(f"/grants/{app.pk}/").content.decode()
    assert (
        "New city-level master studio: 400000.00 yuan requested, cap 500000.00 yuan, "
        "400000.00 yuan may be granted." in html
    )
    assert ">Cap for a new city studio</td>" in html  # the step (a cell led by its heading on a phone)
    assert "新设市级技能大师工作室，申请" not in html and "新设市级工作室补贴上限" not in html


def test_the_preview_says_which_document_ended_in_the_readers_language(enterprise_user):
    c = _client(enterprise_user)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = c.post(
        "/grants/preview/", {"rule_id": "EDU-BASE", "event_date": "2026-03-01", "recognised": "true"}
    ).content.decode()
    assert 'id="preview-error"' in html
    assert "2026-03-01 is outside this policy&#x27;s period" in html and "expired on 2025-12-31" in html
    assert "没有有效版本" not in html and "EDU-BASE" not in html
