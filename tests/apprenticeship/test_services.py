"""The apprenticeship's rules (D001 三(三)3): contract and registration at least a year, a
non-full-time registration, an enterprise mentor of the enterprise; a 校企双制 class's rosters kept in
step; the assessment through a certification session and its certificate read back; every write audited."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from skillcity.apprenticeship.models import Apprenticeship, Status
from skillcity.apprenticeship.registrations import apprenticeship_events
from skillcity.apprenticeship.selectors import statistics
from skillcity.apprenticeship.services import (
    apprenticeship_assess,
    apprenticeship_enrol,
    apprenticeship_leave,
    one_year_after,
    progress_record,
)
from skillcity.certification import services as cert
from skillcity.certification.models import EvaluatorKind
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.registry.models import Worker
from skillcity.timeline.sources import SOURCES
from tests.apprenticeship.conftest import change
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def refused(terms, worker, enterprise, actor) -> dict[str, str]:
    with pytest.raises(DomainError) as exc:
        apprenticeship_enrol(worker=worker, enterprise=enterprise, terms=terms, actor=actor)
    return {k: str(v) for k, v in exc.value.fields.items()}


def test_an_enterprise_enrols_its_employee_and_the_write_is_audited(apprenticeship, changan_worker):
    assert apprenticeship.worker == changan_worker
    assert apprenticeship_for_status(apprenticeship) == Status.TRAINING
    assert AuditEvent.objects.filter(action="apprenticeship.enrol", target_id=str(apprenticeship.pk)).exists()


def apprenticeship_for_status(a: Apprenticeship) -> str:
    from skillcity.apprenticeship.selectors import with_status

    return with_status(Apprenticeship.objects.filter(pk=a.pk)).get().status  # type: ignore[attr-defined]


def test_it_refuses_a_contract_under_one_year(terms, changan_worker, changan_enterprise, enterprise_user):
    short = change(terms, contract_end=one_year_after(terms.contract_start) - datetime.timedelta(days=1))
    errors = refused(short, changan_worker, changan_enterprise, enterprise_user)
    assert (
        list(errors) == ["contract_end"]
        and "学徒合同" in errors["contract_end"]
        and "1年" in errors["contract_end"]
    )
    exactly = change(terms, contract_end=one_year_after(terms.contract_start))
    assert apprenticeship_enrol(
        worker=changan_worker, enterprise=changan_enterprise, terms=exactly, actor=enterprise_user
    )


def test_it_refuses_a_full_time_registration(terms, changan_worker, changan_enterprise, enterprise_user):
    errors = refused(
        change(terms, study_mode="full_time"), changan_worker, changan_enterprise, enterprise_user
    )
    assert (
        list(errors) == ["study_mode"]
        and "学习形式" in errors["study_mode"]
        and "非全日制" in errors["study_mode"]
    )


def test_it_refuses_a_registration_under_one_year(terms, changan_worker, changan_enterprise, enterprise_user):
    short = change(terms, registration_end=terms.registration_start + datetime.timedelta(days=200))
    errors = refused(short, changan_worker, changan_enterprise, enterprise_user)
    assert list(errors) == ["registration_end"] and "学籍注册" in errors["registration_end"]


def test_it_refuses_dates_in_the_wrong_order_and_missing(
    terms, changan_worker, changan_enterprise, enterprise_user
):
    errors = refused(
        change(
            terms, contract_start=None, registration_end=terms.registration_start - datetime.timedelta(days=1)
        ),
        changan_worker,
        changan_enterprise,
        enterprise_user,
    )
    assert "学徒合同开始日期" in errors["contract_start"] and "学籍注册" in errors["registration_end"]


def test_the_database_refuses_a_contract_ending_before_it_starts(apprenticeship):
    with pytest.raises(IntegrityError), transaction.atomic():
        Apprenticeship.objects.filter(pk=apprenticeship.pk).update(contract_end=apprenticeship.contract_start)


def test_the_mentor_must_work_at_the_enterprise_and_not_be_the_apprentice(
    terms, changan_worker, changan_enterprise, enterprise_user, humen_worker
):
    errors = refused(
        change(terms, enterprise_mentor=humen_worker), changan_worker, changan_enterprise, enterprise_user
    )
    # Neither the mentor's name nor their employer: the typed ID number must not reveal them.
    assert errors["enterprise_mentor"] == "该身份证号码不是本企业登记职工"
    errors = refused(
        change(terms, enterprise_mentor=changan_worker), changan_worker, changan_enterprise, enterprise_user
    )
    assert "企业导师不能是学徒本人" in errors["enterprise_mentor"]


def test_the_apprentice_must_be_the_enterprises_employee(
    terms, humen_worker, changan_enterprise, enterprise_user
):
    errors = refused(terms, humen_worker, changan_enterprise, enterprise_user)
    assert "学徒应为该企业职工" in errors["worker"]


def test_the_school_must_be_a_school_or_training_institution(
    terms, changan_worker, changan_enterprise, enterprise_user
):
    errors = refused(
        change(terms, school=OrganisationFactory()), changan_worker, changan_enterprise, enterprise_user
    )
    assert "院校或培训机构" in errors["school"]


def test_blank_registration_number_and_teacher_are_named(
    terms, changan_worker, changan_enterprise, enterprise_user
):
    errors = refused(
        change(terms, registration_number=" ", school_mentor=""),
        changan_worker,
        changan_enterprise,
        enterprise_user,
    )
    assert "学籍号" in errors["registration_number"] and "学校导师" in errors["school_mentor"]


def test_an_other_enterprises_user_and_another_towns_officer_may_not_enrol(
    terms, changan_worker, changan_enterprise, other_enterprise_user, humen_officer, changan_officer
):
    for actor in (other_enterprise_user, humen_officer):
        with pytest.raises(PermissionDenied):
            apprenticeship_enrol(
                worker=changan_worker, enterprise=changan_enterprise, terms=terms, actor=actor
            )
    assert apprenticeship_enrol(
        worker=changan_worker, enterprise=changan_enterprise, terms=terms, actor=changan_officer
    )


def test_a_running_apprenticeship_is_not_enrolled_twice(
    apprenticeship, terms, changan_worker, changan_enterprise, enterprise_user
):
    with pytest.raises(Conflict):
        apprenticeship_enrol(
            worker=changan_worker, enterprise=changan_enterprise, terms=terms, actor=enterprise_user
        )


def test_progress_is_recorded_by_the_school_and_bounded(apprenticeship, school_user, other_enterprise_user):
    today = timezone.localdate()
    entry = progress_record(
        apprenticeship=apprenticeship,
        date=today,
        place="school",
        hours=4,
        content="车床安全操作",
        actor=school_user,
    )
    assert entry.hours == 4
    with pytest.raises(DomainError) as exc:
        progress_record(
            apprenticeship=apprenticeship, date=today, place="school", hours=30, content="", actor=school_user
        )
    assert "学时" in str(exc.value.fields["hours"]) and "培训内容" in str(exc.value.fields["content"])
    with pytest.raises(PermissionDenied):
        progress_record(
            apprenticeship=apprenticeship,
            date=today,
            place="school",
            hours=2,
            content="x",
            actor=other_enterprise_user,
        )


def test_leaving_needs_a_date_and_reason_and_shows_as_left(apprenticeship, enterprise_user):
    with pytest.raises(DomainError) as exc:
        apprenticeship_leave(apprenticeship=apprenticeship, left_on=None, reason="", actor=enterprise_user)
    assert "退出日期" in str(exc.value.fields["left_on"]) and "退出原因" in str(
        exc.value.fields["leave_reason"]
    )
    apprenticeship_leave(
        apprenticeship=apprenticeship,
        left_on=timezone.localdate(),
        reason="个人原因离职",
        actor=enterprise_user,
    )
    assert apprenticeship_for_status(apprenticeship) == Status.LEFT


# --- the assessment and the certificate --------------------------------------------------------------


@pytest.fixture
def evaluator(changan_enterprise, lathe, bureau_officer):
    filed = cert.evaluator_file(
        organisation=changan_enterprise,
        kind=EvaluatorKind.ENTERPRISE,
        scope=[(lathe, 2, 5)],
        actor=bureau_officer,
    )
    return cert.evaluator_review(evaluator=filed, decision="approve", note="", actor=bureau_officer)


def session(evaluator, occupation, actor, level=4):
    return cert.session_create(
        evaluator=evaluator,
        occupation=occupation,
        level=level,
        kind="grading",
        date=timezone.localdate(),
        site="长安镇考核站",
        actor=actor,
    )


def test_the_assessment_goes_into_a_session_and_the_certificate_is_linked_back(
    apprenticeship, evaluator, lathe, enterprise_user, bureau_officer
):
    s = session(evaluator, lathe, enterprise_user)
    apprenticeship_assess(apprenticeship=apprenticeship, session=s, actor=enterprise_user)
    apprenticeship.refresh_from_db()
    assert (
        apprenticeship.candidate.session == s
        and apprenticeship_for_status(apprenticeship) == Status.ASSESSING
    )
    cert.result_record(candidate=apprenticeship.candidate, theory="80", practical="85", actor=enterprise_user)
    assert apprenticeship_for_status(apprenticeship) == Status.PASSED
    (certificate,) = cert.certificates_issue(session=s, actor=enterprise_user)
    assert apprenticeship_for_status(apprenticeship) == Status.CERTIFIED
    assert statistics().by_status[[str(x.label) for x in Status].index(str(Status.CERTIFIED.label))][1] == 1
    titles = [e.title for e in apprenticeship_events(apprenticeship.worker_id)]
    assert (
        any("取证" in t for t in titles)
        and any("考核" in t for t in titles)
        and any("入学入职" in t for t in titles)
    )
    assert "apprenticeship" in SOURCES
    cert.certificate_revoke(certificate=certificate, reason="考核材料弄虚作假", actor=bureau_officer)
    assert apprenticeship_for_status(apprenticeship) != Status.CERTIFIED


def test_a_session_of_another_level_or_by_someone_not_the_evaluator_is_refused(
    apprenticeship, evaluator, lathe, enterprise_user, school_user
):
    with pytest.raises(DomainError) as exc:
        apprenticeship_assess(
            apprenticeship=apprenticeship,
            session=session(evaluator, lathe, enterprise_user, 3),
            actor=enterprise_user,
        )
    assert "考核批次" in str(exc.value.fields["session"])
    with pytest.raises(PermissionDenied):
        apprenticeship_assess(
            apprenticeship=apprenticeship,
            session=session(evaluator, lathe, enterprise_user),
            actor=school_user,
        )
    apprenticeship.refresh_from_db()
    assert apprenticeship.candidate is None


def test_a_failed_assessment_shows_as_failed(apprenticeship, evaluator, lathe, enterprise_user):
    s = session(evaluator, lathe, enterprise_user)
    apprenticeship_assess(apprenticeship=apprenticeship, session=s, actor=enterprise_user)
    apprenticeship.refresh_from_db()
    cert.result_record(candidate=apprenticeship.candidate, theory="40", practical="85", actor=enterprise_user)
    assert apprenticeship_for_status(apprenticeship) == Status.FAILED


def test_statistics_count_toward_the_baseline(apprenticeship):
    s = statistics()
    assert s.total == 1 and s.baseline == 19_936 and s.by_town == [("长安镇", 1)]
    assert dict(s.by_status)[str(Status.TRAINING.label)] == 1
    assert Worker.objects.filter(apprenticeships__isnull=False).count() == 1


def test_the_registration_starts_within_three_months_of_the_contract(
    terms, changan_worker, changan_enterprise, enterprise_user
):
    late = terms.contract_start + datetime.timedelta(days=100)
    errors = refused(
        change(terms, registration_start=late, registration_end=one_year_after(late)),
        changan_worker,
        changan_enterprise,
        enterprise_user,
    )
    assert list(errors) == ["registration_start"] and "3个月" in errors["registration_start"]
    early = terms.contract_start - datetime.timedelta(days=60)  # two months before: accepted
    apprenticeship_enrol(
        worker=changan_worker,
        enterprise=changan_enterprise,
        terms=change(terms, registration_start=early, registration_end=one_year_after(early)),
        actor=enterprise_user,
    )


def test_progress_locks_the_apprenticeship_before_it_checks_it(apprenticeship, school_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        progress_record(
            apprenticeship=apprenticeship,
            date=timezone.localdate(),
            place="school",
            hours=2,
            content="x",
            actor=school_user,
        )
    first = next(q["sql"] for q in queries.captured_queries if "SELECT" in q["sql"])
    assert 'FROM "apprenticeship_apprenticeship"' in first
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in first
