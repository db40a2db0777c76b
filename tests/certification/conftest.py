"""Certification fixtures: an active enterprise evaluator of the Changan enterprise, filed for 车工 levels 2–5."""

from __future__ import annotations

import datetime

import pytest

from skillcity.certification import services
from skillcity.certification.models import Certificate, Evaluator, EvaluatorKind, Session
from skillcity.registry.models import Occupation, Worker
from tests.factories import OccupationFactory

SESSION_DATE = datetime.date(2024, 5, 10)
ISSUE_DATE = datetime.date(2024, 6, 1)


@pytest.fixture
def lathe(db) -> Occupation:
    return OccupationFactory(code="6-18-01-01", name="车工")


@pytest.fixture
def welder(db) -> Occupation:
    return OccupationFactory(code="6-18-02-04", name="焊工")


@pytest.fixture
def evaluator(changan_enterprise, lathe, bureau_officer) -> Evaluator:
    filed = services.evaluator_file(
        organisation=changan_enterprise,
        kind=EvaluatorKind.ENTERPRISE,
        scope=[(lathe, 2, 5)],
        actor=bureau_officer,
    )
    return services.evaluator_review(evaluator=filed, decision="approve", note="", actor=bureau_officer)


def make_session(
    evaluator: Evaluator, occupation: Occupation, actor, *, level: int = 4, kind: str = "grading"
) -> Session:
    return services.session_create(
        evaluator=evaluator,
        occupation=occupation,
        level=level,
        kind=kind,
        date=SESSION_DATE,
        site="长安镇考核站",
        actor=actor,
    )


def certify(
    evaluator: Evaluator, occupation: Occupation, worker: Worker, actor, *, level: int = 4
) -> Certificate:
    """A worker through a grading session to a certificate."""
    session = make_session(evaluator, occupation, actor, level=level)
    candidate = services.candidate_add(session=session, worker=worker, actor=actor)
    services.result_record(candidate=candidate, theory="75", practical="80", actor=actor)
    (certificate,) = services.certificates_issue(session=session, actor=actor, issued_on=ISSUE_DATE)
    return certificate
