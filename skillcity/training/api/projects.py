"""/api/v1/training/ for providers: projects, classes and rosters (enrolment, sign-in, completion)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema

from skillcity.core.access import acting_user, client_address, get_for, require_role
from skillcity.core.bounds import Capacity, Id, IsoDate, Level, Score, column_money_max, money_type
from skillcity.core.errors import DomainError
from skillcity.core.schemas import InputSchema
from skillcity.registry.models import Occupation
from skillcity.training import selectors, services
from skillcity.training.api import EnrolmentOut, router
from skillcity.training.models import TrainingClass, TrainingProject
from skillcity.training.pages import sign_in_device


class ProjectIn(InputSchema):
    name: str
    occupation_code: str
    level: Level | None = None
    per_person_standard: money_type(column_money_max(TrainingProject._meta.get_field("per_person_standard")))  # type: ignore[valid-type]
    capacity: Capacity
    start_date: IsoDate
    end_date: IsoDate
    standard_id: Id | None = None  # a certified training and evaluation standard (issue 17 §4)
    required_course_id: Id | None = None  # a published online course to complete first (issue 18)


class ProjectOut(Schema):
    id: int
    name: str
    occupation_code: str
    level: int | None
    per_person_standard: Decimal
    capacity: int
    start_date: datetime.date
    end_date: datetime.date
    town: str
    standard_id: int | None
    required_course_id: int | None


class ClassIn(InputSchema):
    name: str
    start_date: IsoDate
    end_date: IsoDate
    # Who teaches, where, and the daily session (issue 20 §1 impossible schedules); all optional.
    teacher_id_number: str = ""
    site: str = Field("", max_length=200)
    session_start: datetime.time | None = None
    session_end: datetime.time | None = None


class ClassOut(Schema):
    id: int
    project_id: int
    name: str
    start_date: datetime.date
    end_date: datetime.date
    teacher_id: int | None = None
    site: str = ""
    session_start: datetime.time | None = None
    session_end: datetime.time | None = None


class EnrolIn(InputSchema):
    id_number: str


class CompleteIn(InputSchema):
    completed_on: IsoDate
    passed: bool
    assessment_score: Score | None = None
    certified_level: Level | None = None


def _project_out(p: Any) -> dict[str, object]:
    return {
        "id": p.id,
        "name": p.name,
        "occupation_code": p.occupation.code,
        "level": p.level,
        "per_person_standard": p.per_person_standard,
        "capacity": p.capacity,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "town": p.town.name,
        "standard_id": p.standard_id,
        "required_course_id": p.required_course_id,
    }


def _enrolment_out(e: Any) -> dict[str, object]:
    return {
        "id": e.id,
        "project": e.training_class.project.name,
        "status": e.status,
        "enrolled_on": e.enrolled_on,
        "completed_on": e.completed_on,
    }


@router.get("/projects", response=list[ProjectOut])
def projects(request: HttpRequest) -> list[dict[str, object]]:
    return [_project_out(p) for p in selectors.projects_for(acting_user(request))[:500]]


@router.post("/projects", response={201: ProjectOut})
def project_create(request: HttpRequest, body: ProjectIn) -> tuple[int, dict[str, object]]:
    user = acting_user(request)
    require_role(user, "organisation_user")
    occupation = Occupation.objects.filter(code=body.occupation_code.strip()).first()
    if occupation is None:
        raise DomainError("bad_occupation", "未知的职业编码", {"occupation_code": "未知的职业编码"})
    project = services.project_create(
        provider=user.organisation,  # type: ignore[arg-type]
        name=body.name,
        occupation=occupation,
        level=body.level,
        per_person_standard=body.per_person_standard,
        capacity=body.capacity,
        start_date=body.start_date,
        end_date=body.end_date,
        actor=user,
        standard=body.standard_id,
        required_course=body.required_course_id,
    )
    return 201, _project_out(project)


@router.post("/projects/{project_id}/classes", response={201: ClassOut})
def class_create(request: HttpRequest, project_id: Id, body: ClassIn) -> tuple[int, object]:
    user = acting_user(request)
    project = get_for(user, selectors.projects_for(user), project_id, write=True)
    teacher = (
        selectors.worker_by_id_number(body.teacher_id_number) if body.teacher_id_number.strip() else None
    )
    klass = services.class_create(
        project=project,
        name=body.name,
        start_date=body.start_date,
        end_date=body.end_date,
        actor=user,
        teacher=teacher,
        site=body.site,
        session_start=body.session_start,
        session_end=body.session_end,
    )
    return 201, klass


@router.post("/classes/{class_id}/enrolments", response={201: EnrolmentOut})
def enrol(request: HttpRequest, class_id: Id, body: EnrolIn) -> tuple[int, dict[str, object]]:
    user = acting_user(request)
    klass = get_for(user, TrainingClass.objects.select_related("project"), class_id, write=True)
    worker = selectors.worker_by_id_number(body.id_number)
    enrolment = services.enrolment_create(
        training_class=klass, worker=worker, enrolled_on=timezone.localdate(), actor=user
    )
    return 201, _enrolment_out(enrolment)


@router.post("/enrolments/{enrolment_id}/sign-in", response={201: dict})
def sign_in(request: HttpRequest, enrolment_id: Id) -> tuple[int, dict[str, object]]:
    user = acting_user(request)
    enrolment = get_for(user, selectors.enrolments_for(user), enrolment_id, write=True)
    attendance = services.attendance_sign_in(
        enrolment=enrolment,
        day=timezone.localdate(),
        actor=user,
        device_id=sign_in_device(request),
        client_address=client_address(request),
    )
    return 201, {"enrolment_id": enrolment.id, "day": attendance.day.isoformat()}


@router.post("/enrolments/{enrolment_id}/complete", response=EnrolmentOut)
def complete(request: HttpRequest, enrolment_id: Id, body: CompleteIn) -> dict[str, object]:
    user = acting_user(request)
    enrolment = get_for(user, selectors.enrolments_for(user), enrolment_id, write=True)
    enrolment = services.enrolment_complete(
        enrolment=enrolment,
        completed_on=body.completed_on,
        passed=body.passed,
        assessment_score=body.assessment_score,
        certified_level=body.certified_level,
        actor=user,
    )
    return _enrolment_out(enrolment)
