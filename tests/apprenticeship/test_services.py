"""The apprenticeship's rules (D001 三(三)3): contract and registration at least a year, a
non-full-time registration, an enterprise mentor of the enterprise; a 校企双制 class's rosters kept in
step; the assessment through a certification session and its certificate read back; every write audited."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from skillcity.apprenticeship.models import Apprenticeship, DualClass, Status
from skillcity.apprenticeship.registrations import apprenticeship_events
from skillcity.apprenticeship.selectors import apprenticeships_for, class_drift, statistics
from skillcity.apprenticeship.services import (
    apprenticeship_assess,
    apprenticeship_enrol,
    apprenticeship_leave,
    one_year_after,
    progress_record,
)
from skillcity.apprenticeship.services.classes import (
    dual_class_create,
    dual_class_enrol,
    dual_class_resolve_drift,
)
from skillcity.certification import services as cert
from skillcity.certification.models import EvaluatorKind
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.registry.models import Worker
from skillcity.registry.services import worker_update
from skillcity.timeline.sources import SOURCES
from tests.apprenticeship.conftest import change
from tests.factories import OrganisationFactory, WorkerFactory

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
    assert "企业导师" in errors["enterprise_mentor"] and "工作单位" in errors["enterprise_mentor"]
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


# --- 校企双制 classes --------------------------------------------------------------------------------


@pytest.fixture
def dual_class(school, changan_enterprise, lathe, mentor, school_user):
    start = timezone.localdate()
    return dual_class_create(
        school=school,
        enterprise=changan_enterprise,
        name="2026级数控车工校企双制班",
        occupation=lathe,
        level=4,
        start=start,
        end=one_year_after(start) + datetime.timedelta(days=365),
        school_mentor="王老师",
        enterprise_mentor=mentor,
        actor=school_user,
    )


def test_enrolling_a_student_hires_them_in_the_same_transaction(
    dual_class, changan, changan_enterprise, school_user
):
    student = WorkerFactory(town=changan, name="新生甲")
    assert student.employer is None
    done = dual_class_enrol(
        dual_class=dual_class, worker=student, registration_number="XJ-1", actor=school_user
    )
    student.refresh_from_db()
    assert student.employer == changan_enterprise and done.dual_class == dual_class
    assert apprenticeships_for(school_user).filter(worker=student).exists()
    assert AuditEvent.objects.filter(action="worker.update", target_id=str(student.pk)).exists()


def test_a_failed_enrolment_hires_nobody(dual_class, changan, school_user):
    student = WorkerFactory(town=changan, name="新生乙")
    with pytest.raises(DomainError):
        dual_class_enrol(dual_class=dual_class, worker=student, registration_number="", actor=school_user)
    student.refresh_from_db()
    assert student.employer is None and not Apprenticeship.objects.filter(worker=student).exists()


def test_a_student_employed_elsewhere_is_refused(dual_class, humen_enterprise, changan, school_user):
    student = WorkerFactory(town=changan, employer=humen_enterprise)
    with pytest.raises(DomainError) as exc:
        dual_class_enrol(dual_class=dual_class, worker=student, registration_number="XJ-2", actor=school_user)
    assert "worker" in exc.value.fields


def test_a_leaver_from_the_class_leaves_the_enterprise(dual_class, changan, school_user):
    student = WorkerFactory(town=changan)
    done = dual_class_enrol(
        dual_class=dual_class, worker=student, registration_number="XJ-3", actor=school_user
    )
    apprenticeship_leave(apprenticeship=done, left_on=timezone.localdate(), reason="退学", actor=school_user)
    student.refresh_from_db()
    assert student.employer is None


def test_a_leaver_from_the_enterprise_shows_as_drift_and_sync_takes_them_out_of_the_class(
    dual_class, changan, school_user, bureau_officer
):
    student = WorkerFactory(town=changan)
    done = dual_class_enrol(
        dual_class=dual_class, worker=student, registration_number="XJ-4", actor=school_user
    )
    assert class_drift(dual_class) == []
    worker_update(
        worker=student, data={"employer": ""}, actor=bureau_officer
    )  # left the enterprise elsewhere
    assert [line.apprenticeship.pk for line in class_drift(dual_class)] == [done.pk]
    assert dual_class_resolve_drift(dual_class=dual_class, actor=school_user) == 1
    done.refresh_from_db()
    assert done.left_on == timezone.localdate() and class_drift(dual_class) == []


def test_a_class_under_one_year_or_with_an_outside_mentor_is_refused(
    school, changan_enterprise, lathe, humen_worker, school_user
):
    start = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        dual_class_create(
            school=school,
            enterprise=changan_enterprise,
            name="短班",
            occupation=lathe,
            level=4,
            start=start,
            end=start + datetime.timedelta(days=100),
            school_mentor="王老师",
            enterprise_mentor=humen_worker,
            actor=school_user,
        )
    assert "结业日期" in str(exc.value.fields["end"]) and "企业导师" in str(
        exc.value.fields["enterprise_mentor"]
    )
    assert not DualClass.objects.exists()


def test_statistics_count_toward_the_baseline(apprenticeship):
    s = statistics()
    assert s.total == 1 and s.baseline == 19_936 and s.by_town == [("长安镇", 1)]
    assert dict(s.by_status)[str(Status.TRAINING.label)] == 1
    assert Worker.objects.filter(apprenticeships__isnull=False).count() == 1
