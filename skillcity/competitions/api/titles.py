"""/api/v1/competitions/titles…, /promotions: titles (award, list, revoke, import, public verification)
and promotions. Lookups through selectors and core.access; writes through services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from skillcity.certification import selectors as certification_selectors
from skillcity.competitions.models import Competition, Title
from skillcity.competitions.selectors import titles as selectors
from skillcity.competitions.services import promotions, title_imports, titles
from skillcity.core.access import acting_user, client_address, get_for
from skillcity.core.bounds import Id, IsoDate, Limit
from skillcity.core.errors import DomainError
from skillcity.core.schemas import InputSchema
from skillcity.core.uploads import read_upload

router = Router(tags=["competitions"])


class TitlePublic(Schema):
    number: str
    name_masked: str
    id_number_masked: str
    honour: str
    honour_name: str
    awarded_on: str
    competition: str
    project: str
    document: str
    signed: bool
    status: str
    status_name: str
    revoked_on: str | None = None
    revoked_reason: str | None = None


class TitleVerificationOut(Schema):
    status: str = Field(description="valid | revoked | not_found | tampered")
    message: str
    title: TitlePublic | None


def _limit(request: HttpRequest) -> None:
    if certification_selectors.verify_rate_limited(client_address(request)):
        raise DomainError("rate_limited", "查询过于频繁，请一分钟后再试", status=429)


@router.get(
    "/titles/verify", response=TitleVerificationOut, auth=None, summary="Verify a title by number and name"
)
def verify_title(request: HttpRequest, number: str = "", name: str = "") -> Any:
    _limit(request)
    return selectors.verify_title_by_number(number=number[:40], name=name[:50]).as_dict()


class QrIn(InputSchema):
    qr: str = Field(max_length=4000, description="the scanned QR string (payload.signature) or the whole URL")


@router.post("/titles/verify-qr", response=TitleVerificationOut, auth=None, summary="Verify a title's QR")
def verify_title_qr(request: HttpRequest, payload: QrIn) -> Any:
    _limit(request)
    return selectors.verify_title_qr(payload.qr).as_dict()


class TitleOut(Schema):
    id: int
    number: str
    worker_id: int
    holder_name: str
    honour: str
    honour_name: str = Field(alias="get_honour_display")
    awarded_on: str
    result_id: int | None
    competition_id: int | None = None
    document: str
    qr_token: str
    status: str
    revoked_on: str | None
    revoked_reason: str

    @staticmethod
    def resolve_awarded_on(obj: Title) -> str:
        return obj.awarded_on.isoformat()

    @staticmethod
    def resolve_revoked_on(obj: Title) -> str | None:
        return obj.revoked_on.isoformat() if obj.revoked_on else None

    @staticmethod
    def resolve_competition_id(obj: Title) -> int | None:
        return obj.result.project.competition_id if obj.result is not None else None


@router.get("/titles", response=list[TitleOut])
def list_titles(
    request: HttpRequest, q: str = "", status: str = "", honour: str = "", limit: Limit = 100
) -> Any:
    user = acting_user(request)
    if str(getattr(user, "role", "")) == "worker" and not user.is_superuser:
        return selectors.titles_for(user.worker)[:limit] if user.worker else []
    return selectors.title_list(user, q=q[:50], status=status[:16], honour=honour[:40])[:limit]


class TargetIn(InputSchema):
    project_id: Id | None = None
    competition_id: Id | None = None


def _target(request: HttpRequest, payload: TargetIn) -> dict[str, Any]:
    user = acting_user(request)
    projects = selectors.actionable_projects(user)
    if payload.project_id is not None and payload.competition_id is not None:
        raise DomainError("target_required", "请只指定一个竞赛项目或一个竞赛", {"project_id": "二选一"})
    if payload.project_id is not None:
        return {"project": get_for(user, projects, payload.project_id)}
    if payload.competition_id is not None:
        ids = projects.values_list("competition_id", flat=True)
        return {"competition": get_for(user, Competition.objects.filter(pk__in=ids), payload.competition_id)}
    raise DomainError("target_required", "请指定一个竞赛项目或一个竞赛", {"project_id": "必填其一"})


class AwardIn(TargetIn):
    awarded_on: IsoDate | None = None


@router.post("/titles/award", response={201: list[TitleOut]}, summary="Award 东莞市技术能手 per the quota")
def award_titles(request: HttpRequest, payload: AwardIn) -> Any:
    made = titles.titles_award(
        actor=acting_user(request), awarded_on=payload.awarded_on, **_target(request, payload)
    )
    return 201, made


class PromotedOut(Schema):
    id: int
    result_id: int
    worker_id: int
    level: int
    certificate_id: int
    certificate_number: str = Field(alias="certificate.number")


class SkippedOut(Schema):
    worker_id: int
    project_id: int
    reason: str


class PromotionReportOut(Schema):
    promoted: list[PromotedOut]
    skipped: list[SkippedOut]


class PromoteIn(TargetIn):
    issued_on: IsoDate | None = None


@router.post("/promotions", response={201: PromotionReportOut}, summary="Issue promotions per the rule")
def issue_promotions(request: HttpRequest, payload: PromoteIn) -> Any:
    report = promotions.promotions_issue(
        actor=acting_user(request), issued_on=payload.issued_on, **_target(request, payload)
    )
    return 201, {
        "promoted": report.promoted,
        "skipped": [{"worker_id": w.pk, "project_id": p.pk, "reason": str(r)} for w, p, r in report.skipped],
    }


class RowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    imported: int
    errors: list[RowErrorOut]


@router.post(
    "/titles/import", response={200: ImportOut, 400: ImportOut}, summary="Import provincial/national titles"
)
def import_titles(request: HttpRequest, file: File[UploadedFile]) -> Any:
    result = title_imports.titles_import(
        filename=file.name or "titles.xlsx",
        content=read_upload(file, label="称号文件"),
        actor=acting_user(request),
    )
    return (200 if result.ok else 400), {
        "imported": result.created,
        "errors": [vars(e) for e in result.errors],
    }


# The routes with a {pk} last: /titles/award and /titles/import must not be read as a title's id.


def _title(request: HttpRequest, pk: int) -> Title:
    user = acting_user(request)
    if str(getattr(user, "role", "")) == "worker" and not user.is_superuser:
        return get_for(user, selectors.titles_for(user.worker) if user.worker else Title.objects.none(), pk)
    return get_for(user, selectors.title_list(user), pk)


@router.get("/titles/{pk}", response=TitleOut)
def get_title(request: HttpRequest, pk: Id) -> Any:
    return _title(request, pk)


class ReasonIn(InputSchema):
    reason: str = Field(max_length=500)


@router.post("/titles/{pk}/revoke", response=TitleOut)
def revoke_title(request: HttpRequest, pk: Id, payload: ReasonIn) -> Any:
    return titles.title_revoke(title=_title(request, pk), reason=payload.reason, actor=acting_user(request))
