"""Master studios (issue 17 §1): every transition and refusal, the money through grants (new_city capped
at 500,000; provincial and national once each), facts from records equal to what the engine receives,
and the lead's talent-card basis (read from open studios, rechecked when a studio fails or closes)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.grants import outcomes
from skillcity.grants.flows import provided_facts, source_label
from skillcity.grants.models import Application
from skillcity.platforms.models import Studio, StudioReport, StudioState, StudioUpgrade
from skillcity.platforms.selectors import studios as selectors
from skillcity.platforms.services import studios as services
from skillcity.talents.models import TalentCard
from skillcity.talents.selectors.cards import card_eligibility
from skillcity.talents.services import cards
from skillcity.talents.services.leading import applicant_records
from tests.factories import UserFactory, WorkerFactory
from tests.platforms.studios_setup import RECOGNISED_ON, applied, pay, recognised, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def test_an_enterprise_applies_for_its_high_skilled_worker_with_an_audit_row(w):
    studio = applied(w)
    assert studio.state == StudioState.SUBMITTED and studio.organisation == w["enterprise"]
    assert AuditEvent.objects.filter(action="platforms.studio.apply", target_id=str(studio.pk)).exists()


def test_the_application_refuses_a_lead_not_high_skilled_not_employed_or_already_leading(w):
    low = WorkerFactory(town=w["town"], employer=w["enterprise"], highest_level=4, name="李中级")
    with pytest.raises(DomainError) as exc:
        services.studio_apply(actor=w["unit"], lead=low, name="甲", occupation="车工", summary="x")
    assert "高技能人才" in exc.value.fields["lead"] and "四级/中级工" in exc.value.fields["lead"]
    stranger = WorkerFactory(town=w["town"], highest_level=1)
    with pytest.raises(DomainError) as exc:
        services.studio_apply(actor=w["unit"], lead=stranger, name="乙", occupation="车工", summary="x")
    assert "本单位" in exc.value.fields["lead"]
    applied(w)
    with pytest.raises(DomainError) as exc:
        applied(w)
    assert "已领办或申报" in exc.value.fields["lead"]
    with pytest.raises(DomainError) as exc:
        services.studio_apply(actor=w["unit"], lead=w["lead"], name="", occupation="", summary="")
    assert {"name", "occupation", "summary"} <= set(exc.value.fields)


def test_only_the_enterprise_or_the_bureau_applies(w):
    worker_user = UserFactory(role="worker", worker=w["lead"])
    with pytest.raises(PermissionDenied):
        services.studio_apply(actor=worker_user, lead=w["lead"], name="甲", occupation="车工", summary="x")
    # Another enterprise files for its own organisation: a worker of another is refused.
    with pytest.raises(DomainError):
        services.studio_apply(
            actor=w["other_unit"], lead=w["lead"], name="甲", occupation="车工", summary="x"
        )


def test_review_passes_or_rejects_with_a_reason_and_only_the_bureau_reviews(w):
    studio = applied(w)
    with pytest.raises(PermissionDenied):
        services.studio_review(actor=w["unit"], studio=studio, passed=True)
    with pytest.raises(DomainError) as exc:
        services.studio_review(actor=w["bureau"], studio=studio, passed=False, note="")
    assert "note" in exc.value.fields
    studio = services.studio_review(actor=w["bureau"], studio=studio, passed=False, note="场地不足")
    assert studio.state == StudioState.REJECTED and studio.review_note == "场地不足"
    with pytest.raises(Conflict) as conflict:
        services.studio_review(actor=w["bureau"], studio=studio, passed=True)
    assert "审查未通过" in conflict.value.message
    # A rejected application does not block the lead's next one.
    assert applied(w).state == StudioState.SUBMITTED


def test_recognition_opens_the_studio_and_applies_for_plt_studio_from_the_record(w):
    studio, grant = recognised(w, amount="400000")
    assert studio.state == StudioState.RECOGNISED and studio.level == "city"
    assert studio.recognised_on == RECOGNISED_ON and studio.approved_amount == Decimal("400000.00")
    assert grant.rule_id == "PLT-STUDIO" and grant.organisation == w["enterprise"]
    assert grant.source_key == f"platforms.studios.{studio.pk}:new_city"
    assert grant.state == "in_review" and grant.requested_amount == Decimal("400000.00")
    # Facts from records equal what the engine receives.
    assert grant.facts == {"recognition": "new_city", "requested": "400000.00"}
    assert set(grant.fact_sources) == {"recognition", "requested"}
    assert "长安精密模具技能大师工作室" in grant.fact_sources["recognition"]
    assert grant.outcome == outcomes.evaluate("PLT-STUDIO", RECOGNISED_ON, dict(grant.facts))
    assert grant.outcome["amount"] == "400000.00"
    assert "长安精密模具技能大师工作室" in source_label(grant.source_key)
    assert "新设市级工作室补贴" in source_label(grant.source_key)


def test_recognition_refuses_more_than_500000_a_wrong_state_and_a_day_out_of_force(w):
    studio = applied(w)
    with pytest.raises(Conflict):
        services.studio_recognise(
            actor=w["bureau"], studio=studio, amount="100000", recognised_on=RECOGNISED_ON
        )
    studio = services.studio_review(actor=w["bureau"], studio=studio, passed=True)
    with pytest.raises(DomainError) as exc:
        services.studio_recognise(
            actor=w["bureau"], studio=studio, amount="500000.01", recognised_on=RECOGNISED_ON
        )
    assert "500,000.00" in exc.value.fields["amount"]
    with pytest.raises(DomainError) as exc:
        services.studio_recognise(actor=w["bureau"], studio=studio, amount="abc", recognised_on=RECOGNISED_ON)
    assert "amount" in exc.value.fields
    with pytest.raises(DomainError) as exc:
        services.studio_recognise(
            actor=w["bureau"], studio=studio, amount="100000", recognised_on=datetime.date(2021, 6, 1)
        )
    assert "recognised_on" in exc.value.fields
    studio.refresh_from_db()
    assert studio.state == StudioState.REVIEWED and not Application.objects.exists()
    _s, grant = services.studio_recognise(
        actor=w["bureau"], studio=studio, amount="500000", recognised_on=RECOGNISED_ON
    )
    assert grant.outcome["amount"] == "500000.00"


def test_the_new_city_grant_is_paid_once_through_grants(w):
    studio, grant = recognised(w, amount="300000")
    paid = pay(w, grant)
    assert paid.state == "paid" and paid.payment.amount == Decimal("300000.00")
    row = selectors.grant_rows(studio)[0]
    assert row["kind"] == "new_city" and row["application"].state == "paid"


def test_upgrades_pay_200000_and_300000_once_each(w):
    studio, _grant = recognised(w)
    _upgrade, provincial = services.studio_upgrade(
        actor=w["bureau"],
        studio=studio,
        level="provincial",
        recognised_on=datetime.date(2024, 9, 1),
        document="粤人社函〔2024〕1号",
    )
    assert provincial.outcome["amount"] == "200000.00" and provincial.facts == {"recognition": "provincial"}
    assert Studio.objects.get(pk=studio.pk).level == "provincial"
    paid = pay(w, provincial, notice_on=datetime.date(2024, 9, 2))
    assert paid.state == "paid" and paid.payment.amount == Decimal("200000.00")
    with pytest.raises(Conflict) as again:
        services.studio_upgrade(
            actor=w["bureau"],
            studio=studio,
            level="provincial",
            recognised_on=datetime.date(2024, 10, 1),
            document="重复",
        )
    assert "只能给予一次" in again.value.message
    _u, national = services.studio_upgrade(
        actor=w["bureau"],
        studio=studio,
        level="national",
        recognised_on=datetime.date(2025, 5, 1),
        document="人社部函",
    )
    assert national.outcome["amount"] == "300000.00"
    assert StudioUpgrade.objects.filter(studio=studio).count() == 2
    assert Studio.objects.get(pk=studio.pk).level == "national"
    assert Application.objects.filter(source_key__startswith=f"platforms.studios.{studio.pk}:").count() == 3


def test_upgrade_refusals(w):
    studio = applied(w)
    with pytest.raises(Conflict):
        services.studio_upgrade(actor=w["bureau"], studio=studio, level="provincial", document="x")
    studio, _g = recognised(WorldNext.make(w))
    with pytest.raises(DomainError) as exc:
        services.studio_upgrade(actor=w["bureau"], studio=studio, level="city", document="x")
    assert "level" in exc.value.fields
    with pytest.raises(DomainError) as exc:
        services.studio_upgrade(actor=w["bureau"], studio=studio, level="provincial", document="")
    assert "document" in exc.value.fields
    with pytest.raises(DomainError) as exc:
        services.studio_upgrade(
            actor=w["bureau"],
            studio=studio,
            level="provincial",
            document="x",
            recognised_on=datetime.date(2023, 1, 1),
        )
    assert "recognised_on" in exc.value.fields
    with pytest.raises(PermissionDenied):
        services.studio_upgrade(actor=w["unit"], studio=studio, level="provincial", document="x")


class WorldNext:
    """A second lead at the same enterprise (the first one's application stands)."""

    @staticmethod
    def make(w):
        w2 = dict(w)
        w2["lead"] = WorkerFactory(town=w["town"], employer=w["enterprise"], highest_level=3, name="王高级")
        return w2


def test_a_yearly_report_names_registry_apprentices_and_is_once_a_year(w):
    studio, _g = recognised(w)
    apprentices = [WorkerFactory(town=w["town"], employer=w["enterprise"]) for _ in range(3)]
    numbers = "\n".join(a.id_number for a in apprentices)
    found = services.apprentices_from_numbers(numbers + "\n" + apprentices[0].id_number)
    assert found == apprentices
    with pytest.raises(DomainError) as exc:
        services.apprentices_from_numbers(numbers + "\n110101199001011234")
    assert "不在人才登记库" in exc.value.fields["apprentices"]
    report = services.report_submit(
        actor=w["unit"],
        studio=studio,
        year=2024,
        apprentices=found,
        results="攻关2项",
        results_count=2,
        courses="模具课",
        courses_count=1,
    )
    assert report.apprentices.count() == 3 and report.result == "pending"
    with pytest.raises(Conflict):
        services.report_submit(
            actor=w["unit"], studio=studio, year=2024, apprentices=[], results="x", results_count=0
        )
    with pytest.raises(DomainError) as exc:
        services.report_submit(
            actor=w["unit"], studio=studio, year=2023, apprentices=[w["lead"]], results="", results_count=-1
        )
    assert {"year", "results", "apprentices"} <= set(exc.value.fields)
    with pytest.raises(PermissionDenied):
        services.report_submit(
            actor=w["other_unit"], studio=studio, year=2025, apprentices=[], results="x", results_count=0
        )


def test_a_report_is_refused_before_recognition(w):
    studio = applied(w)
    with pytest.raises(Conflict):
        services.report_submit(
            actor=w["unit"], studio=studio, year=2024, apprentices=[], results="x", results_count=0
        )


def test_a_passed_evaluation_keeps_the_studio_and_is_recorded_once(w):
    studio, _g = recognised(w)
    report = services.report_submit(
        actor=w["unit"], studio=studio, year=2024, apprentices=[], results="x", results_count=1
    )
    with pytest.raises(PermissionDenied):
        services.report_evaluate(actor=w["unit"], report=report, passed=True, reasons="")
    report = services.report_evaluate(actor=w["bureau"], report=report, passed=True, reasons="成效明显")
    assert report.result == "passed"
    assert Studio.objects.get(pk=studio.pk).state == StudioState.RECOGNISED
    with pytest.raises(Conflict):
        services.report_evaluate(actor=w["bureau"], report=report, passed=False, reasons="x")


def test_a_failed_evaluation_needs_reasons_revokes_the_studio_and_rechecks_the_leads_card(w):
    studio, _g = recognised(w)
    lead_user = UserFactory(role="worker", worker=w["lead"])
    w["lead"].highest_level = 3  # only the studio makes the lead eligible for the card
    w["lead"].save()
    assert card_eligibility(w["lead"]).eligible
    card = cards.card_apply(worker=w["lead"], actor=lead_user)
    report = services.report_submit(
        actor=w["unit"], studio=studio, year=2024, apprentices=[], results="x", results_count=0
    )
    with pytest.raises(DomainError) as exc:
        services.report_evaluate(actor=w["bureau"], report=report, passed=False, reasons="")
    assert "reasons" in exc.value.fields
    services.report_evaluate(actor=w["bureau"], report=report, passed=False, reasons="未开展带徒")
    studio.refresh_from_db()
    assert studio.state == StudioState.FAILED and "未开展带徒" in studio.end_reason and studio.ended_on
    assert StudioReport.objects.get(pk=report.pk).result == "failed"
    card.refresh_from_db()
    assert card.status == TalentCard.Status.REVOKED and "未开展带徒" in card.revoked_reason
    assert AuditEvent.objects.filter(action="platforms.studio.fail", target_id=str(studio.pk)).exists()
    assert provided_facts("TAL-CARD", w["lead"], datetime.date(2025, 1, 1))["studio_lead_level"][0] is None


def test_closing_records_the_reason_and_rechecks_the_card(w):
    studio, _g = recognised(w)
    with pytest.raises(DomainError) as exc:
        services.studio_close(actor=w["bureau"], studio=studio, reason=" ")
    assert "reason" in exc.value.fields
    with pytest.raises(PermissionDenied):
        services.studio_close(actor=w["unit"], studio=studio, reason="企业搬迁")
    studio = services.studio_close(
        actor=w["bureau"], studio=studio, reason="企业搬迁", ended_on=datetime.date(2025, 6, 1)
    )
    assert studio.state == StudioState.CLOSED and studio.end_reason == "企业搬迁"
    with pytest.raises(Conflict):
        services.studio_close(actor=w["bureau"], studio=studio, reason="again")
    assert not selectors.public_studios().exists()


def test_the_talent_card_reads_open_studios_highest_level_first_naming_the_studio(w):
    assert provided_facts("TAL-CARD", w["lead"], datetime.date(2025, 1, 1))["studio_lead_level"][0] is None
    studio, _g = recognised(w)
    level, provenance = provided_facts("TAL-CARD", w["lead"], datetime.date(2025, 1, 1))["studio_lead_level"]
    assert level == "city" and "长安精密模具技能大师工作室" in provenance
    # Before recognition it was not a basis.
    assert provided_facts("TAL-CARD", w["lead"], datetime.date(2024, 2, 1))["studio_lead_level"][0] is None
    services.studio_upgrade(
        actor=w["bureau"],
        studio=studio,
        level="national",
        recognised_on=datetime.date(2025, 2, 1),
        document="x",
    )
    assert provided_facts("TAL-CARD", w["lead"], datetime.date(2025, 1, 1))["studio_lead_level"][0] == "city"
    assert (
        provided_facts("TAL-CARD", w["lead"], datetime.date(2025, 3, 1))["studio_lead_level"][0] == "national"
    )
    rows = [r for r in applicant_records(w["lead"]) if r["kind"] == "studio"]
    assert rows and rows[0]["code"] == "national"


def test_progress_counts_new_studios_per_year_against_t_studios(w):
    recognised(w, day=datetime.date(2024, 3, 1))
    p = selectors.progress(until=services.today().year)
    row = next(y for y in p.years if y.year == 2024)
    assert row.recognised == 1 and row.applications == 0
    assert next(y for y in p.years if y.year == services.today().year).applications == 1
    assert p.total == 1 and p.target_total == 200 and p.per_year == 50 and not row.met
    assert p.open_by_level["city"] == 1


def test_an_organisation_user_sees_only_its_own_studios(w):
    studio, _g = recognised(w)
    assert list(selectors.studios_for(w["unit"])) == [studio]
    assert not selectors.studios_for(w["other_unit"]).exists()
    assert list(selectors.studios_for(w["bureau"])) == [studio]
