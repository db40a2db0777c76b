"""/api/v1/apprenticeship/classes…: 校企双制 classes (open one, enrol a student = hire, the roster
against the enterprise's and its drift) and /statistics, the bureau's counts toward D003's 19,936."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from skillcity.apprenticeship import selectors
from skillcity.apprenticeship.api import (
    ROLES,
    ApprenticeshipDetailOut,
    _detail,
    _occupation,
    _org,
    _worker,
    router,
)
from skillcity.apprenticeship.models import DualClass
from skillcity.apprenticeship.services.classes import dual_class_create, dual_class_enrol
from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import LIMIT_MAX, Id, IsoDate
from skillcity.registry.models import Worker


class ApprenticeshipClassOut(Schema):
    id: int
    name: str
    school_id: int
    school_name: str
    enterprise_id: int
    enterprise_name: str
    occupation_code: str
    level: int
    start: datetime.date
    end: datetime.date
    school_mentor: str
    enterprise_mentor_name: str
    students: int

    @staticmethod
    def resolve_school_name(obj: DualClass) -> str:
        return obj.school.name

    @staticmethod
    def resolve_enterprise_name(obj: DualClass) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_occupation_code(obj: DualClass) -> str:
        return obj.occupation.code

    @staticmethod
    def resolve_enterprise_mentor_name(obj: DualClass) -> str:
        return obj.enterprise_mentor.name


class ApprenticeshipRosterLineOut(Schema):
    apprenticeship_id: int
    worker_name: str
    id_number_masked: str
    registration_number: str
    employed_by_enterprise: bool
    status: str


class ApprenticeshipClassDetailOut(ApprenticeshipClassOut):
    roster: list[ApprenticeshipRosterLineOut]
    drift: int


class ApprenticeshipClassIn(Schema):
    school_uscc: str = Field(max_length=18)
    enterprise_uscc: str = Field(max_length=18)
    name: str = Field(max_length=100)
    occupation_code: str = Field(max_length=20)
    level: int = Field(ge=1, le=5)
    start: IsoDate
    end: IsoDate
    school_mentor: str = Field(max_length=50)
    enterprise_mentor_id_number: str = Field(max_length=18)


class ApprenticeshipStudentIn(Schema):
    id_number: str = Field(max_length=18)
    name: str = Field(max_length=50)
    registration_number: str = Field(max_length=40)


class ApprenticeshipCountOut(Schema):
    name: str
    count: int


class ApprenticeshipOccupationCountOut(Schema):
    occupation: str
    level: str
    count: int


class ApprenticeshipStatisticsOut(Schema):
    total: int
    baseline: int
    percent: str
    by_status: list[ApprenticeshipCountOut]
    by_town: list[ApprenticeshipCountOut]
    by_enterprise: list[ApprenticeshipCountOut]
    by_occupation: list[ApprenticeshipOccupationCountOut]
    classes: int
    class_students: int


@router.get(
    "/classes", response=list[ApprenticeshipClassOut], summary="校企双制 classes in the caller's scope"
)
def class_list(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    return selectors.classes_for(user)[:LIMIT_MAX]


def _class_out(dual_class: DualClass) -> DualClass:
    roster = selectors.class_roster(dual_class)
    dual_class.roster = [  # type: ignore[attr-defined]
        {
            "apprenticeship_id": line.apprenticeship.pk,
            "worker_name": line.apprenticeship.worker.name,
            "id_number_masked": line.apprenticeship.worker.id_number_masked,
            "registration_number": line.apprenticeship.registration_number,
            "employed_by_enterprise": line.employed,
            "status": getattr(line.apprenticeship, "status", ""),
        }
        for line in roster
    ]
    dual_class.drift = sum(1 for line in roster if not line.employed)  # type: ignore[attr-defined]
    return dual_class


@router.post("/classes", response={201: ApprenticeshipClassDetailOut}, summary="Open a 校企双制 class")
def class_create(request: HttpRequest, payload: ApprenticeshipClassIn) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    mentor = Worker.objects.filter(id_number=payload.enterprise_mentor_id_number.strip().upper()).first()
    done = dual_class_create(
        school=_org(payload.school_uscc, "school_uscc"),
        enterprise=_org(payload.enterprise_uscc, "enterprise_uscc"),
        name=payload.name,
        occupation=_occupation(payload.occupation_code),
        level=payload.level,
        start=payload.start,
        end=payload.end,
        school_mentor=payload.school_mentor,
        enterprise_mentor=mentor,
        actor=user,
    )
    return 201, _class_out(selectors.class_get(user, done.pk))


@router.get(
    "/classes/{pk}",
    response=ApprenticeshipClassDetailOut,
    summary="A class: its roster against the enterprise's, and the drift",
)
def class_detail(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    return _class_out(selectors.class_get(user, pk))


@router.post(
    "/classes/{pk}/students",
    response={201: ApprenticeshipDetailOut},
    summary="Enrol a student: joins the class, hired by the enterprise, apprenticed — at once",
)
def class_student_add(request: HttpRequest, pk: Id, payload: ApprenticeshipStudentIn) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    dual_class = selectors.class_get(user, pk)
    done = dual_class_enrol(
        dual_class=dual_class,
        worker=_worker(payload.id_number, "id_number", payload.name),
        registration_number=payload.registration_number,
        actor=user,
    )
    return 201, _detail(user, done.pk)


@router.get(
    "/statistics", response=ApprenticeshipStatisticsOut, summary="Counts toward D003's 19,936 (bureau)"
)
def statistics(request: HttpRequest) -> Any:
    require_role(acting_user(request), "bureau_officer")
    s = selectors.statistics()
    return {
        "total": s.total,
        "baseline": s.baseline,
        "percent": s.percent,
        "by_status": [{"name": n, "count": c} for n, c in s.by_status],
        "by_town": [{"name": n, "count": c} for n, c in s.by_town],
        "by_enterprise": [{"name": n, "count": c} for n, c in s.by_enterprise],
        "by_occupation": [{"occupation": o, "level": lv, "count": c} for o, lv, c in s.by_occupation],
        "classes": s.classes,
        "class_students": s.class_students,
    }
