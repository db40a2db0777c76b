"""/api/v1/employment/: the same as the pages. Contribution records imported (.xlsx/.csv, all rows or
none) or pulled from the social-insurance system's adapter; the imports and pulls; a worker's
employment spells (an officer in scope; the worker their own). Every schema is named Employment…."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Id
from skillcity.core.errors import DomainError
from skillcity.core.uploads import read_upload
from skillcity.employment import selectors
from skillcity.employment.models import ContributionBatch
from skillcity.employment.selectors import masked_held
from skillcity.employment.services import contributions_import
from skillcity.employment.services.adapter import REQUEST_PAGES, contributions_pull
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

    @staticmethod
    def resolve_errors(obj: ContributionBatch) -> list[dict[str, Any]]:
        """The held records as sent, their ID numbers masked (personal data: the bureau corrects them
        from the social-insurance system, not from this list)."""
        return masked_held(obj.errors or [])


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
        actor=user, filename=file.name or "", content=read_upload(file, label=_("导入文件"))
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
    user = acting_user(request)
    require_role(user, "bureau_officer")
    return contributions_pull(max_pages=REQUEST_PAGES, actor=user)


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


class EmploymentFlowOut(Schema):
    month: datetime.date
    insured: int
    hires: int
    separations: int | None


class EmploymentTownOut(Schema):
    town: str
    insured: int


class EmploymentSchoolYearOut(Schema):
    school: str
    private: bool
    year: int
    graduates: int
    employed: int  # of the graduates whose 12 months have closed
    pending: int  # 观察期未满: their 12 months not yet closed in the ledger
    share: Decimal | None  # employed over the closed ones
    meets_target: bool
    verdict: str  # met, not_met, pending


class EmploymentStatsOut(Schema):
    latest_month: datetime.date | None
    insured: int
    in_dongguan: int
    by_town: list[EmploymentTownOut]
    flows: list[EmploymentFlowOut]
    graduate_employment: list[EmploymentSchoolYearOut]


@router.get(
    "/stats",
    response=EmploymentStatsOut,
    summary="The loop's figures: insured workers by town, hires and separations per month, technical "
    "schools' graduates employed (officers; a town officer: the town's workers, no schools)",
)
def stats(request: HttpRequest, years: str = "") -> Any:
    from skillcity.employment.selectors import stats as figures

    user = acting_user(request)
    require_role(user, *OFFICERS)
    town_id = user.town_id if user.role == "town_officer" else None
    last = timezone.localdate().year - 1
    try:
        chosen = sorted({int(y) for y in years.split(",") if y.strip()}) or [last - 1, last]
    except ValueError:
        chosen = []
    if not chosen or len(chosen) > 10 or not all(2000 <= y <= 2100 for y in chosen):
        message = _("毕业年度须为 2000 至 2100 之间的年份，以逗号分隔，最多 10 个")
        raise DomainError("invalid_years", message, {"years": message})
    summary, schools = figures.cached(town_id=town_id, years=chosen)
    return {
        "latest_month": summary.latest,
        "insured": summary.insured,
        "in_dongguan": summary.in_dongguan,
        "by_town": [{"town": t, "insured": n} for t, n in summary.by_town],
        "flows": summary.flows,
        "graduate_employment": [
            {
                "school": r.school,
                "private": r.private,
                "year": r.year,
                "graduates": r.graduates,
                "employed": r.employed,
                "pending": r.pending,
                "share": r.share,
                "meets_target": r.meets_target,
                "verdict": r.verdict,
            }
            for r in schools
        ],
    }
