"""Exceptional promotion: grounds and evidence, review, then a promotion session above the current level;
the candidate (and so the certificate) records the grounds."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skillcity.certification import services as certification
from skillcity.certification.models import EvaluatorKind, ExceptionalGrounds
from skillcity.core.errors import DomainError
from skillcity.talents.models import ExceptionalState
from skillcity.talents.services import exceptional
from tests.factories import OccupationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lathe(db):
    return OccupationFactory(code="6-18-01-01", name="车工")


@pytest.fixture
def evaluator(changan_enterprise, lathe, bureau_officer):
    filed = certification.evaluator_file(
        organisation=changan_enterprise,
        kind=EvaluatorKind.ENTERPRISE,
        scope=[(lathe, 1, 5)],
        actor=bureau_officer,
    )
    return certification.evaluator_review(evaluator=filed, decision="approve", note="", actor=bureau_officer)


def _session(evaluator, lathe, bureau_officer, level, kind="promotion"):
    return certification.session_create(
        evaluator=evaluator,
        occupation=lathe,
        level=level,
        kind=kind,
        date=datetime.date(2025, 6, 1),
        site="长安镇考核站",
        actor=bureau_officer,
    )


def _proof():
    return SimpleUploadedFile("award.pdf", b"%PDF-1.4 award", content_type="application/pdf")


def test_an_admitted_worker_goes_into_a_session_above_their_level_with_the_grounds_recorded(
    worker_user, bureau_officer, evaluator, lathe, changan_worker
):
    # 四级 held: the normal step is 三级; the grounds let them sit 二级 (技师).
    grading = _session(evaluator, lathe, bureau_officer, 4, kind="grading")
    c = certification.candidate_add(session=grading, worker=changan_worker, actor=bureau_officer)
    certification.result_record(candidate=c, theory="80", practical="80", actor=bureau_officer)
    certification.certificates_issue(
        session=grading, actor=bureau_officer, issued_on=datetime.date(2025, 6, 5)
    )
    app = exceptional.exceptional_apply(
        actor=worker_user,
        occupation=lathe,
        target_level=2,
        grounds=ExceptionalGrounds.MAJOR_TECHNICAL_PROBLEM,
        statement="解决了五轴加工中心主轴振动难题",
        uploads=[_proof()],
    )
    assert app.current_level == 4 and app.evidence.count() == 1
    session = _session(evaluator, lathe, bureau_officer, 2)
    with pytest.raises(DomainError):
        exceptional.exceptional_place(actor=bureau_officer, application=app, session=session)  # not reviewed
    exceptional.exceptional_review(actor=bureau_officer, application=app, admit=True, note="材料属实")
    wrong_level = _session(evaluator, lathe, bureau_officer, 3)
    with pytest.raises(DomainError) as wrong:
        exceptional.exceptional_place(actor=bureau_officer, application=app, session=wrong_level)
    assert "session" in wrong.value.fields
    placed = exceptional.exceptional_place(actor=bureau_officer, application=app, session=session)
    assert placed.state == ExceptionalState.PLACED
    candidate = placed.candidate
    assert (
        candidate.session == session
        and candidate.exceptional_grounds == ExceptionalGrounds.MAJOR_TECHNICAL_PROBLEM
    )
    assert f"破格晋升申请第{app.pk}号" in candidate.exceptional_note
    certification.result_record(candidate=candidate, theory="90", practical="92", actor=bureau_officer)
    (certificate,) = certification.certificates_issue(
        session=session, actor=bureau_officer, issued_on=datetime.date(2025, 7, 1)
    )
    assert certificate.level == 2 and certificate.candidate.is_exceptional


def test_the_application_needs_grounds_evidence_and_a_higher_level(worker_user, lathe):
    with pytest.raises(DomainError) as bad:
        exceptional.exceptional_apply(
            actor=worker_user, occupation=lathe, target_level=5, grounds="luck", statement="", uploads=[]
        )
    assert set(bad.value.fields) == {"grounds", "statement", "target_level", "evidence"}


def test_a_refusal_needs_its_reason_and_ends_the_application(worker_user, bureau_officer, lathe):
    app = exceptional.exceptional_apply(
        actor=worker_user,
        occupation=lathe,
        target_level=3,
        grounds=ExceptionalGrounds.OUTSTANDING_MENTORING,
        statement="带徒12名",
        uploads=[_proof()],
    )
    with pytest.raises(DomainError):
        exceptional.exceptional_review(actor=bureau_officer, application=app, admit=False, note="")
    refused = exceptional.exceptional_review(
        actor=bureau_officer, application=app, admit=False, note="带徒业绩证明不足"
    )
    assert refused.state == ExceptionalState.REFUSED
    with pytest.raises(DomainError):
        exceptional.exceptional_review(actor=bureau_officer, application=app, admit=True, note="x")
