"""Projects, classes, enrolments, attendance and completion."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError
from skillcity.registry.models import Occupation, Organisation, Worker
from skillcity.training.models import (
    Attendance,
    Enrolment,
    TrainingClass,
    TrainingProject,
)

# ---------------------------------------------------------------- projects, classes, enrolments


@transaction.atomic
def project_create(
    *,
    provider: Organisation,
    name: str,
    occupation: Occupation,
    level: int | None,
    per_person_standard: Decimal,
    capacity: int,
    start_date: datetime.date,
    end_date: datetime.date,
    actor: Any,
    standard: Any = None,
    required_course: Any = None,
) -> TrainingProject:
    """A provider's project; `standard` (optional) must be a certified standard (issue 17 §4);
    `required_course` (optional, a published online course or its code) must be completed before
    a trainee may enrol (issue 18)."""
    from skillcity.platforms.services.standards import certified_standard

    fields: dict[str, str] = {}
    try:
        standard = certified_standard(standard)
    except DomainError as exc:
        fields.update(exc.fields)
    try:
        required_course = published_course(required_course)
    except DomainError as exc:
        fields.update(exc.fields)
    if not name.strip():
        fields["name"] = _("请填写项目名称")
    if per_person_standard < 0:
        fields["per_person_standard"] = _("补贴标准不能为负数")
    if capacity < 1:
        fields["capacity"] = _("计划人数至少为 1")
    if end_date < start_date:
        fields["end_date"] = _("结束日期不能早于开始日期")
    if level is not None and not 1 <= level <= 5:
        fields["level"] = _("等级应为 1–5")
    if fields:
        raise DomainError("invalid_project", _("培训项目信息有误"), fields)
    project = TrainingProject.objects.create(
        provider=provider,
        name=name.strip(),
        occupation=occupation,
        level=level,
        per_person_standard=per_person_standard,
        capacity=capacity,
        start_date=start_date,
        end_date=end_date,
        town=provider.town,
        standard=standard,
        required_course=required_course,
    )
    audit_record(actor=actor, action="training_project.create", target=project, after=snapshot(project))
    return project


@transaction.atomic
def class_create(
    *,
    project: TrainingProject,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    actor: Any,
    teacher: Worker | None = None,
    site: str = "",
    session_start: datetime.time | None = None,
    session_end: datetime.time | None = None,
) -> TrainingClass:
    if end_date < start_date:
        raise DomainError(
            "invalid_class", _("结业日期不能早于开班日期"), {"end_date": _("结业日期不能早于开班日期")}
        )
    if (session_start is None) != (session_end is None):
        message = _("请同时填写每日上课开始和结束时间")
        field = "session_end" if session_end is None else "session_start"
        raise DomainError("invalid_class", message, {field: message})
    if session_start is not None and session_end is not None and session_end <= session_start:
        message = _("每日上课结束时间应晚于开始时间")
        raise DomainError("invalid_class", message, {"session_end": message})
    training_class = TrainingClass.objects.create(
        project=project,
        name=name.strip() or project.name,
        start_date=start_date,
        end_date=end_date,
        teacher=teacher,
        site=site.strip(),
        session_start=session_start,
        session_end=session_end,
    )
    audit_record(
        actor=actor, action="training_class.create", target=training_class, after=snapshot(training_class)
    )
    return training_class


@transaction.atomic
def enrolment_create(
    *, training_class: TrainingClass, worker: Worker, enrolled_on: datetime.date, actor: Any
) -> Enrolment:
    project = TrainingProject.objects.select_for_update().get(pk=training_class.project_id)
    taken = (
        Enrolment.objects.filter(training_class__project=project)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .count()
    )
    if taken >= project.capacity:
        raise DomainError("project_full", _("培训项目已满员"), {"training_class": _("培训项目已满员")})
    if Enrolment.objects.filter(training_class=training_class, worker=worker).exists():
        raise Conflict("already_enrolled", _("该学员已报名此班"))
    if project.required_course_id is not None:
        _check_required_course(project, worker)
    enrolment = Enrolment.objects.create(
        training_class=training_class,
        provider_id=project.provider_id,
        worker=worker,
        town_id=project.town_id,
        enrolled_on=enrolled_on,
        trainee_is_provider_employee=worker.employer_id == project.provider_id,
    )
    audit_record(actor=actor, action="enrolment.create", target=enrolment, after=snapshot(enrolment))
    return enrolment


def published_course(raw: Any, field: str = "required_course") -> Any:
    """The online course a project requires (a Course, its id, or its code), or None when it names
    none; an unknown or unpublished course is refused on `field`."""
    from skillcity.learning.models import Course, CourseState

    if raw in (None, ""):
        return None
    if isinstance(raw, Course):
        course: Course | None = raw
    elif isinstance(raw, int):
        course = Course.objects.filter(pk=raw).first()
    else:
        course = Course.objects.filter(code=str(raw).strip().upper()).first()
    if course is None or course.state != CourseState.PUBLISHED:
        message = _("只能选择已发布的在线课程（填写课程编号）")
        raise DomainError("course_not_published", message, {field: message})
    return course


def _check_required_course(project: TrainingProject, worker: Worker) -> None:
    """Issue 18: a project that requires an online course admits only its completers."""
    from skillcity.learning.models import Completion

    course = project.required_course
    assert course is not None
    if not Completion.objects.filter(worker=worker, course=course).exists():
        message = _("报名该培训项目须先完成在线课程“%(title)s”（%(code)s），该学员尚未完成") % {
            "title": course.title,
            "code": course.code,
        }
        raise DomainError("required_course_not_completed", message, {"worker": message})


@transaction.atomic
def attendance_sign_in(
    *, enrolment: Enrolment, day: datetime.date, actor: Any, device_id: str = "", client_address: str = ""
) -> Attendance:
    """A day's sign-in, with the device and address it came from (issue 20 §1 sign-in bursts)."""
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise DomainError("not_in_training", _("学员不在训，不能签到"))
    if Attendance.objects.filter(enrolment=enrolment, day=day).exists():
        raise Conflict("already_signed_in", _("该学员当天已签到"))
    attendance = Attendance.objects.create(
        enrolment=enrolment, day=day, device_id=device_id[:64], client_address=client_address[:64]
    )
    audit_record(
        actor=actor,
        action="attendance.sign_in",
        target=enrolment,
        after={"day": day, "device_id": attendance.device_id, "client_address": attendance.client_address},
    )
    return attendance


@transaction.atomic
def enrolment_complete(
    *,
    enrolment: Enrolment,
    completed_on: datetime.date,
    passed: bool,
    assessment_score: Decimal | None,
    certified_level: int | None,
    actor: Any,
) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise DomainError("not_in_training", _("该报名已结业或已退出"))
    if completed_on < enrolment.enrolled_on:
        raise DomainError(
            "invalid_completion", _("结业日期早于报名日期"), {"completed_on": _("结业日期早于报名日期")}
        )
    if certified_level is not None and not 1 <= certified_level <= 5:
        raise DomainError(
            "invalid_completion", _("证书等级应为 1–5"), {"certified_level": _("证书等级应为 1–5")}
        )
    before = snapshot(enrolment)
    enrolment.status = Enrolment.Status.COMPLETED if passed else Enrolment.Status.FAILED
    enrolment.completed_on = completed_on
    enrolment.assessment_score = assessment_score
    enrolment.certified_level = certified_level if passed else None
    enrolment.save(update_fields=["status", "completed_on", "assessment_score", "certified_level"])
    audit_record(
        actor=actor, action="enrolment.complete", target=enrolment, before=before, after=snapshot(enrolment)
    )
    return enrolment
