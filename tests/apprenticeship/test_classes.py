"""校企双制 classes (D004 二(三) 招生即招工): opened by the enterprise (or an officer) with a school;
enrolling a student hires them in the same transaction, only on the enterprise's word; the rosters kept
in step."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from skillcity.apprenticeship.models import Apprenticeship, DualClass
from skillcity.apprenticeship.selectors import apprenticeships_for, class_drift
from skillcity.apprenticeship.services import apprenticeship_leave, one_year_after
from skillcity.apprenticeship.services.classes import (
    dual_class_create,
    dual_class_enrol,
    dual_class_resolve_drift,
)
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.registry.services import worker_update
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def open_class(actor, school, enterprise, lathe, mentor, name="2026级数控车工校企双制班"):
    start = timezone.localdate()
    return dual_class_create(
        school=school,
        enterprise=enterprise,
        name=name,
        occupation=lathe,
        level=4,
        start=start,
        end=one_year_after(start) + datetime.timedelta(days=365),
        school_mentor="王老师",
        enterprise_mentor=mentor,
        actor=actor,
    )


@pytest.fixture
def dual_class(school, changan_enterprise, lathe, mentor, enterprise_user):
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
        actor=enterprise_user,
    )


def test_enrolling_a_student_hires_them_in_the_same_transaction(
    dual_class, changan, changan_enterprise, school_user, enterprise_user
):
    student = WorkerFactory(town=changan, name="新生甲")
    assert student.employer is None
    done = dual_class_enrol(
        dual_class=dual_class, worker=student, registration_number="XJ-1", actor=enterprise_user
    )
    student.refresh_from_db()
    assert student.employer == changan_enterprise and done.dual_class == dual_class
    assert apprenticeships_for(school_user).filter(worker=student).exists()
    assert AuditEvent.objects.filter(action="worker.update", target_id=str(student.pk)).exists()


def test_a_failed_enrolment_hires_nobody(dual_class, changan, enterprise_user):
    student = WorkerFactory(town=changan, name="新生乙")
    with pytest.raises(DomainError):
        dual_class_enrol(dual_class=dual_class, worker=student, registration_number="", actor=enterprise_user)
    student.refresh_from_db()
    assert student.employer is None and not Apprenticeship.objects.filter(worker=student).exists()


def test_a_student_employed_elsewhere_is_refused(dual_class, humen_enterprise, changan, enterprise_user):
    student = WorkerFactory(town=changan, employer=humen_enterprise)
    with pytest.raises(DomainError) as exc:
        dual_class_enrol(
            dual_class=dual_class, worker=student, registration_number="XJ-2", actor=enterprise_user
        )
    assert "worker" in exc.value.fields


def test_a_leaver_from_the_class_leaves_the_enterprise(dual_class, changan, enterprise_user):
    student = WorkerFactory(town=changan)
    done = dual_class_enrol(
        dual_class=dual_class, worker=student, registration_number="XJ-3", actor=enterprise_user
    )
    apprenticeship_leave(
        apprenticeship=done, left_on=timezone.localdate(), reason="退学", actor=enterprise_user
    )
    student.refresh_from_db()
    assert student.employer is None


def test_a_leaver_from_the_enterprise_shows_as_drift_and_sync_takes_them_out_of_the_class(
    dual_class, changan, enterprise_user, bureau_officer
):
    student = WorkerFactory(town=changan)
    done = dual_class_enrol(
        dual_class=dual_class, worker=student, registration_number="XJ-4", actor=enterprise_user
    )
    assert class_drift(dual_class) == []
    worker_update(
        worker=student, data={"employer": ""}, actor=bureau_officer
    )  # left the enterprise elsewhere
    assert [line.apprenticeship.pk for line in class_drift(dual_class)] == [done.pk]
    assert dual_class_resolve_drift(dual_class=dual_class, actor=enterprise_user) == 1
    done.refresh_from_db()
    assert done.left_on == timezone.localdate() and class_drift(dual_class) == []


def test_a_class_under_one_year_or_with_an_outside_mentor_is_refused(
    school, changan_enterprise, lathe, humen_worker, enterprise_user
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
            actor=enterprise_user,
        )
    assert "结业日期" in str(exc.value.fields["end"])
    assert exc.value.fields["enterprise_mentor"] == "该身份证号码不是本企业登记职工"
    assert humen_worker.name not in str(exc.value.fields["enterprise_mentor"])
    assert not DualClass.objects.exists()


def test_a_school_alone_cannot_open_a_class_with_an_enterprise(
    school, changan_enterprise, lathe, mentor, school_user
):
    with pytest.raises(PermissionDenied):
        open_class(school_user, school, changan_enterprise, lathe, mentor)
    assert not DualClass.objects.exists()


def test_a_school_cannot_hire_a_student_into_the_enterprise(dual_class, changan, school_user):
    student = WorkerFactory(town=changan, name="新生丁")
    with pytest.raises(PermissionDenied):
        dual_class_enrol(dual_class=dual_class, worker=student, registration_number="XJ-6", actor=school_user)
    student.refresh_from_db()
    assert student.employer is None and not Apprenticeship.objects.filter(worker=student).exists()


def test_a_school_enrols_a_student_already_the_enterprises_employee(
    dual_class, changan, changan_enterprise, school_user
):
    student = WorkerFactory(town=changan, employer=changan_enterprise)
    done = dual_class_enrol(
        dual_class=dual_class, worker=student, registration_number="XJ-8", actor=school_user
    )
    assert done.dual_class == dual_class


def test_a_student_employed_elsewhere_is_not_told_where(
    dual_class, humen_enterprise, changan, enterprise_user
):
    student = WorkerFactory(town=changan, employer=humen_enterprise)
    with pytest.raises(DomainError) as exc:
        dual_class_enrol(
            dual_class=dual_class, worker=student, registration_number="XJ-9", actor=enterprise_user
        )
    assert humen_enterprise.name not in str(exc.value) and student.name not in str(exc.value)


def test_a_class_name_taken_at_the_same_moment_is_an_error_on_the_name(
    school, changan_enterprise, lathe, mentor, enterprise_user, monkeypatch
):
    open_class(enterprise_user, school, changan_enterprise, lathe, mentor, name="数控二班")
    # The other opening committed after this one checked: the check sees nothing, the database refuses.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(DomainError) as exc:
        open_class(enterprise_user, school, changan_enterprise, lathe, mentor, name="数控二班")
    assert "重复" in str(exc.value.fields["name"])
    assert DualClass.objects.filter(name="数控二班").count() == 1
