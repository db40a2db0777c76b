"""/api/v1/employment/: the same as the pages. Contribution records imported (.xlsx/.csv, all rows or
none) or pulled from the social-insurance system's adapter; the imports and pulls; a worker's
employment spells (an officer in scope; the worker their own). Every schema is named Employment…."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Id
from skillcity.core.errors import DomainError
from skillcity.core.uploads import read_upload
from skillcity.employment import selectors
from skillcity.employment.models import ContributionBatch
from skillcity.employment.services import contributions_import
from skillcity.employment.services.adapter import contributions_pull
from skillcity.registry.models import Worker

router = Router(tags=["employment"])
OFFICERS = ("bureau_officer", "town_officer")


class EmploymentRowErrorOut(Schema):
    row: int
    column: str
    reason: str


class EmploymentHeldOut(EmploymentRowErrorOut):
    record: dict[str, str] = {}


class EmploymentImportOut(Schema):
    imported: int
    unchanged: int
    errors: list[EmploymentRowErrorOut]


class EmploymentPullOut(Schema):
    pages: int
    written: int
    unchanged: int
    held: int


class EmploymentBatchOut(Schema):
    id: int
    source: str
    source_name: str
    file_name: str
    rows: int
    unchanged: int
    errors: list[EmploymentHeldOut]
    created_at: datetime.datetime

    @staticmethod
    def resolve_source_name(obj: ContributionBatch) -> str:
        return str(obj.get_source_display())


class EmploymentSpellOut(Schema):
    employer_uscc: str
    employer_name: str
    employer_id: int | None
    start: datetime.date
    end: datetime.date
    months: int
    in_dongguan: bool


@router.post(
    "/contributions/import",
    response={200: EmploymentImportOut, 400: EmploymentImportOut},
    summary="Import contribution records (.xlsx or .csv): all rows or none, every bad row listed (bureau)",
)
def contributions_import_api(request: HttpRequest, file: File[UploadedFile]) -> Any:
    user = acting_user(request)
    result = contributions_import(
        actor=user, filename=file.name or "", content=read_upload(file, label="导入文件")
    )
    return (200 if result.ok else 400), {
        "imported": result.created,
        "unchanged": result.unchanged,
        "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in result.errors],
    }


@router.post(
    "/contributions/pull",
    response=EmploymentPullOut,
    summary="Pull new records from the social-insurance system now (it also runs daily) (bureau)",
)
def contributions_pull_api(request: HttpRequest) -> Any:
    require_role(acting_user(request), "bureau_officer")
    return contributions_pull()


@router.get(
    "/batches",
    response=list[EmploymentBatchOut],
    summary="The latest imports and pulls, with the records a pull held aside (bureau)",
)
def batch_list(request: HttpRequest) -> Any:
    require_role(acting_user(request), "bureau_officer")
    return ContributionBatch.objects.all()[:100]


@router.get(
    "/workers/{pk}/spells",
    response=list[EmploymentSpellOut],
    summary="A worker's employment spells, derived from the contributions (officers in scope)",
)
def worker_spells(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    return selectors.spells_of(get_for(user, Worker.objects.all(), pk).pk)


@router.get("/me/spells", response=list[EmploymentSpellOut], summary="My employment spells (a worker)")
def my_spells(request: HttpRequest) -> Any:
    user = acting_user(request)
    if user.worker_id is None:
        raise DomainError("not_a_worker", _("请以已实名关联劳动者登记的账号查看本人就业记录"), status=403)
    return selectors.spells_of(user.worker_id)
