"""/api/v1/training/: vouchers (mine, redeem), projects, classes and rosters, enrolments, subsidies,
settlements, the shortage catalog and voucher batches."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import (
    Id,
    IsoDate,
    Level,
    Year,
    column_money_max,
    money_type,
)
from skillcity.core.errors import DomainError
from skillcity.core.schemas import InputSchema
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Occupation
from skillcity.training import selectors, services, statements
from skillcity.training.models import (
    Settlement,
    ShortageCatalogEntry,
    VoucherBatch,
)
from skillcity.training.settling import settlement_period, settlement_provider_for

router = Router(tags=["training"])


class VoucherOut(Schema):
    code: str
    state: str
    # The state as of today: issued but past its validity is "expired" before the daily job runs.
    state_now: str
    face_value: Decimal
    valid_from: datetime.date
    valid_to: datetime.date

    @staticmethod
    def resolve_state_now(obj: Any) -> str:
        return str(obj.state_now())


# The redemption's schemas are plain pydantic models: Django Ninja's Schema wraps every validation
# in its Django-aware getter, which the counter's hot route (skillcity.training.hot) need not pay.
class RedeemIn(pydantic.BaseModel):
    code: str
    idempotency_key: str
    enrolment_id: Id | None = None


class RedemptionOut(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(from_attributes=True)

    voucher_code: str
    amount: Decimal
    enrolment_id: int | None
    redeemed_at: datetime.datetime


class EnrolmentOut(Schema):
    id: int
    project: str
    status: str
    enrolled_on: datetime.date
    completed_on: datetime.date | None


class SubsidyOut(Schema):
    enrolment_id: int
    rule: str
    payee: str
    amount: Decimal
    settlement_status: str


class SettlementOut(Schema):
    id: int
    provider_id: int
    period: str
    status: str
    line_count: int
    total_amount: Decimal
    enrolments_total: int
    enrolments_done: int


class PayIn(InputSchema):
    idempotency_key: str
    # 国库支付凭证号: required — an empty or over-long one is refused by the service, naming the field.
    treasury_reference: str = ""


class SettlementStartIn(InputSchema):
    period: str
    # The bureau names the provider; a provider settles its own.
    provider_id: Id | None = None


@router.get("/health", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    """A trivial endpoint: the baseline the voucher benchmark compares redemption against."""
    return {"status": "ok"}


@router.get("/vouchers", response=list[VoucherOut])
def vouchers(request: HttpRequest) -> list[VoucherOut]:
    return list(selectors.vouchers_for(acting_user(request))[:500])  # type: ignore[arg-type]


@router.post("/vouchers/redeem", response=RedemptionOut)
def redeem(request: HttpRequest, body: RedeemIn) -> services.RedemptionReceipt:
    """Redeem a voucher at the counter. With a bearer token and no enrolment this is served as a hot
    route before Django's request cycle (skillcity.training.hot); the answers are the same."""
    user = acting_user(request)
    require_role(user, "organisation_user")
    enrolment = None
    if body.enrolment_id is not None:
        enrolment = get_for(user, selectors.enrolments_for(user), body.enrolment_id)
    return services.voucher_redeem_receipt(
        code=body.code,
        idempotency_key=body.idempotency_key,
        redeemer=services.Redeemer.acting(user.organisation, user),  # type: ignore[arg-type]
        enrolment=enrolment,
    )


class ReverseIn(InputSchema):
    reason: str = pydantic.Field(min_length=1, max_length=200)


class ReversalOut(Schema):
    redemption_id: int
    voucher_code: str
    voucher_state: str
    reason: str
    reversed_at: datetime.datetime


@router.post("/redemptions/{id}/reverse", response=ReversalOut)
def redemption_reverse(request: HttpRequest, id: Id, body: ReverseIn) -> dict[str, object]:
    """Take a redemption back within SKILLCITY_REDEMPTION_UNDO_MINUTES (the provider that redeemed
    it only; reason required). Asking again returns the same reversal."""
    user = acting_user(request)
    require_role(user, "organisation_user")
    redemption = get_for(user, selectors.redemptions_for(user), id)
    reversal = services.redemption_reverse(redemption=redemption, reason=body.reason, actor=user)
    redemption.voucher.refresh_from_db(fields=["state"])
    return {
        "redemption_id": redemption.pk,
        "voucher_code": redemption.voucher.code,
        "voucher_state": redemption.voucher.state,
        "reason": reversal.reason,
        "reversed_at": reversal.reversed_at,
    }


@router.get("/enrolments", response=list[EnrolmentOut])
def enrolments(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "id": e.id,
            "project": e.training_class.project.name,
            "status": e.status,
            "enrolled_on": e.enrolled_on,
            "completed_on": e.completed_on,
        }
        for e in selectors.enrolments_for(acting_user(request))[:500]
    ]


@router.get("/subsidies", response=list[SubsidyOut])
def subsidies(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "enrolment_id": s.enrolment_id,
            "rule": s.rule,
            "payee": s.payee,
            "amount": s.amount,
            "settlement_status": s.settlement.status,
        }
        for s in selectors.subsidies_for(acting_user(request))[:500]
    ]


@router.get("/settlements", response=list[SettlementOut])
def settlements(request: HttpRequest) -> list[Settlement]:
    return list(selectors.settlements_for(acting_user(request))[:500])


@router.post("/settlements", response={202: SettlementOut})
def settlement_start(request: HttpRequest, body: SettlementStartIn) -> tuple[int, Settlement]:
    """Start a half-year settlement as a background job; poll GET /settlements/{id} for progress."""
    user = acting_user(request)
    provider = settlement_provider_for(user, body.provider_id)
    return 202, services.settlement_start(
        provider=provider, period=settlement_period(body.period), actor=user
    )


@router.get("/settlements/{settlement_id}", response=SettlementOut)
def settlement(request: HttpRequest, settlement_id: Id) -> Settlement:
    user = acting_user(request)
    return get_for(user, selectors.settlements_for(user), settlement_id)


@router.post("/settlements/{settlement_id}/approve", response=SettlementOut)
def settlement_approve(request: HttpRequest, settlement_id: Id) -> Settlement:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    settlement = get_for(user, selectors.settlements_for(user), settlement_id, write=True)
    return services.settlement_approve(settlement=settlement, actor=user)


@router.post("/settlements/{settlement_id}/pay", response=SettlementOut)
def settlement_pay(request: HttpRequest, settlement_id: Id, body: PayIn) -> Settlement:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    settlement = get_for(user, selectors.settlements_for(user), settlement_id, write=True)
    return services.settlement_pay(
        settlement=settlement,
        idempotency_key=body.idempotency_key,
        actor=user,
        treasury_reference=body.treasury_reference,
    )


# ---- shortage catalog and issuance (bureau) ---------------------------------------------------------


class CatalogEntryOut(Schema):
    year: int
    occupation_code: str
    occupation_name: str
    category: str


@router.get("/shortage-catalog", response=list[CatalogEntryOut])
def shortage_catalog(request: HttpRequest, year: Year | None = None) -> list[dict[str, object]]:
    user = acting_user(request)
    require_role(user, "bureau_officer", "town_officer")
    entries = ShortageCatalogEntry.objects.select_related("occupation").order_by("-year", "occupation__code")
    if year is not None:
        entries = entries.filter(year=year)
    return [
        {"year": e.year, "occupation_code": e.occupation.code, "occupation_name": e.occupation.name,
         "category": e.category}
        for e in entries[:5000]
    ]  # fmt: skip


@router.post("/shortage-catalog/{year}", response={201: dict})
def shortage_catalog_import(
    request: HttpRequest, year: Year, file: File[UploadedFile]
) -> tuple[int, dict[str, int]]:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    content = read_upload(file, label="目录文件")
    count = services.shortage_catalog_import(year=year, file=content, actor=user)
    return 201, {"year": year, "occupations": count}


class IssueIn(InputSchema):
    name: str
    face_value: money_type(column_money_max(VoucherBatch._meta.get_field("face_value")))  # type: ignore[valid-type]
    valid_from: IsoDate
    valid_to: IsoDate
    town_code: str | None = None
    occupation_code: str | None = None
    level: Level | None = None


@router.post("/voucher-batches", response={201: dict})
def voucher_batch_issue(request: HttpRequest, body: IssueIn) -> tuple[int, dict[str, object]]:
    """Issue a batch to the workers the filters select (town, occupation held, highest level)."""
    user = acting_user(request)
    require_role(user, "bureau_officer")
    workers = selectors.workers_for_issue(
        town_code=body.town_code, level=body.level, occupation_code=body.occupation_code
    )
    occupation = Occupation.objects.filter(code=(body.occupation_code or "").strip()).first()
    if not workers.exists():
        raise DomainError("no_workers", "没有符合条件的劳动者", {"town_code": "请放宽条件"})
    batch = services.voucher_batch_issue(
        name=body.name,
        face_value=body.face_value,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        workers=workers,
        occupations=[occupation] if occupation else None,
        actor=user,
    )
    return 201, {"id": batch.id, "name": batch.name, "issued": batch.issued_count}


@router.get("/settlements/{settlement_id}/statement.xlsx")
def settlement_statement_xlsx(request: HttpRequest, settlement_id: Id) -> HttpResponse:
    """The settlement statement as .xlsx (ID numbers masked)."""
    user = acting_user(request)
    settlement = get_for(user, selectors.settlements_for(user), settlement_id)
    response = HttpResponse(
        statements.statement_xlsx(settlement),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="settlement-{settlement.pk}-{settlement.period}.xlsx"'
    )
    return response


@router.get("/settlements/{settlement_id}/statement.pdf")
def settlement_statement_pdf(request: HttpRequest, settlement_id: Id) -> HttpResponse:
    """The settlement statement as PDF (ID numbers masked)."""
    user = acting_user(request)
    settlement = get_for(user, selectors.settlements_for(user), settlement_id)
    response = HttpResponse(statements.statement_pdf(settlement), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="settlement-{settlement.pk}-{settlement.period}.pdf"'
    )
    return response


# The providers' part, in its own module (registers its routes on `router`).
from skillcity.training.api import projects as _projects  # noqa: E402, F401
