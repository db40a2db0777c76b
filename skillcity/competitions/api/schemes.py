"""/api/v1/competitions/: a project's marking scheme (JSON, or .xlsx in the published layout) and its
judges (conflicts refused), for the organiser. Writes through services.contests and services.scheme_xlsx."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from skillcity.competitions.models import ContestProject, Judge, Section
from skillcity.competitions.selectors.contests import (
    project_for_organiser,
)
from skillcity.competitions.services import contests, scheme_xlsx
from skillcity.core.access import acting_user
from skillcity.core.bounds import Id
from skillcity.core.errors import DomainError
from skillcity.core.schemas import InputSchema
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Worker

router = Router(tags=["competitions"])


# --- marking scheme ------------------------------------------------------------------------------


class AspectIO(Schema):
    id: Id | None = None
    code: str = Field(max_length=12)
    description: str = Field(max_length=500)
    kind: str = Field(description="measurement | judgement")
    max_mark: Decimal = Field(ge=Decimal("0.01"), le=100, decimal_places=2)


class SectionIO(Schema):
    code: str = Field(max_length=10)
    name: str = Field(max_length=200)
    aspects: list[AspectIO] = Field(max_length=scheme_xlsx.ROWS_MAX)


class SchemeIn(InputSchema):
    sections: list[SectionIO] = Field(max_length=scheme_xlsx.ROWS_MAX)


def _scheme(project: ContestProject) -> dict[str, Any]:
    return {
        "sections": [
            {
                "code": s.code,
                "name": s.name,
                "aspects": [
                    {
                        "id": a.pk,
                        "code": a.code,
                        "description": a.description,
                        "kind": a.kind,
                        "max_mark": a.max_mark,
                    }
                    for a in s.aspects.all()
                ],
            }
            for s in Section.objects.filter(project=project).prefetch_related("aspects")
        ]
    }


@router.get("/projects/{pk}/scheme", response=SchemeIn, summary="The marking scheme (JSON)")
def get_scheme(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    judge_project = ContestProject.objects.filter(
        pk=pk, judges__worker_id=getattr(user, "worker_id", None) or 0
    )
    project = judge_project.first() or project_for_organiser(user, pk)
    return _scheme(project)


@router.put("/projects/{pk}/scheme", response=SchemeIn, summary="Replace the marking scheme")
def set_scheme(request: HttpRequest, pk: Id, payload: SchemeIn) -> Any:
    user = acting_user(request)
    project = project_for_organiser(user, pk)
    sections = [
        {
            "code": s.code,
            "name": s.name,
            "aspects": [a.model_dump(exclude={"id"}) for a in s.aspects],
        }
        for s in payload.sections
    ]
    contests.scheme_set(project=project, actor=user, sections=sections)
    return _scheme(project)


class ImportErrorOut(Schema):
    row: int
    column: str
    reason: str


class SchemeImportOut(Schema):
    created: int
    errors: list[ImportErrorOut]


@router.get("/scheme-template.xlsx", summary="The published .xlsx layout of a marking scheme")
def scheme_template(request: HttpRequest) -> HttpResponse:
    acting_user(request)
    response = HttpResponse(
        scheme_xlsx.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="marking-scheme.xlsx"'
    return response


@router.post(
    "/projects/{pk}/scheme/import",
    response={200: SchemeImportOut, 400: SchemeImportOut},
    summary="Import the marking scheme from .xlsx (all rows or none)",
)
def import_scheme(request: HttpRequest, pk: Id, file: File[UploadedFile]) -> Any:
    user = acting_user(request)
    project = project_for_organiser(user, pk)
    result = scheme_xlsx.scheme_import(
        project=project, actor=user, filename=file.name or "", content=read_upload(file, label="评分方案文件")
    )
    return (200 if result.ok else 400), {
        "created": result.created,
        "errors": [vars(e) for e in result.errors],
    }


# --- judges --------------------------------------------------------------------------------------


class JudgeOut(Schema):
    id: int
    project_id: int
    worker_id: int
    name: str = Field(alias="worker.name")
    unit_id: int | None
    is_chief: bool


class JudgeIn(InputSchema):
    id_number: str = Field(
        min_length=15, max_length=18, description="the judge's ID number (in the registry)"
    )
    is_chief: bool = False


@router.get("/projects/{pk}/judges", response=list[JudgeOut])
def list_judges(request: HttpRequest, pk: Id) -> Any:
    project = project_for_organiser(acting_user(request), pk)
    return Judge.objects.filter(project=project).select_related("worker").order_by("-is_chief", "id")


@router.post("/projects/{pk}/judges", response={201: JudgeOut}, summary="Assign a judge (conflicts refused)")
def assign_judge(request: HttpRequest, pk: Id, payload: JudgeIn) -> Any:
    user = acting_user(request)
    project = project_for_organiser(user, pk)
    worker = (
        Worker.objects.select_related("employer").filter(id_number=payload.id_number.strip().upper()).first()
    )
    if worker is None:
        raise DomainError(
            "not_found", _("没有该身份证号码的劳动者登记"), {"id_number": _("没有该身份证号码的劳动者登记")}
        )
    return 201, contests.judge_assign(project=project, actor=user, worker=worker, is_chief=payload.is_chief)
