"""The EDU rules read their facts from the schools' records: the facts the engine receives are the
records' facts, each with its provenance; the school's own application on the grants pages gets the
same (fact providers); each record is claimed once; EDU-MAJOR-BUILD's already-funded comes from
payments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.errors import DomainError
from skillcity.grants import flows, outcomes
from skillcity.grants.models import Payment
from skillcity.grants.services.applications import application_create
from skillcity.schools import selectors
from skillcity.schools.models import ClassKind
from skillcity.schools.services import grants as school_grants
from skillcity.schools.services import (
    intl_class_create,
    intl_student_add,
    major_set_demonstration,
    social_report_file,
)
from skillcity.schools.services.rolls import COLUMNS, rolls_import
from tests.factories import WorkerFactory
from tests.schools.conftest import xlsx


@pytest.fixture
def engine_calls(monkeypatch):
    """What the policy engine receives, per rule."""
    seen: list[tuple[str, dict]] = []
    real = outcomes.evaluate

    def spy(rule_id, event_date, facts):
        seen.append((rule_id, dict(facts)))
        return real(rule_id, event_date, facts)

    monkeypatch.setattr(outcomes, "evaluate", spy)
    return seen


@pytest.fixture
def rolls_2024(school, school_user, major):
    content = xlsx(
        [
            list(COLUMNS),
            ["数控技术应用", 1, "中级工班", 100],
            ["数控技术应用", 2, "高级工班", 80],
            ["数控技术应用", 3, "预备技师（技师）班", 20],
            ["数控技术应用", 4, "预备技师（技师）班", 15],
            ["数控技术应用", 1, "高级工班及以上（招收高中毕业生）", 30],
        ]
    )
    assert rolls_import(actor=school_user, school=school, year=2024, filename="r.xlsx", content=content).ok


def test_demo_major_facts_come_from_the_rolls_and_the_engine_receives_them(
    school, school_user, major, bureau_officer, rolls_2024, engine_calls
):
    major_set_demonstration(actor=bureau_officer, major=major, demonstration=True)
    major.refresh_from_db()
    app = school_grants.demo_major_apply(actor=school_user, major=major, year=2024)
    expected = {
        "school_is_private": True,
        "major_is_demonstration": True,
        "students_year1": 130,
        "students_year2": 80,
        "students_year3": 20,
        "excluded_hs_advanced": 30,
    }
    assert engine_calls == [("EDU-DEMO-MAJOR", expected)]
    assert app.facts == expected and set(app.fact_sources) == set(expected)
    assert "在校生名册" in app.fact_sources["students_year1"]
    assert Decimal(app.outcome["amount"]) == Decimal("200") * 200  # (130 + 80 + 20 − 30) × 200
    assert app.organisation == school.organisation and app.state == "in_review"
    with pytest.raises(DomainError) as err:
        school_grants.demo_major_apply(actor=school_user, major=major, year=2024)
    assert err.value.code == "source_already_claimed"
    assert "示范性专业建设经费" in flows.source_label(app.source_key)


def test_a_major_not_selected_is_refused_by_the_engine(school_user, major, rolls_2024):
    with pytest.raises(DomainError) as err:
        school_grants.demo_major_apply(actor=school_user, major=major, year=2024)
    assert err.value.code == "not_eligible" and "未入选示范性专业" in err.value.message


def test_intl_class_counts_the_year_students_and_the_school_application_reads_them(
    school, school_user, major, engine_calls
):
    klass = intl_class_create(actor=school_user, major=major, name="中德班", year=2024, curriculum="AHK")
    for _ in range(3):
        intl_student_add(actor=school_user, intl_class=klass, worker=WorkerFactory())
    app = school_grants.intl_class_apply(actor=school_user, school=school, year=2024, actual_cost="12000")
    assert engine_calls[-1] == (
        "EDU-INTL-CLASS",
        {"international_class_students": 3, "actual_cost": "12000.00"},
    )
    assert app.facts == engine_calls[-1][1] and app.fact_sources["actual_cost"] == "院校填报"
    # the school's own application on the grants pages: the count comes from the records, not the typing
    own = application_create(
        actor=school_user,
        rule_id="EDU-INTL-CLASS",
        event_date=datetime.date(2024, 9, 1),
        facts={"international_class_students": 99},
    )
    assert own.facts["international_class_students"] == 3
    assert engine_calls[-1][1]["international_class_students"] == 3
    assert "国际课程班学生名单" in own.fact_sources["international_class_students"]


def test_major_build_once_already_funded_from_the_payments_ledger(
    school_user, bureau_officer, major, engine_calls
):
    app = school_grants.major_build_apply(actor=school_user, major=major, year=2024, requested="600000")
    assert engine_calls[-1] == (
        "EDU-MAJOR-BUILD",
        {"industry_fit": "strategic_emerging", "already_funded": False, "requested": "600000.00"},
    )
    assert app.requested_amount == Decimal("600000.00")
    assert selectors.major_build_facts(major)[0]["already_funded"] is False
    Payment.objects.create(
        application=app, amount=Decimal("500000"), idempotency_key="t-1", paid_by=bureau_officer
    )
    facts, sources = selectors.major_build_facts(major)
    assert facts["already_funded"] is True and "支付记录" in sources["already_funded"]
    outcome = outcomes.evaluate("EDU-MAJOR-BUILD", datetime.date(2024, 5, 1), {**facts, "requested": "1"})
    assert outcome["eligible"] is False


def test_intl_cert_pays_the_student_from_the_certificate_record(school_user, major, student, engine_calls):
    klass = intl_class_create(actor=school_user, major=major, name="中德班", year=2024, curriculum="AHK")
    s = intl_student_add(actor=school_user, intl_class=klass, worker=student)
    with pytest.raises(DomainError) as err:
        school_grants.intl_cert_apply(actor=school_user, student=s)
    assert err.value.code == "not_eligible"
    from skillcity.schools.services import intl_certificate_record

    s = intl_certificate_record(
        actor=school_user,
        student=s,
        certificate_name="AHK",
        certificate_number="N1",
        certificate_date=datetime.date(2024, 7, 1),
    )
    app = school_grants.intl_cert_apply(actor=school_user, student=s)
    assert app.worker == student and app.facts == {"obtained_international_certificate": True}
    assert engine_calls[-1] == ("EDU-INTL-CERT", app.facts)
    assert (
        flows.provided_facts("EDU-INTL-CERT", student, datetime.date(2024, 8, 1))[
            "obtained_international_certificate"
        ][0]
        is True
    )


def test_social_training_from_the_public_school_report(public_school, public_school_user, engine_calls):
    report = social_report_file(
        actor=public_school_user,
        school=public_school,
        year=2024,
        income=Decimal("500000"),
        costs=Decimal("200000"),
        person_times=3000,
    )
    app = school_grants.social_training_apply(actor=public_school_user, report=report)
    assert engine_calls[-1] == ("EDU-SOCIAL-TRAINING", {"income": "500000.00", "costs": "200000.00"})
    assert app.facts == engine_calls[-1][1] and Decimal(app.outcome["amount"]) == Decimal("180000")
    with pytest.raises(DomainError) as err:
        social_report_file(
            actor=public_school_user,
            school=public_school,
            year=2024,
            income=Decimal("1"),
            costs=Decimal("0"),
            person_times=1,
        )
    assert err.value.code == "report_claimed"
    provided = flows.provided_facts(
        "EDU-SOCIAL-TRAINING", public_school.organisation, datetime.date(2024, 3, 1)
    )
    assert {k: v for k, (v, _src) in provided.items()} == {"income": "500000.00", "costs": "200000.00"}


def test_another_organisation_cannot_apply_for_the_school(major, enterprise_user):
    from skillcity.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        school_grants.major_build_apply(actor=enterprise_user, major=major, year=2024, requested="1")


def test_class_kind_labels_name_the_excluded_classes():
    assert "高中" in str(ClassKind.HS_ADVANCED.label)
