"""/api/v1/training/: vouchers (mine, redeem), enrolments, subsidies, settlements."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.training import selectors, services
from skillcity.training.models import Settlement

router = Router(tags=["training"])


class VoucherOut(Schema):
    code: str
    state: str
    face_value: Decimal
    valid_from: datetime.date
    valid_to: datetime.date


class RedeemIn(Schema):
    code: str
    idempotency_key: str
    enrolment_id: int | None = None


class RedemptionOut(Schema):
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


class PayIn(Schema):
    idempotency_key: str


@router.get("/health", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    """A trivial endpoint: the baseline the voucher benchmark compares redemption against."""
    return {"status": "ok"}


@router.get("/vouchers", response=list[VoucherOut])
def vouchers(request: HttpRequest) -> list[VoucherOut]:
    return list(selectors.vouchers_for(acting_user(request))[:500])  # type: ignore[arg-type]


@router.post("/vouchers/redeem", response=RedemptionOut)
def redeem(request: HttpRequest, body: RedeemIn) -> dict[str, object]:
    user = acting_user(request)
    require_role(user, "organisation_user")
    enrolment = None
    if body.enrolment_id is not None:
        enrolment = get_for(user, selectors.enrolments_for(user), body.enrolment_id)
    redemption = services.voucher_redeem(
        code=body.code,
        provider=user.organisation,  # type: ignore[arg-type]
        idempotency_key=body.idempotency_key,
        enrolment=enrolment,
        actor=user,
    )
    return {
        "voucher_code": redemption.voucher.code,
        "amount": redemption.amount,
        "enrolment_id": redemption.enrolment_id,
        "redeemed_at": redemption.redeemed_at,
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


@router.post("/settlements/{settlement_id}/approve", response=SettlementOut)
def settlement_approve(request: HttpRequest, settlement_id: int) -> Settlement:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    settlement = get_for(user, selectors.settlements_for(user), settlement_id, write=True)
    return services.settlement_approve(settlement=settlement, actor=user)


@router.post("/settlements/{settlement_id}/pay", response=SettlementOut)
def settlement_pay(request: HttpRequest, settlement_id: int, body: PayIn) -> Settlement:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    settlement = get_for(user, selectors.settlements_for(user), settlement_id, write=True)
    return services.settlement_pay(settlement=settlement, idempotency_key=body.idempotency_key, actor=user)
