"""A Changan institution's lathe project (tests/training), an evaluator (tests/certification)."""

from __future__ import annotations

import datetime

from skillcity.certification import services as certification
from skillcity.training import services as training
from tests.certification.conftest import evaluator  # noqa: F401
from tests.training.conftest import institution, lathe, project, training_class, welder  # noqa: F401


def enrol_and_complete(in_class, worker, *, completed_on=datetime.date(2025, 5, 31), passed=True):
    enrolment = training.enrolment_create(
        training_class=in_class, worker=worker, enrolled_on=datetime.date(2025, 2, 1), actor="test"
    )
    return training.enrolment_complete(
        enrolment=enrolment,
        completed_on=completed_on,
        passed=passed,
        assessment_score=None,
        certified_level=None,
        actor="test",
    )


def certify_on(by, occupation, worker, actor, issued_on, *, level=4):
    session = certification.session_create(
        evaluator=by,
        occupation=occupation,
        level=level,
        kind="grading",
        date=issued_on - datetime.timedelta(days=10),
        site="长安镇考核站",
        actor=actor,
    )
    candidate = certification.candidate_add(session=session, worker=worker, actor=actor)
    certification.result_record(candidate=candidate, theory="75", practical="80", actor=actor)
    (certificate,) = certification.certificates_issue(session=session, actor=actor, issued_on=issued_on)
    return certificate
