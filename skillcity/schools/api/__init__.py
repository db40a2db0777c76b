"""/api/v1/schools/: the same as the pages. Schools (bureau: all; a school's organisation user: its
own), majors, rolls import (all rows or none), international classes, students and certificates,
graduations with EDU-EQUIV, social-training reports, grants applications from records, T-TECH-SCHOOLS
progress. Every schema is named School…; every number is bounded (core.bounds)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Headcount, Id, IsoDate, Limit, Money, Year
from skillcity.core.errors import DomainError
from skillcity.core.exports import xlsx_response
from skillcity.core.schemas import InputSchema
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Organisation
from skillcity.schools import selectors
from skillcity.schools import services as svc
from skillcity.schools.models import (
    Graduation,
    InternationalClass,
    InternationalStudent,
    Major,
    SocialTrainingReport,
)
from skillcity.schools.services import grants as school_grants
from skillcity.schools.services import rolls as roll_service

router = Router(tags=["schools"])
ROLES = ("bureau_officer", "organisation_user")


def _user(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, *ROLES)
    return user


def _school(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    user = _user(request)
    return user, get_for(user, selectors.schools_for(user), pk)


class SchoolOut(Schema):
    id: int
    organisation_id: int
    name: str = Field(alias="organisation.name")
    town: str = Field(alias="organisation.town.name")
    kind: str
    kind_name: str = Field(alias="get_kind_display")
    ownership: str
    ownership_name: str = Field(alias="get_ownership_display")


class SchoolRegisterIn(InputSchema):
    organisation_id: Id
    ownership: str


class SchoolMajorOut(Schema):
    id: int
    school_id: int
    name: str
    code: str
    industry_fit: str
    industry_fit_name: str = Field(alias="get_industry_fit_display")
    demonstration: bool
    enterprise_training: bool


class SchoolMajorIn(InputSchema):
    name: str = Field(max_length=100)
    code: str = Field("", max_length=20)
    industry_fit: str
    enterprise_training: bool = False


class SchoolDemonstrationIn(InputSchema):
    demonstration: bool


class SchoolRollCountOut(Schema):
    major_id: int
    year: int
    year_of_study: int
    class_kind: str
    class_kind_name: str = Field(alias="get_class_kind_display")
    students: int


class SchoolRowErrorOut(Schema):
    row: int
    column: str
    reason: str


class SchoolImportOut(Schema):
    imported: int
    errors: list[SchoolRowErrorOut]


class SchoolIntlClassIn(InputSchema):
    major_id: Id
    name: str = Field(max_length=100)
    year: Year
    curriculum: str = Field(max_length=100)


class SchoolIntlClassOut(Schema):
    id: int
    major_id: int
    name: str
    year: int
    curriculum: str
    students: int

    @staticmethod
    def resolve_students(obj: InternationalClass) -> int:
        return obj.students.count()


class SchoolStudentIn(InputSchema):
    id_number: str = Field(max_length=18)
    name: str = Field(max_length=50)


class SchoolCertificateIn(InputSchema):
    certificate_name: str = Field(max_length=100)
    certificate_number: str = Field(max_length=60)
    certificate_date: IsoDate


class SchoolStudentOut(Schema):
    id: int
    intl_class_id: int
    worker_id: int
    name: str = Field(alias="worker.name")
    certificate_name: str
    certificate_number: str
    certificate_date: str | None

    @staticmethod
    def resolve_certificate_date(obj: InternationalStudent) -> str | None:
        return obj.certificate_date.isoformat() if obj.certificate_date else None


class SchoolGraduationIn(InputSchema):
    major_id: Id
    id_number: str = Field(max_length=18)
    name: str = Field(max_length=50)
    class_kind: str
    graduated_on: IsoDate
    certificate_number: str = Field("", max_length=60)


class SchoolGraduationOut(Schema):
    id: int
    major_id: int
    worker_id: int
    name: str = Field(alias="worker.name")
    class_kind: str
    class_kind_name: str = Field(alias="get_class_kind_display")
    graduated_on: str
    equivalent: str = Field(description="EDU-EQUIV: the education the class counts as (中专/大专/本科)")

    @staticmethod
    def resolve_graduated_on(obj: Graduation) -> str:
        return obj.graduated_on.isoformat()


class SchoolReportIn(InputSchema):
    year: Year
    income: Money  # type: ignore[valid-type]
    costs: Money  # type: ignore[valid-type]
    person_times: Headcount


class SchoolReportOut(Schema):
    id: int
    year: int
    income: Decimal
    costs: Decimal
    person_times: int


class SchoolApplyIn(InputSchema):
    """What a from-records application needs besides the records: which record, and what the rule asks
    the school to state (EDU-MAJOR-BUILD's requested amount, EDU-INTL-CLASS's actual cost)."""

    rule_id: str = Field(
        description="EDU-DEMO-MAJOR, EDU-INTL-CLASS, EDU-MAJOR-BUILD, EDU-INTL-CERT or EDU-SOCIAL-TRAINING"
    )
    year: Year | None = None
    major_id: Id | None = None
    student_id: Id | None = None
    requested: Money | None = None  # type: ignore[valid-type]
    actual_cost: Money | None = None  # type: ignore[valid-type]


class SchoolApplicationOut(Schema):
    id: int
    rule_id: str
    state: str
    state_name: str = Field(alias="get_state_display")
    source_key: str
    facts: dict[str, Any]
    fact_sources: dict[str, str]
    amount: str | None

    @staticmethod
    def resolve_amount(obj: Any) -> str | None:
        amount = (obj.outcome or {}).get("amount")
        return None if amount is None else str(amount)


class SchoolMeasureOut(Schema):
    label: str
    value: str
    target: str
    met: bool


class SchoolProgressOut(Schema):
    year: int
    schools: int
    students: int
    advanced: int
    majors: int
    majors_with_enterprise: int
    graduates: int
    measures: list[SchoolMeasureOut]


@router.get("/", response=list[SchoolOut], summary="Schools (bureau: all; a school's user: its own)")
def school_list(request: HttpRequest) -> Any:
    return selectors.schools_for(_user(request))


@router.post(
    "/", response={201: SchoolOut}, summary="Register a school from a registry organisation (bureau)"
)
def school_register(request: HttpRequest, payload: SchoolRegisterIn) -> Any:
    user = _user(request)
    organisation = get_for(user, Organisation.objects.all(), payload.organisation_id)
    return 201, svc.school_register(actor=user, organisation=organisation, ownership=payload.ownership)


@router.get("/progress", response=SchoolProgressOut, summary="T-TECH-SCHOOLS progress for a year (bureau)")
def progress(request: HttpRequest, year: Year) -> Any:
    require_role(acting_user(request), "bureau_officer")
    return selectors.progress(year)


@router.get("/rolls-template", summary="The rolls import template (.xlsx)")
def rolls_template(request: HttpRequest) -> HttpResponse:
    _user(request)
    return xlsx_response(roll_service.template(), "school-rolls-template.xlsx")


@router.get("/{pk}", response=SchoolOut, summary="A school")
def school_detail(request: HttpRequest, pk: Id) -> Any:
    return _school(request, pk)[1]


@router.get("/{pk}/majors", response=list[SchoolMajorOut], summary="A school's majors")
def major_list(request: HttpRequest, pk: Id) -> Any:
    return _school(request, pk)[1].majors.all()


@router.post("/{pk}/majors", response={201: SchoolMajorOut}, summary="Add a major")
def major_create(request: HttpRequest, pk: Id, payload: SchoolMajorIn) -> Any:
    user, school = _school(request, pk)
    return 201, svc.major_create(actor=user, school=school, **payload.dict())


@router.put("/{pk}/majors/{major_id}", response=SchoolMajorOut, summary="Change a major")
def major_update(request: HttpRequest, pk: Id, major_id: Id, payload: SchoolMajorIn) -> Any:
    user, school = _school(request, pk)
    major = get_for(user, Major.objects.filter(school=school), major_id)
    return svc.major_update(actor=user, major=major, **payload.dict())


@router.post(
    "/{pk}/majors/{major_id}/demonstration",
    response=SchoolMajorOut,
    summary="Select or drop a demonstration major (bureau)",
)
def major_demonstration(request: HttpRequest, pk: Id, major_id: Id, payload: SchoolDemonstrationIn) -> Any:
    user, school = _school(request, pk)
    major = get_for(user, Major.objects.filter(school=school), major_id)
    return svc.major_set_demonstration(actor=user, major=major, demonstration=payload.demonstration)


@router.get("/{pk}/rolls", response=list[SchoolRollCountOut], summary="A year's roll counts")
def roll_list(request: HttpRequest, pk: Id, year: Year) -> Any:
    school = _school(request, pk)[1]
    return school.roll_counts.filter(year=year)


@router.post(
    "/{pk}/rolls",
    response={200: SchoolImportOut, 400: SchoolImportOut},
    summary="Import a year's rolls (.xlsx): all rows or none",
)
def roll_import(request: HttpRequest, pk: Id, file: File[UploadedFile], year: Form[Year]) -> Any:
    user, school = _school(request, pk)
    result = roll_service.rolls_import(
        actor=user,
        school=school,
        year=year,
        filename=file.name or "",
        content=read_upload(file, label="名册文件"),
    )
    return (200 if result.ok else 400), {
        "imported": result.created,
        "errors": [vars(e) for e in result.errors],
    }


@router.get("/{pk}/intl-classes", response=list[SchoolIntlClassOut], summary="International course classes")
def intl_class_list(request: HttpRequest, pk: Id) -> Any:
    return _school(request, pk)[1].international_classes.all()


@router.post(
    "/{pk}/intl-classes", response={201: SchoolIntlClassOut}, summary="Add an international course class"
)
def intl_class_create(request: HttpRequest, pk: Id, payload: SchoolIntlClassIn) -> Any:
    user, school = _school(request, pk)
    major = get_for(user, Major.objects.filter(school=school), payload.major_id)
    return 201, svc.intl_class_create(
        actor=user, major=major, name=payload.name, year=payload.year, curriculum=payload.curriculum
    )


@router.get(
    "/{pk}/intl-classes/{class_id}/students", response=list[SchoolStudentOut], summary="A class's students"
)
def student_list(request: HttpRequest, pk: Id, class_id: Id) -> Any:
    user, school = _school(request, pk)
    klass = get_for(user, InternationalClass.objects.filter(school=school), class_id)
    return klass.students.select_related("worker")


@router.post(
    "/{pk}/intl-classes/{class_id}/students",
    response={201: SchoolStudentOut},
    summary="Add a student (a registered worker)",
)
def student_add(request: HttpRequest, pk: Id, class_id: Id, payload: SchoolStudentIn) -> Any:
    user, school = _school(request, pk)
    klass = get_for(user, InternationalClass.objects.filter(school=school), class_id)
    worker = svc.worker_by_id_number(payload.id_number, payload.name)
    return 201, svc.intl_student_add(actor=user, intl_class=klass, worker=worker)


@router.post(
    "/{pk}/intl-students/{student_id}/certificate",
    response=SchoolStudentOut,
    summary="Record a student's international certificate",
)
def certificate_record(request: HttpRequest, pk: Id, student_id: Id, payload: SchoolCertificateIn) -> Any:
    user, school = _school(request, pk)
    student = get_for(user, InternationalStudent.objects.filter(intl_class__school=school), student_id)
    return svc.intl_certificate_record(actor=user, student=student, **payload.dict())


@router.get(
    "/{pk}/graduations", response=list[SchoolGraduationOut], summary="Graduation records with EDU-EQUIV"
)
def graduation_list(request: HttpRequest, pk: Id, year: Year | None = None, limit: Limit = 100) -> Any:
    school = _school(request, pk)[1]
    found = Graduation.objects.filter(school=school).select_related("worker")
    if year is not None:
        found = found.filter(graduated_on__year=year)
    return selectors.with_equivalents(found[:limit])


@router.post(
    "/{pk}/graduations",
    response={201: SchoolGraduationOut},
    summary="Record a graduate (a registered worker)",
)
def graduation_create(request: HttpRequest, pk: Id, payload: SchoolGraduationIn) -> Any:
    user, school = _school(request, pk)
    major = get_for(user, Major.objects.filter(school=school), payload.major_id)
    worker = svc.worker_by_id_number(payload.id_number, payload.name)
    grad = svc.graduation_record(
        actor=user,
        major=major,
        worker=worker,
        class_kind=payload.class_kind,
        graduated_on=payload.graduated_on,
        certificate_number=payload.certificate_number,
    )
    return 201, selectors.with_equivalents([grad])[0]


@router.get(
    "/{pk}/reports", response=list[SchoolReportOut], summary="Social-training reports (public schools)"
)
def report_list(request: HttpRequest, pk: Id) -> Any:
    return _school(request, pk)[1].social_reports.all()


@router.post(
    "/{pk}/reports", response=SchoolReportOut, summary="File or correct a year's social-training report"
)
def report_file(request: HttpRequest, pk: Id, payload: SchoolReportIn) -> Any:
    user, school = _school(request, pk)
    return svc.social_report_file(actor=user, school=school, **payload.dict())


@router.get(
    "/{pk}/applications", response=list[SchoolApplicationOut], summary="The school's grants applications"
)
def application_list(request: HttpRequest, pk: Id, limit: Limit = 100) -> Any:
    return selectors.school_grants(_school(request, pk)[1])[:limit]


@router.post(
    "/{pk}/applications",
    response={201: SchoolApplicationOut},
    summary="Apply for an EDU grant from the records",
)
def application_create(request: HttpRequest, pk: Id, payload: SchoolApplyIn) -> Any:
    user, school = _school(request, pk)

    def need(value: Any, field: str) -> Any:
        if value is None:
            raise DomainError("required", _("该政策条目需要填写 %(f)s") % {"f": field}, {field: _("请填写")})
        return value

    def major() -> Major:
        return get_for(user, Major.objects.filter(school=school), need(payload.major_id, "major_id"))

    rule = payload.rule_id
    if rule == "EDU-DEMO-MAJOR":
        app = school_grants.demo_major_apply(actor=user, major=major(), year=need(payload.year, "year"))
    elif rule == "EDU-MAJOR-BUILD":
        app = school_grants.major_build_apply(
            actor=user,
            major=major(),
            year=need(payload.year, "year"),
            requested=need(payload.requested, "requested"),
        )
    elif rule == "EDU-INTL-CLASS":
        app = school_grants.intl_class_apply(
            actor=user, school=school, year=need(payload.year, "year"), actual_cost=payload.actual_cost
        )
    elif rule == "EDU-INTL-CERT":
        student = get_for(
            user,
            InternationalStudent.objects.filter(intl_class__school=school),
            need(payload.student_id, "student_id"),
        )
        app = school_grants.intl_cert_apply(actor=user, student=student)
    elif rule == "EDU-SOCIAL-TRAINING":
        report = SocialTrainingReport.objects.filter(school=school, year=need(payload.year, "year")).first()
        if report is None:
            raise DomainError(
                "no_report", _("该年度尚未填报社会化培训报告"), {"year": _("该年度尚未填报")}, status=404
            )
        app = school_grants.social_training_apply(actor=user, report=report)
    else:
        raise DomainError("bad_rule", _("不支持的政策条目"), {"rule_id": _("应为院校类政策条目之一")})
    return 201, app
