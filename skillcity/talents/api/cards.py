"""/api/v1/talents/: the card (eligibility with reasons, apply, my card, public verification), the bureau's
cards (revoke), services, imports, the high-skill pool and the honours share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from skillcity.certification.api import client_address
from skillcity.certification.selectors import verify_rate_limited
from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Id, Level, Limit, Year
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.schemas import InputSchema
from skillcity.core.uploads import read_upload
from skillcity.talents.models import CardService, HonourList, TalentCard
from skillcity.talents.selectors import cards as card_selectors
from skillcity.talents.selectors import pool as pool_selectors
from skillcity.talents.services import card_imports, cards, honours

router = Router(tags=["talents"])
BUREAU = "bureau_officer"


class CardOut(Schema):
    id: int
    number: str
    worker_id: int
    holder: str = Field(alias="worker.name")
    status: str
    status_name: str = Field(alias="get_status_display")
    issued_on: str
    grounds: list[str]
    qr: str = Field(alias="qr_token")
    revoked_on: str | None
    revoked_reason: str

    @staticmethod
    def resolve_issued_on(obj: TalentCard) -> str:
        return obj.issued_on.isoformat()

    @staticmethod
    def resolve_revoked_on(obj: TalentCard) -> str | None:
        return obj.revoked_on.isoformat() if obj.revoked_on else None


class ServiceOut(Schema):
    id: int
    name: str
    provider: str
    description: str
    order: int
    active: bool
    demo: bool = Field(description="a demo value: the documents do not list the services")


class EligibilityOut(Schema):
    eligible: bool
    reasons: list[str]
    grounds: list[str]
    facts: dict[str, Any]
    evaluated_on: str = Field(
        description="the day TAL-CARD was evaluated on (its last day in force, if out of force)"
    )
    in_force_note: str


class MyCardOut(Schema):
    card: CardOut | None
    eligibility: EligibilityOut | None
    services: list[ServiceOut]


def _worker(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "worker")
    return user.worker


@router.get("/card", response=MyCardOut, summary="My card, or my eligibility with its reasons; the services")
def my_card(request: HttpRequest) -> Any:
    worker = _worker(request)
    card = card_selectors.valid_card(worker)
    eligibility = None
    if card is None:
        outcome = card_selectors.card_eligibility(worker)
        facts = {k: v for k, (v, _p) in card_selectors.card_facts(worker, outcome.date).items()}
        eligibility = {
            "eligible": outcome.eligible,
            "reasons": outcome.reasons,
            "grounds": outcome.extra.get("grounds", []),
            "facts": facts,
            "evaluated_on": outcome.date.isoformat(),
            "in_force_note": outcome.extra.get("in_force_note", ""),
        }
    return {"card": card, "eligibility": eligibility, "services": list(card_selectors.active_services())}


@router.post(
    "/card/apply", response={201: CardOut}, summary="Apply in one step (issued at once when eligible)"
)
def card_apply(request: HttpRequest) -> Any:
    return 201, cards.card_apply(worker=_worker(request), actor=acting_user(request))


class CardPublic(Schema):
    number: str
    name_masked: str
    issued_on: str
    status: str
    status_name: str
    grounds: list[str]
    revoked_on: str | None = None
    revoked_reason: str | None = None


class CardVerificationOut(Schema):
    status: str = Field(description="valid | revoked | not_found | tampered")
    message: str
    card: CardPublic | None
    name_changed: bool = Field(
        False, description="the holder's registry name was corrected since the card was issued"
    )


class QrIn(InputSchema):
    qr: str = Field(max_length=4000, description="the scanned QR string (payload.signature) or the whole URL")


@router.post(
    "/cards/verify", response=CardVerificationOut, auth=None, summary="Verify a scanned card (public)"
)
def card_verify(request: HttpRequest, payload: QrIn) -> Any:
    if verify_rate_limited(client_address(request)):
        raise DomainError("rate_limited", _("查询过于频繁，请一分钟后再试"), status=429)
    return card_selectors.verify_card_token(payload.qr).as_dict()


@router.get("/cards", response=list[CardOut], summary="Issued cards (officers, within their scope)")
def card_list(request: HttpRequest, status: str = "", q: str = "", limit: Limit = 100) -> Any:
    user = acting_user(request)
    require_role(user, BUREAU, "town_officer")
    return list(card_selectors.card_list(user, status=status, q=q[:50])[:limit])


class RevokeIn(InputSchema):
    reason: str = Field(max_length=500)


@router.post("/cards/{pk}/revoke", response=CardOut, summary="Revoke a card (the holder is told)")
def card_revoke(request: HttpRequest, pk: Id, payload: RevokeIn) -> Any:
    user = acting_user(request)
    require_role(user, BUREAU)
    card = get_for(user, TalentCard.objects.select_related("worker"), pk, write=True)
    return cards.card_revoke(card=card, reason=payload.reason, actor=user)


class ServiceIn(InputSchema):
    name: str = Field(max_length=60)
    provider: str = Field(max_length=60)
    description: str = Field("", max_length=300)
    order: int = Field(0, ge=0, le=999)
    active: bool = True
    demo: bool = False


@router.get("/card-services", response=list[ServiceOut], summary="The services the card opens (bureau: all)")
def service_list(request: HttpRequest) -> Any:
    user = acting_user(request)
    if user.is_superuser or user.role == BUREAU:
        return list(CardService.objects.order_by("order", "id"))
    return list(card_selectors.active_services())


@router.post("/card-services", response={201: ServiceOut}, summary="Add a service (at most 24 active)")
def service_create(request: HttpRequest, payload: ServiceIn) -> Any:
    return 201, cards.card_service_save(actor=acting_user(request), **payload.dict())


@router.put("/card-services/{pk}", response=ServiceOut, summary="Change a service")
def service_update(request: HttpRequest, pk: Id, payload: ServiceIn) -> Any:
    require_role(acting_user(request), BUREAU)
    service = CardService.objects.filter(pk=pk).first()
    if service is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return cards.card_service_save(actor=acting_user(request), service=service, **payload.dict())


class RowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    imported: int
    errors: list[RowErrorOut]


def _import_answer(result: Any) -> Any:
    return (200 if result.ok else 400), {
        "imported": result.created,
        "errors": [vars(e) for e in result.errors],
    }


@router.post(
    "/imports/titles", response={200: ImportOut, 400: ImportOut}, summary="Import 莞邑工匠 / 首席技师"
)
def import_titles(request: HttpRequest, file: File[UploadedFile]) -> Any:
    return _import_answer(
        card_imports.titles_import(
            filename=file.name or "",
            content=read_upload(file, label=_("导入文件")),
            actor=acting_user(request),
        )
    )


@router.post("/imports/studios", response={200: ImportOut, 400: ImportOut}, summary="Import studio leads")
def import_studios(request: HttpRequest, file: File[UploadedFile]) -> Any:
    return _import_answer(
        card_imports.studios_import(
            filename=file.name or "",
            content=read_upload(file, label=_("导入文件")),
            actor=acting_user(request),
        )
    )


@router.post("/imports/honours", response={200: ImportOut, 400: ImportOut}, summary="Import an honours list")
def import_honours(request: HttpRequest, file: File[UploadedFile], award: Form[str], year: Form[Year]) -> Any:
    return _import_answer(
        honours.honours_import(
            award=award[:60],
            year=year,
            filename=file.name or "",
            content=read_upload(file, label=_("导入文件")),
            actor=acting_user(request),
        )
    )


class PoolWorkerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    town: str
    employer: str
    highest_level: int
    occupations: list[str]
    titles: list[str]


@router.get("/pool", response=list[PoolWorkerOut], summary="The high-skill talent pool (level ≤ 3), masked")
def pool(
    request: HttpRequest,
    town: Id | None = None,
    industry: Id | None = None,
    occupation: str = "",
    level: Level | None = None,
    limit: Limit = 100,
) -> Any:
    user = acting_user(request)
    require_role(user, BUREAU, "town_officer")
    filters = {"town": town, "industry": industry, "occupation": occupation[:20], "level": level}
    return [
        {
            "id": w.pk,
            "name": w.name,
            "id_number_masked": w.id_number_masked,
            "town": w.town.name,
            "employer": w.employer.name if w.employer else "",
            "highest_level": w.highest_level,
            "occupations": pool_selectors.pool_occupations(w),
            "titles": pool_selectors.pool_titles(w),
        }
        for w in pool_selectors.pool_queryset(user, filters)[:limit]
    ]


class WinnerOut(Schema):
    row: int
    name: str
    id_number_masked: str
    unit: str
    worker_id: int | None
    counted: bool
    why: str


class ShareOut(Schema):
    id: int
    award: str
    year: int
    winners_total: int
    skilled_winners: int
    share_percent: str
    met: bool
    reasons: list[str]
    winners: list[WinnerOut]


@router.get("/honour-lists/{pk}/share", response=ShareOut, summary="TAL-HONOUR-SHARE for one list")
def honour_share(request: HttpRequest, pk: Id) -> Any:
    require_role(acting_user(request), BUREAU)
    honour_list = HonourList.objects.filter(pk=pk).first()
    if honour_list is None:
        raise NotFound(_("记录不存在或您无权查看"))
    outcome, rows = pool_selectors.honour_share(honour_list)
    return {
        "id": honour_list.pk,
        "award": honour_list.award,
        "year": honour_list.year,
        "winners_total": len(rows),
        "skilled_winners": sum(1 for r in rows if r.counted),
        "share_percent": outcome.extra.get("share_percent", "0"),
        "met": outcome.eligible,
        "reasons": outcome.reasons,
        "winners": [{**vars(r), "worker_id": r.worker.pk if r.worker else None} for r in rows],
    }
