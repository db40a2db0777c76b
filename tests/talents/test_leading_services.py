"""Leading talents: records attached, the title route, panel conflicts refused, the living subsidy's
bounds, the notice before recognition, the home-purchase bounds, the employer cap from the ledger."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skillcity.core.errors import DomainError
from skillcity.grants import services as grants
from skillcity.grants.models import ApplicationState, Payment
from skillcity.registry.models import SkillRecord
from skillcity.talents.models import LeadingState, TitleRoute
from skillcity.talents.services import leading
from tests.factories import UserFactory, WorkerFactory
from tests.talents.leading_helpers import DAY, NOTICE_OVER, call, expert, finance, funds, to_recognition

pytestmark = pytest.mark.django_db


def _pdf(name: str = "proof.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 proof", content_type="application/pdf")


@pytest.fixture
def setup(bureau_officer, worker_user, changan_worker):
    funds(bureau_officer)
    SkillRecord.objects.create(
        worker=changan_worker,
        kind=SkillRecord.Kind.HONOUR,
        honour=SkillRecord.Honour.NATIONAL_TECHNICAL_EXPERT,
        obtained_on=datetime.date(2021, 5, 1),
    )
    return call(bureau_officer)


def test_a_worker_applies_with_records_attached_and_the_title_route(setup, worker_user):
    app = leading.application_submit(
        actor=worker_user, call=setup, grounds="二十年数控加工", uploads=[_pdf()], day=DAY
    )
    assert [r["label"] for r in app.records] == ["全国技术能手"]
    assert app.route == TitleRoute.CLASS1
    assert app.evidence.count() == 1 and app.unit == worker_user.worker.employer and not app.by_unit
    with pytest.raises(DomainError) as refused:
        leading.application_submit(actor=worker_user, call=setup, grounds="再次", day=DAY)
    assert refused.value.code == "already_applied"


def test_outside_the_call_dates_is_refused(setup, worker_user):
    with pytest.raises(DomainError) as refused:
        leading.application_submit(actor=worker_user, call=setup, grounds="x", day=datetime.date(2025, 4, 2))
    assert refused.value.code == "call_closed"


def test_a_unit_applies_only_for_its_own_worker(setup, enterprise_user, changan_worker, humen_worker):
    app = leading.application_submit(
        actor=enterprise_user, call=setup, worker=changan_worker, grounds="引进", introduced_on=DAY, day=DAY
    )
    assert app.by_unit and app.introduced_on == DAY
    with pytest.raises(DomainError) as refused:
        leading.application_submit(
            actor=enterprise_user, call=setup, worker=humen_worker, grounds="x", day=DAY
        )
    assert refused.value.code == "not_employee"


def test_a_panel_member_from_the_applicants_unit_is_refused_with_the_reason(
    setup, bureau_officer, worker_user, changan_enterprise, changan
):
    app = leading.application_submit(actor=worker_user, call=setup, grounds="g", day=DAY)
    leading.formal_check(actor=bureau_officer, application=app, passed=True)
    colleague = WorkerFactory(town=changan, employer=changan_enterprise, name="同事")
    UserFactory(username="colleague", role="worker", worker=colleague)  # a member scores signed in
    member = leading.panel_member_add(actor=bureau_officer, call=setup, worker=colleague)
    with pytest.raises(DomainError) as refused:
        leading.assign(actor=bureau_officer, application=app, member=member)
    assert refused.value.code == "panel_conflict"
    assert "同事" in str(refused.value.message) and changan_enterprise.name in str(refused.value.message)
    himself = leading.panel_member_add(actor=bureau_officer, call=setup, worker=worker_user.worker)
    with pytest.raises(DomainError) as own:
        leading.assign(actor=bureau_officer, application=app, member=himself)
    assert own.value.code == "panel_conflict"
    assert not app.assignments.exists()


def test_scores_are_per_member_per_criterion_within_the_maximum_and_once(
    setup, bureau_officer, worker_user, changan
):
    app = leading.application_submit(actor=worker_user, call=setup, grounds="g", day=DAY)
    leading.formal_check(actor=bureau_officer, application=app, passed=True)
    ew, eu = expert(changan)
    assignment = leading.assign(
        actor=bureau_officer,
        application=app,
        member=leading.panel_member_add(actor=bureau_officer, call=setup, worker=ew),
    )
    with pytest.raises(DomainError) as bad:
        leading.scores_submit(actor=eu, assignment=assignment, points={"skill": "31", "contribution": "1"})
    assert set(bad.value.fields) == {"skill", "honours", "mentoring"}
    with pytest.raises(DomainError):
        leading.scores_submit(actor=worker_user, assignment=assignment, points={})
    leading.scores_submit(
        actor=eu,
        assignment=assignment,
        points={"skill": "30", "contribution": "20", "honours": "10", "mentoring": "5"},
    )
    assert leading.average_score(app) == Decimal("65.0")
    with pytest.raises(DomainError) as again:
        leading.scores_submit(
            actor=eu,
            assignment=assignment,
            points={"skill": "1", "contribution": "1", "honours": "1", "mentoring": "1"},
        )
    assert again.value.code == "already_scored"


def test_the_living_subsidy_is_held_within_its_range_and_recognition_waits_for_the_notice(
    setup, bureau_officer, worker_user, changan
):
    app = leading.application_submit(actor=worker_user, call=setup, grounds="g", day=DAY)
    leading.formal_check(actor=bureau_officer, application=app, passed=True)
    ew, eu = expert(changan)
    a = leading.assign(
        actor=bureau_officer,
        application=app,
        member=leading.panel_member_add(actor=bureau_officer, call=setup, worker=ew),
    )
    leading.scores_submit(
        actor=eu, assignment=a, points={"skill": "1", "contribution": "1", "honours": "1", "mentoring": "1"}
    )
    for amount in ("149999.99", "300000.01"):
        with pytest.raises(DomainError) as out:
            leading.shortlist(actor=bureau_officer, application=app, living_amount=Decimal(amount), day=DAY)
        assert out.value.code == "amount_out_of_bounds"
    leading.shortlist(actor=bureau_officer, application=app, living_amount=Decimal("300000"), day=DAY)
    grant = leading.living_application(app)
    assert grant.state == ApplicationState.IN_NOTICE and grant.decided_amount == Decimal("300000.00")
    with pytest.raises(DomainError) as running:
        leading.recognise(actor=bureau_officer, application=app, day=DAY)
    assert running.value.code == "notice_running"
    recognition = leading.recognise(actor=bureau_officer, application=app, day=NOTICE_OVER)
    app.refresh_from_db()
    assert app.state == LeadingState.RECOGNISED and recognition.number == "LJ-2025-001"
    assert recognition.honour.honour == SkillRecord.Honour.DONGGUAN_LEADING_TALENT
    grant.refresh_from_db()
    assert grant.state == ApplicationState.APPROVED


def test_the_home_purchase_subsidy_is_held_within_its_range_on_proof(
    setup, bureau_officer, worker_user, changan
):
    ew, eu = expert(changan)
    app = leading.application_submit(actor=worker_user, call=setup, grounds="g", day=DAY)
    recognition = to_recognition(bureau_officer, setup, app, ew, eu)
    for amount in ("999999.99", "6000000.01"):
        with pytest.raises(DomainError) as out:
            leading.home_purchase_claim(
                actor=worker_user, recognition=recognition, requested=amount, proof=_pdf(), day=NOTICE_OVER
            )
        assert "requested" in out.value.fields
    with pytest.raises(DomainError) as no_proof:
        leading.home_purchase_claim(
            actor=worker_user, recognition=recognition, requested="2000000", proof=None
        )
    assert no_proof.value.code == "proof_required"
    grant = leading.home_purchase_claim(
        actor=worker_user, recognition=recognition, requested="2000000", proof=_pdf(), day=NOTICE_OVER
    )
    assert grant.state == ApplicationState.IN_REVIEW and grant.facts["item"] == "home_purchase"
    grant.refresh_from_db()
    assert grant.requested_amount == Decimal("2000000.00")
    with pytest.raises(DomainError) as decided_out:
        grants.application_review_pass(application=grant, actor=bureau_officer, amount=Decimal("6500000"))
    assert decided_out.value.code == "amount_out_of_bounds"


def test_the_employer_cap_counts_this_years_payments_from_the_ledger(
    setup, bureau_officer, enterprise_user, changan_enterprise, changan
):
    pay = finance()
    recognitions = []
    for name in ("引进甲", "引进乙"):
        w = WorkerFactory(town=changan, employer=changan_enterprise, name=name)
        app = leading.application_submit(
            actor=enterprise_user, call=setup, worker=w, grounds="引进", introduced_on=DAY, day=DAY
        )
        ew, eu = expert(changan, f"专家{name}")
        recognitions.append(to_recognition(bureau_officer, setup, app, ew, eu))
    first = leading.employer_reward_claim(
        actor=enterprise_user, recognition=recognitions[0], requested="700000", day=NOTICE_OVER
    )
    assert first.facts["already_received_this_year"] == "0.00"
    grants.application_review_pass(application=first, actor=bureau_officer)
    grants.notice_start(application=first, actor=bureau_officer, start=NOTICE_OVER)
    grants.application_approve(application=first, actor=bureau_officer, today=datetime.date(2025, 5, 30))
    grants.payment_make(application=first, actor=pay, idempotency_key="emp-1")
    second = leading.employer_reward_claim(
        actor=enterprise_user, recognition=recognitions[1], requested="500000", day=NOTICE_OVER
    )
    assert second.facts["already_received_this_year"] == "700000.00"
    assert second.outcome["amount"] == "300000.00"
    with pytest.raises(DomainError) as over:
        grants.application_review_pass(application=second, actor=bureau_officer, amount=Decimal("500000"))
    assert over.value.code == "amount_out_of_bounds"
    assert Payment.objects.filter(application__rule_id="TAL-LEADING-EMPLOYER").count() == 1


def test_only_an_introducing_unit_gets_the_reward(setup, bureau_officer, worker_user, changan):
    ew, eu = expert(changan)
    app = leading.application_submit(actor=worker_user, call=setup, grounds="g", day=DAY)
    recognition = to_recognition(bureau_officer, setup, app, ew, eu)
    with pytest.raises(DomainError) as refused:
        leading.employer_reward_claim(actor=bureau_officer, recognition=recognition, requested="1")
    assert refused.value.code == "not_introduced"


def test_the_quota_holds(bureau_officer, changan, changan_enterprise):
    funds(bureau_officer)
    c = call(bureau_officer, quota=1)
    apps = []
    for name in ("甲", "乙"):
        w = WorkerFactory(town=changan, employer=changan_enterprise, name=name)
        u = UserFactory(username=f"w{w.pk}", role="worker", worker=w)
        apps.append(leading.application_submit(actor=u, call=c, grounds="g", day=DAY))
    ew, eu = expert(changan)
    member = leading.panel_member_add(actor=bureau_officer, call=c, worker=ew)
    for app in apps:
        leading.formal_check(actor=bureau_officer, application=app, passed=True)
        a = leading.assign(actor=bureau_officer, application=app, member=member)
        leading.scores_submit(
            actor=eu,
            assignment=a,
            points={"skill": "1", "contribution": "1", "honours": "1", "mentoring": "1"},
        )
    leading.shortlist(actor=bureau_officer, application=apps[0], living_amount=Decimal("150000"), day=DAY)
    with pytest.raises(DomainError) as full:
        leading.shortlist(actor=bureau_officer, application=apps[1], living_amount=Decimal("150000"), day=DAY)
    assert full.value.code == "quota_full"
