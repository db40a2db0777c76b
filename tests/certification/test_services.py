"""Evaluators, scope, sessions, candidates, results, issue and revocation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from skillcity.certification import numbering, services
from skillcity.certification.models import (
    Candidate,
    Certificate,
    Evaluator,
    EvaluatorKind,
    ExceptionalGrounds,
)
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.registry.models import SkillRecord
from tests.certification.conftest import ISSUE_DATE, certify, make_session
from tests.factories import OrganisationFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def test_it_files_and_approves_an_evaluator_and_assigns_its_number_codes(
    changan_enterprise, lathe, enterprise_user, bureau_officer
):
    filed = services.evaluator_file(
        organisation=changan_enterprise,
        kind=EvaluatorKind.ENTERPRISE,
        scope=[(lathe, 3, 5)],
        actor=enterprise_user,
    )
    assert filed.state == Evaluator.State.FILED and filed.site_serial == ""
    with pytest.raises(PermissionDenied):
        services.evaluator_review(evaluator=filed, decision="approve", note="", actor=enterprise_user)
    active = services.evaluator_review(evaluator=filed, decision="approve", note="", actor=bureau_officer)
    assert active.state == Evaluator.State.ACTIVE
    assert len(active.organisation_code) == 4 and len(active.site_serial) == 6
    assert AuditEvent.objects.filter(action="evaluator.approve", target_id=str(active.pk)).exists()


def test_it_refuses_to_file_for_another_organisation(humen, lathe, enterprise_user):
    other = OrganisationFactory(town=humen)
    with pytest.raises(PermissionDenied):
        services.evaluator_file(
            organisation=other, kind=EvaluatorKind.ENTERPRISE, scope=[(lathe, 3, 5)], actor=enterprise_user
        )


def test_a_returned_filing_needs_a_reason_and_can_be_filed_again(
    changan_enterprise, lathe, enterprise_user, bureau_officer
):
    filed = services.evaluator_file(
        organisation=changan_enterprise,
        kind=EvaluatorKind.ENTERPRISE,
        scope=[(lathe, 3, 5)],
        actor=enterprise_user,
    )
    with pytest.raises(DomainError) as err:
        services.evaluator_review(evaluator=filed, decision="return", note=" ", actor=bureau_officer)
    assert err.value.code == "note_required"
    services.evaluator_review(evaluator=filed, decision="return", note="缺少题库材料", actor=bureau_officer)
    again = services.evaluator_file(
        organisation=changan_enterprise,
        kind=EvaluatorKind.ENTERPRISE,
        scope=[(lathe, 2, 5)],
        actor=enterprise_user,
    )
    assert again.pk == filed.pk and again.state == Evaluator.State.FILED
    assert list(again.scopes.values_list("highest_level", flat=True)) == [2]


def test_it_rejects_a_scope_with_an_inverted_level_band(changan_enterprise, lathe, enterprise_user):
    with pytest.raises(DomainError) as err:
        services.evaluator_file(
            organisation=changan_enterprise,
            kind=EvaluatorKind.ENTERPRISE,
            scope=[(lathe, 5, 3)],
            actor=enterprise_user,
        )
    assert err.value.code == "scope_levels_invalid"


def test_it_refuses_a_session_for_an_occupation_outside_the_scope(evaluator, welder, enterprise_user):
    with pytest.raises(DomainError) as err:
        make_session(evaluator, welder, enterprise_user, level=4)
    assert err.value.code == "outside_scope"
    assert "焊工" in err.value.message and "备案范围不包括" in err.value.message


def test_it_refuses_a_session_at_a_level_outside_the_scope(evaluator, lathe, enterprise_user):
    with pytest.raises(DomainError) as err:
        make_session(evaluator, lathe, enterprise_user, level=1)
    assert err.value.code == "outside_scope"
    assert "车工" in err.value.message and "一级/高级技师" in err.value.message


def test_it_refuses_to_certify_after_the_evaluator_is_suspended(
    evaluator, lathe, changan_worker, enterprise_user, bureau_officer
):
    session = make_session(evaluator, lathe, enterprise_user)
    candidate = services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    services.result_record(candidate=candidate, theory=90, practical=90, actor=enterprise_user)
    services.evaluator_suspend(evaluator=evaluator, reason="抽查发现考务违规", actor=bureau_officer)
    with pytest.raises(DomainError) as err:
        services.certificates_issue(session=session, actor=enterprise_user, issued_on=ISSUE_DATE)
    assert err.value.code == "evaluator_not_active"
    assert not Certificate.objects.exists()


def test_an_enterprise_evaluator_certifies_its_own_employees_only(
    evaluator, lathe, humen_worker, enterprise_user
):
    session = make_session(evaluator, lathe, enterprise_user)
    with pytest.raises(DomainError) as err:
        services.candidate_add(session=session, worker=humen_worker, actor=enterprise_user)
    # Answered as a worker that does not exist: the enterprise learns nothing of another's staff.
    assert err.value.code == "not_found" and err.value.status == 404
    assert humen_worker.name not in str(err.value.message)


def test_another_organisations_user_cannot_act_for_the_evaluator(evaluator, lathe, humen):
    from skillcity.accounts.models import Role
    from tests.factories import UserFactory

    stranger = UserFactory(role=Role.ORGANISATION_USER, organisation=OrganisationFactory(town=humen))
    with pytest.raises(PermissionDenied):
        make_session(evaluator, lathe, stranger)


@pytest.mark.parametrize(
    ("theory", "practical", "result", "overall"),
    [
        ("60", "60", Candidate.Result.PASSED, Decimal("60.0")),
        ("59.5", "95", Candidate.Result.FAILED, Decimal("77.3")),
        ("88", "59.9", Candidate.Result.FAILED, Decimal("74.0")),
        ("100", "71.5", Candidate.Result.PASSED, Decimal("85.8")),
    ],
)
def test_the_pass_rule_needs_both_parts_at_sixty(
    evaluator, lathe, changan_worker, enterprise_user, theory, practical, result, overall
):
    session = make_session(evaluator, lathe, enterprise_user)
    candidate = services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    candidate = services.result_record(
        candidate=candidate, theory=theory, practical=practical, actor=enterprise_user
    )
    assert candidate.result == result and candidate.overall_score == overall


@pytest.mark.parametrize("bad", ["101", "-1", "abc", "70.25", ""])
def test_it_rejects_a_bad_score(evaluator, lathe, changan_worker, enterprise_user, bad):
    session = make_session(evaluator, lathe, enterprise_user)
    candidate = services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    with pytest.raises(DomainError) as err:
        services.result_record(candidate=candidate, theory=bad, practical="80", actor=enterprise_user)
    assert "theory_score" in err.value.fields


def test_promotion_needs_the_next_lower_level_in_the_same_occupation(
    evaluator, lathe, changan_worker, enterprise_user
):
    promotion = make_session(evaluator, lathe, enterprise_user, level=3, kind="promotion")
    with pytest.raises(DomainError) as err:
        services.candidate_add(session=promotion, worker=changan_worker, actor=enterprise_user)
    assert err.value.code == "promotion_step" and "四级/中级工" in err.value.message
    certify(evaluator, lathe, changan_worker, enterprise_user, level=4)
    assert services.candidate_add(session=promotion, worker=changan_worker, actor=enterprise_user)


def test_exceptional_promotion_requires_recorded_grounds_and_skips_the_step(
    evaluator, lathe, changan_worker, enterprise_user
):
    promotion = make_session(evaluator, lathe, enterprise_user, level=2, kind="promotion")
    with pytest.raises(DomainError) as err:
        services.candidate_add(
            session=promotion,
            worker=changan_worker,
            actor=enterprise_user,
            exceptional_grounds=ExceptionalGrounds.PROVINCIAL_AWARD,
            exceptional_note="",
        )
    assert err.value.code == "grounds_note_required"
    candidate = services.candidate_add(
        session=promotion,
        worker=changan_worker,
        actor=enterprise_user,
        exceptional_grounds=ExceptionalGrounds.PROVINCIAL_AWARD,
        exceptional_note="2023年广东省职业技能大赛车工项目一等奖",
    )
    assert candidate.is_exceptional
    services.result_record(candidate=candidate, theory=80, practical=85, actor=enterprise_user)
    (certificate,) = services.certificates_issue(
        session=promotion, actor=enterprise_user, issued_on=ISSUE_DATE
    )
    assert certificate.level == 2


def test_grading_refuses_a_worker_who_already_holds_that_level(
    evaluator, lathe, changan_worker, enterprise_user
):
    certify(evaluator, lathe, changan_worker, enterprise_user, level=4)
    again = make_session(evaluator, lathe, enterprise_user, level=5)
    with pytest.raises(DomainError) as err:
        services.candidate_add(session=again, worker=changan_worker, actor=enterprise_user)
    assert err.value.code == "already_holds_level"


def test_issuing_creates_the_certificate_and_the_skill_record(
    evaluator, lathe, changan_worker, enterprise_user
):
    certificate = certify(evaluator, lathe, changan_worker, enterprise_user, level=3)
    assert numbering.is_valid_number(certificate.number) and len(certificate.number) == 22
    assert certificate.number.startswith(
        "Y" + evaluator.organisation_code + "44" + evaluator.site_serial + "243"
    )
    record = SkillRecord.objects.get(worker=changan_worker, certificate_number=certificate.number)
    assert record.level == 3 and record.occupation == lathe and certificate.skill_record == record
    changan_worker.refresh_from_db()
    assert changan_worker.highest_level == 3
    assert certificate.candidate.session.state == "certified"


def test_it_refuses_to_issue_while_results_are_pending(evaluator, lathe, changan_worker, enterprise_user):
    session = make_session(evaluator, lathe, enterprise_user)
    services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    with pytest.raises(DomainError) as err:
        services.certificates_issue(session=session, actor=enterprise_user, issued_on=ISSUE_DATE)
    assert err.value.code == "results_pending"


def test_failed_candidates_get_no_certificate(evaluator, lathe, changan_enterprise, enterprise_user):
    session = make_session(evaluator, lathe, enterprise_user)
    good, bad = (WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town) for _ in range(2))
    for worker, score in ((good, 70), (bad, 40)):
        candidate = services.candidate_add(session=session, worker=worker, actor=enterprise_user)
        services.result_record(candidate=candidate, theory=score, practical=score, actor=enterprise_user)
    issued = services.certificates_issue(session=session, actor=enterprise_user, issued_on=ISSUE_DATE)
    assert [c.worker for c in issued] == [good]


def test_serials_are_consecutive_and_unique_within_a_prefix(
    evaluator, lathe, changan_enterprise, enterprise_user
):
    numbers = []
    for _ in range(3):
        worker = WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town)
        numbers.append(certify(evaluator, lathe, worker, enterprise_user, level=4).number)
    assert [int(n[-6:]) for n in numbers] == [1, 2, 3]
    assert len({n[:16] for n in numbers}) == 1


def test_revocation_needs_a_reason_keeps_history_and_recomputes_the_level(
    evaluator, lathe, changan_worker, enterprise_user, bureau_officer
):
    fourth = certify(evaluator, lathe, changan_worker, enterprise_user, level=4)
    promotion = make_session(evaluator, lathe, enterprise_user, level=3, kind="promotion")
    candidate = services.candidate_add(session=promotion, worker=changan_worker, actor=enterprise_user)
    services.result_record(candidate=candidate, theory=70, practical=70, actor=enterprise_user)
    (third,) = services.certificates_issue(session=promotion, actor=enterprise_user, issued_on=ISSUE_DATE)
    with pytest.raises(DomainError) as err:
        services.certificate_revoke(certificate=third, reason="", actor=bureau_officer)
    assert err.value.code == "reason_required"
    services.certificate_revoke(certificate=third, reason="考试作弊", actor=bureau_officer)
    third.refresh_from_db()
    changan_worker.refresh_from_db()
    assert third.status == Certificate.Status.REVOKED and third.revoked_reason == "考试作弊"
    assert changan_worker.highest_level == fourth.level == 4
    assert SkillRecord.objects.get(pk=third.skill_record_id).name.startswith("【已撤销】")
    with pytest.raises(Conflict):
        services.certificate_revoke(certificate=third, reason="重复", actor=bureau_officer)


def test_a_worker_cannot_revoke(evaluator, lathe, changan_worker, enterprise_user, worker_user):
    certificate = certify(evaluator, lathe, changan_worker, enterprise_user)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=certificate, reason="x", actor=worker_user)
