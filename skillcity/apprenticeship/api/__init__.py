"""/api/v1/apprenticeship/: the same as the pages (issue 19 §6). Apprentices in the caller's scope
(enrol, progress, assessment, leaving, import), 校企双制 classes (open, enrol a student = hire, the
rosters and their drift) and the bureau's statistics toward D003's 19,936. Every schema is named
Apprenticeship…."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from skillcity.apprenticeship import selectors
from skillcity.apprenticeship.models import Apprenticeship
from skillcity.apprenticeship.services import (
    Terms,
    apprenticeship_assess,
    apprenticeship_enrol,
    apprenticeship_leave,
    progress_record,
)
from skillcity.apprenticeship.services.imports import apprenticeships_import
from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import Id, IsoDate, Limit, PageNumber
from skillcity.core.errors import DomainError
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Occupation, Organisation, Worker

router = Router(tags=["apprenticeship"])
ROLES = ("bureau_officer", "town_officer", "organisation_user")


class ApprenticeshipOut(Schema):
    id: int
    worker_id: int
    worker_name: str
    id_number_masked: str
    enterprise_id: int
    enterprise_name: str
    town: str
    school_id: int
    school_name: str
    dual_class_id: int | None
    contract_start: datetime.date
    contract_end: datetime.date
    registration_number: str
    study_mode: str
    registration_start: datetime.date
    registration_end: datetime.date
    enterprise_mentor_id: int
    enterprise_mentor_name: str
    enterprise_mentor_level: int | None
    school_mentor: str
    occupation_code: str
    occupation_name: str
    level: int
    status: str
    status_name: str
    left_on: datetime.date | None
    leave_reason: str

    @staticmethod
    def resolve_worker_name(obj: Apprenticeship) -> str:
        return obj.worker.name

    @staticmethod
    def resolve_id_number_masked(obj: Apprenticeship) -> str:
        return obj.worker.id_number_masked

    @staticmethod
    def resolve_enterprise_name(obj: Apprenticeship) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_town(obj: Apprenticeship) -> str:
        return obj.enterprise.town.name if obj.enterprise.town else ""

    @staticmethod
    def resolve_school_name(obj: Apprenticeship) -> str:
        return obj.school.name

    @staticmethod
    def resolve_enterprise_mentor_name(obj: Apprenticeship) -> str:
        return obj.enterprise_mentor.name

    @staticmethod
    def resolve_enterprise_mentor_level(obj: Apprenticeship) -> int | None:
        return obj.enterprise_mentor.highest_level

    @staticmethod
    def resolve_occupation_code(obj: Apprenticeship) -> str:
        return obj.occupation.code

    @staticmethod
    def resolve_occupation_name(obj: Apprenticeship) -> str:
        return obj.occupation.name

    @staticmethod
    def resolve_status_name(obj: Apprenticeship) -> str:
        return obj.status_label


class ApprenticeshipAssessmentOut(Schema):
    session_id: int
    session_date: datetime.date
    evaluator: str
    result: str
    certificate_number: str | None
    certificate_valid: bool


class ApprenticeshipProgressOut(Schema):
    id: int
    date: datetime.date
    place: str
    hours: int
    content: str


class ApprenticeshipDetailOut(ApprenticeshipOut):
    assessment: ApprenticeshipAssessmentOut | None
    progress: list[ApprenticeshipProgressOut]

    @staticmethod
    def resolve_assessment(obj: Apprenticeship) -> dict[str, Any] | None:
        candidate = obj.candidate
        if candidate is None:
            return None
        certificate = getattr(candidate, "certificate", None)
        return {
            "session_id": candidate.session_id,
            "session_date": candidate.session.date,
            "evaluator": candidate.session.evaluator.organisation.name,
            "result": candidate.result,
            "certificate_number": certificate.number if certificate else None,
            "certificate_valid": bool(certificate and certificate.status == "valid"),
        }

    @staticmethod
    def resolve_progress(obj: Apprenticeship) -> list[Any]:
        return list(obj.progress.all()[:500])


class ApprenticeshipEnrolIn(Schema):
    enterprise_uscc: str = Field(
        "", max_length=18, description="officers only; an enterprise user enrols for its own"
    )
    id_number: str = Field(max_length=18)
    name: str = Field(max_length=50)
    school_uscc: str = Field(max_length=18)
    occupation_code: str = Field(max_length=20)
    level: int = Field(ge=1, le=5)
    contract_start: IsoDate
    contract_end: IsoDate
    registration_number: str = Field(max_length=40)
    study_mode: str = Field("non_full_time", max_length=16)
    registration_start: IsoDate
    registration_end: IsoDate
    enterprise_mentor_id_number: str = Field(max_length=18)
    school_mentor: str = Field(max_length=50)


class ApprenticeshipProgressIn(Schema):
    date: IsoDate
    place: str = Field(max_length=16)
    hours: int = Field(ge=1, le=24)
    content: str = Field(max_length=500)


class ApprenticeshipAssessIn(Schema):
    session_id: Id


class ApprenticeshipLeaveIn(Schema):
    left_on: IsoDate
    leave_reason: str = Field(max_length=200)


class ApprenticeshipRowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ApprenticeshipImportOut(Schema):
    imported: int
    errors: list[ApprenticeshipRowErrorOut]


def _org(uscc: str, field: str) -> Organisation:
    org = Organisation.objects.filter(uscc=uscc.strip().upper()).first()
    if org is None:
        raise DomainError("invalid", _("平台登记中没有该统一社会信用代码的单位"), {field: _("未找到该单位")})
    return org


def _worker(id_number: str, field: str, name: str | None = None, *, mentor: bool = False) -> Worker:
    worker, why = selectors.worker_by_id(id_number, name)
    if mentor:
        why = selectors.mentor_not_employee()
    if worker is None:
        raise DomainError("invalid", why, {field: why})
    return worker


def _occupation(code: str) -> Occupation:
    occupation = Occupation.objects.filter(code=code.strip()).first()
    if occupation is None:
        raise DomainError(
            "invalid", _("职业分类大典中没有该职业编码"), {"occupation_code": _("未知职业编码")}
        )
    return occupation


def _detail(user: Any, pk: int) -> Apprenticeship:
    return selectors.apprenticeship_get(user, pk)


@router.get("/apprenticeships", response=list[ApprenticeshipOut], summary="Apprentices in the caller's scope")
def apprenticeship_list(
    request: HttpRequest, q: str = "", status: str = "", limit: Limit = 100, page: PageNumber = 1
) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    start = (page - 1) * limit
    return selectors.search(selectors.apprenticeships_for(user), q=q, status=status)[start : start + limit]


@router.post(
    "/apprenticeships",
    response={201: ApprenticeshipDetailOut},
    summary="Enrol an employee as a new-style apprentice",
)
def apprenticeship_enrol_api(request: HttpRequest, payload: ApprenticeshipEnrolIn) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    if user.role == "organisation_user":
        enterprise = user.organisation
        if enterprise is None:
            raise DomainError("invalid", _("账号未关联单位"), status=403)
    else:
        enterprise = _org(payload.enterprise_uscc, "enterprise_uscc")
    terms = Terms(
        school=_org(payload.school_uscc, "school_uscc"),
        occupation=_occupation(payload.occupation_code),
        level=payload.level,
        contract_start=payload.contract_start,
        contract_end=payload.contract_end,
        registration_number=payload.registration_number,
        study_mode=payload.study_mode,
        registration_start=payload.registration_start,
        registration_end=payload.registration_end,
        enterprise_mentor=_worker(
            payload.enterprise_mentor_id_number, "enterprise_mentor_id_number", mentor=True
        ),
        school_mentor=payload.school_mentor,
    )
    done = apprenticeship_enrol(
        worker=_worker(payload.id_number, "id_number", payload.name),
        enterprise=enterprise,
        terms=terms,
        actor=user,
    )
    return 201, _detail(user, done.pk)


@router.get(
    "/apprenticeships/{pk}",
    response=ApprenticeshipDetailOut,
    summary="One apprentice: contract, registration, mentors, plan, progress, assessment",
)
def apprenticeship_detail(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    return _detail(user, pk)


@router.post(
    "/apprenticeships/{pk}/progress",
    response={201: ApprenticeshipProgressOut},
    summary="Record a progress entry",
)
def apprenticeship_progress(request: HttpRequest, pk: Id, payload: ApprenticeshipProgressIn) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    return 201, progress_record(apprenticeship=_detail(user, pk), actor=user, **payload.dict())


@router.post(
    "/apprenticeships/{pk}/assessment",
    response=ApprenticeshipDetailOut,
    summary="Enter the apprentice into a certification session (the evaluator or the bureau)",
)
def apprenticeship_assessment(request: HttpRequest, pk: Id, payload: ApprenticeshipAssessIn) -> Any:
    from skillcity.certification.models import Session

    user = acting_user(request)
    require_role(user, *ROLES)
    apprenticeship = _detail(user, pk)
    session = Session.objects.select_related("evaluator__organisation").filter(pk=payload.session_id).first()
    if session is None:
        raise DomainError("invalid", _("考核批次不存在"), {"session_id": _("考核批次不存在")}, status=404)
    apprenticeship_assess(apprenticeship=apprenticeship, session=session, actor=user)
    return _detail(user, pk)


@router.post(
    "/apprenticeships/{pk}/leave",
    response=ApprenticeshipDetailOut,
    summary="The apprentice leaves (a class's student leaves the class and the enterprise)",
)
def apprenticeship_leave_api(request: HttpRequest, pk: Id, payload: ApprenticeshipLeaveIn) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    apprenticeship_leave(
        apprenticeship=_detail(user, pk), left_on=payload.left_on, reason=payload.leave_reason, actor=user
    )
    return _detail(user, pk)


@router.post(
    "/import",
    response={200: ApprenticeshipImportOut, 400: ApprenticeshipImportOut},
    summary="Import apprentices (.xlsx or .csv): all rows or none, every bad row listed",
)
def apprenticeship_import_api(request: HttpRequest, file: File[UploadedFile]) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    result = apprenticeships_import(
        actor=user, filename=file.name or "", content=read_upload(file, label=_("导入文件"))
    )
    return (200 if result.ok else 400), {
        "imported": result.created,
        "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in result.errors],
    }


from skillcity.apprenticeship.api import classes  # noqa: E402,F401  (its routes join the router)
