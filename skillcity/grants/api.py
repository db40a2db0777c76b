"""/api/v1/grants/: apply, submit, review decisions, notice, objections, approve, pay (Idempotency-Key
header), lists and the funds report. Lookups through selectors/core.access, writes through services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema

from skillcity.core.access import acting_user, client_address, require_role
from skillcity.core.bounds import Id, IsoDate, Money, WorkingDays, Year
from skillcity.core.errors import NotFound
from skillcity.core.money import money_str
from skillcity.core.schemas import InputSchema
from skillcity.grants import flows, outcomes, selectors, services
from skillcity.grants.models import (
    OBJECTION_CONTACT_MAX,
    OBJECTION_TEXT_MAX,
    Application,
    Fund,
    Objection,
    ObjectionState,
    PublicNotice,
)
from skillcity.web.middleware import api_body_limited

router = Router(tags=["grants"])


class ApplicationIn(InputSchema):
    rule_id: str
    event_date: IsoDate
    facts: dict[str, Any] = {}
    requested_amount: Money | None = None


class PreviewIn(InputSchema):
    rule_id: str
    event_date: IsoDate
    facts: dict[str, Any] = {}


class DecisionIn(InputSchema):
    amount: Money | None = None
    reason: str = ""


class NoticeIn(InputSchema):
    start: IsoDate | None = None
    working_days: WorkingDays | None = None


class ObjectionIn(InputSchema):
    # The bounds are checked by the service too (pages use it), with the same messages.
    text: str = Field(..., description=f"异议内容，至多 {OBJECTION_TEXT_MAX} 字")
    contact: str = Field("", description=f"联系方式，至多 {OBJECTION_CONTACT_MAX} 字；未登录时必填")


class SpamDismissIn(InputSchema):
    ids: list[Id] = Field(..., description=f"要驳回的异议编号，一次至多 {services.OBJECTION_BULK_MAX} 条")
    reason: str


def _objection_out(o: Objection) -> dict[str, Any]:
    return {
        "id": o.pk,
        "receipt": o.receipt,
        "notice_id": o.notice_id,
        "application_id": o.notice.application_id,
        "state": o.state,
        "state_label": str(o.get_state_display()),
        "text": o.text,
        "lodged_at": o.lodged_at.isoformat(),
        "anonymous": o.lodged_by_id is None,
        "address": o.address,
        "resolution": o.resolution,
    }


# An objection body past its limit is refused from its declared length, before anything reads it
# (BodyLimitMiddleware, ahead of the NUL check and of Django Ninja's parsing).
api_body_limited("lodge_objection", "OBJECTION_MAX_BODY_BYTES")


class ResolveIn(InputSchema):
    resolution: str
    upheld: bool


class ListFilters(Schema):
    rule: str = ""
    state: str = ""
    overdue: bool = False
    queue: bool = False


def _app_out(app: Application, *, events: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": app.pk,
        "rule_id": app.rule_id,
        "applicant": app.applicant_name,
        "town": app.town.name,
        "event_date": app.event_date.isoformat(),
        "state": app.state,
        "stage": (s.name if (s := services.current_stage(app)) else None),
        "stage_due": app.stage_due.isoformat() if app.stage_due else None,
        "overdue": selectors.is_overdue(app),
        "facts": app.facts,
        "fact_sources": app.fact_sources,
        # The record a programme made this application from, and what it is (grants.services.records).
        "source_key": app.source_key,
        "source": flows.source_label(app.source_key),
        "outcome": app.outcome,
        "requested_amount": money_str(app.requested_amount),
        "decided_amount": money_str(app.decided_amount),
    }
    if events:
        data["timeline"] = [
            {
                "at": e.at.isoformat(),
                "actor": e.actor_label,
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "stage": e.stage,
                "amount": money_str(e.amount),
                "reason": e.reason,
            }
            for e in app.events.all()
        ]
    return data


@router.post("/preview", summary="The engine's outcome for a rule, date and facts (nothing stored)")
def preview(request: HttpRequest, body: PreviewIn) -> Any:
    acting_user(request)
    return outcomes.evaluate(body.rule_id, body.event_date, body.facts)


@router.get("/applications")
def list_applications(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    user = acting_user(request)
    kwargs: dict[str, Any] = {"rule": filters.rule, "state": filters.state, "overdue": filters.overdue}
    apps = (
        selectors.review_queue(user, **kwargs)
        if filters.queue
        else selectors.applications_for(user, **kwargs)[:500]
    )
    return [_app_out(a) for a in apps]


@router.post("/applications", response={201: dict})
def create_application(request: HttpRequest, body: ApplicationIn) -> Any:
    app = services.application_create(
        actor=acting_user(request),
        rule_id=body.rule_id,
        event_date=body.event_date,
        facts=body.facts,
        requested_amount=body.requested_amount,
    )
    return 201, _app_out(app)


@router.get("/applications/{pk}")
def get_application(request: HttpRequest, pk: Id) -> Any:
    return _app_out(selectors.application_for(acting_user(request), pk), events=True)


def _act(request: HttpRequest, pk: Id, fn: Any, **kwargs: Any) -> Any:
    user = acting_user(request)
    app = selectors.application_for(user, pk)
    result = fn(application=app, actor=user, **kwargs)
    app.refresh_from_db()
    return result, app


@router.post("/applications/{pk}/submit")
def submit(request: HttpRequest, pk: Id) -> Any:
    return _app_out(_act(request, pk, services.application_submit)[1])


@router.post("/applications/{pk}/withdraw")
def withdraw(request: HttpRequest, pk: Id, body: DecisionIn) -> Any:
    return _app_out(_act(request, pk, services.application_withdraw, reason=body.reason)[1])


@router.post("/applications/{pk}/pass")
def review_pass(request: HttpRequest, pk: Id, body: DecisionIn) -> Any:
    return _app_out(
        _act(request, pk, services.application_review_pass, amount=body.amount, reason=body.reason)[1]
    )


@router.post("/applications/{pk}/return")
def review_return(request: HttpRequest, pk: Id, body: DecisionIn) -> Any:
    return _app_out(_act(request, pk, services.application_return, reason=body.reason)[1])


@router.post("/applications/{pk}/reject")
def review_reject(request: HttpRequest, pk: Id, body: DecisionIn) -> Any:
    return _app_out(_act(request, pk, services.application_reject, reason=body.reason)[1])


@router.post("/applications/{pk}/notice")
def start_notice(request: HttpRequest, pk: Id, body: NoticeIn) -> Any:
    return _app_out(
        _act(request, pk, services.notice_start, start=body.start, working_days=body.working_days)[1]
    )


@router.post("/applications/{pk}/approve")
def approve(request: HttpRequest, pk: Id, body: DecisionIn) -> Any:
    return _app_out(
        _act(request, pk, services.application_approve, amount=body.amount, reason=body.reason)[1]
    )


class PayIn(InputSchema):
    # 国库支付凭证号: required (an empty one is refused naming the field), at most 64 characters.
    treasury_reference: str = ""


@router.post("/applications/{pk}/pay")
def pay(
    request: HttpRequest,
    pk: Id,
    body: PayIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> Any:
    payment, app = _act(
        request,
        pk,
        services.payment_make,
        idempotency_key=idempotency_key,
        treasury_reference=body.treasury_reference,
    )
    return {
        "payment": payment.pk,
        "amount": money_str(payment.amount),
        "treasury_reference": payment.treasury_reference,
        "application": _app_out(app),
    }


class PayBatchIn(InputSchema):
    ids: list[Id] = Field(..., description=f"要拨付的申请编号，一次至多 {services.PAYMENT_BATCH_MAX} 件")
    # 国库支付凭证号: as for one payment, required and at most 64 characters.
    treasury_reference: str = ""


class PayBatchPreviewIn(InputSchema):
    ids: list[Id] = Field(..., description=f"要拨付的申请编号，一次至多 {services.PAYMENT_BATCH_MAX} 件")


@router.post("/payments/batch/preview", summary="What paying these applications would do (nothing is paid)")
def pay_batch_preview(request: HttpRequest, body: PayBatchPreviewIn) -> Any:
    """The confirmation's content: count, payees (units, persons), total, by fund, and every refused row
    with its reason (a batch with any refused row would pay nothing)."""
    user = acting_user(request)
    require_role(user, "bureau_officer")
    plan = services.payment_batch_plan(ids=services.payment_batch_ids(body.ids), actor=user)
    return {
        "count": len(plan.payable),
        "units": plan.units,
        "persons": plan.persons,
        "total": money_str(plan.total),
        "applications": [a.pk for a in plan.payable],
        "by_fund": [
            {
                "fund": s.fund.pk,
                "programme": s.fund.programme,
                "year": s.fund.year,
                "count": s.count,
                "total": money_str(s.total),
            }
            for s in plan.by_fund
        ],
        "refused": [r.as_dict() for r in plan.refused],
    }


@router.post("/payments/batch", summary="Pay several approved applications, all or nothing (Idempotency-Key)")
def pay_batch(
    request: HttpRequest,
    body: PayBatchIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> Any:
    """All or nothing: any refused row (409 `payment_batch_refused`, each listed in `refused`) pays none.
    The same Idempotency-Key again answers the first result (`replayed: true`) and pays nothing."""
    user = acting_user(request)
    require_role(user, "bureau_officer")
    answer = services.payment_batch_make(
        ids=services.payment_batch_ids(body.ids),
        actor=user,
        idempotency_key=idempotency_key,
        treasury_reference=body.treasury_reference,
    )
    return {**answer, "total": money_str(Decimal(answer["total"]))}


@router.get("/notices", auth=None)
def list_notices(request: HttpRequest) -> Any:
    return [
        {
            "id": n.pk,
            "rule_id": n.application.rule_id,
            "applicant": n.application.applicant_name,
            "town": n.application.town.name,
            "amount": money_str(n.application.decided_amount),
            "start": n.start.isoformat(),
            "end": n.end.isoformat(),
        }
        for n in selectors.public_notices_current()
    ]


@router.post("/notices/{pk}/objections", auth=None, response={201: dict})
def lodge_objection(request: HttpRequest, pk: Id, body: ObjectionIn) -> Any:
    """Anyone may object while a notice runs; the answer carries the receipt number to quote."""
    notice = PublicNotice.objects.filter(pk=pk).first()
    if notice is None:
        raise NotFound(_("公示不存在"))
    objection = services.objection_lodge(
        notice=notice,
        actor=request.user,
        text=body.text,
        contact=body.contact,
        address=client_address(request),
    )
    return 201, {
        "id": objection.pk,
        "receipt": objection.receipt,
        "state": objection.state,
        "state_label": str(objection.get_state_display()),
    }


@router.get("/objections")
def list_objections(request: HttpRequest, state: ObjectionState = ObjectionState.OPEN) -> Any:
    """The bureau's review list (open ones by default), newest first, at most 1000."""
    require_role(acting_user(request), "bureau_officer")
    found = selectors.objections_in_state(state)[:1000]
    return [_objection_out(o) for o in found]


@router.post("/objections/dismiss-spam")
def dismiss_objections_as_spam(request: HttpRequest, body: SpamDismissIn) -> Any:
    """Dismiss many open objections as spam with one reason (an audit row for each)."""
    user = acting_user(request)
    require_role(user, "bureau_officer")
    dismissed = services.objections_dismiss_as_spam(ids=body.ids, actor=user, reason=body.reason)
    return {"dismissed": [_objection_out(o) for o in dismissed]}


@router.post("/objections/{pk}/resolve")
def resolve_objection(request: HttpRequest, pk: Id, body: ResolveIn) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    objection = Objection.objects.filter(pk=pk).first()
    if objection is None:
        raise NotFound(_("异议不存在"))
    services.objection_resolve(
        objection=objection, actor=user, resolution=body.resolution, upheld=body.upheld
    )
    return {"id": objection.pk, "resolved": True}


@router.get("/funds")
def funds(request: HttpRequest, year: Year | None = None) -> Any:
    """Each fund's budget, committed, paid (spent) and remaining; `year` keeps the funds covering it."""
    require_role(acting_user(request), "bureau_officer")
    return [
        {
            "id": r["fund"].pk,
            "programme": r["fund"].programme,
            "title": services.rule_title(r["fund"].programme),
            "year": r["fund"].year,
            "last_year": r["fund"].last_year,
            "source": r["fund"].source,
            "name": r["fund"].name,
            **{k: money_str(r[k]) for k in ("total", "committed", "spent", "remaining")},
        }
        for r in selectors.funds_report(year=year)
    ]


@router.get("/funds/{pk}/towns")
def fund_towns(request: HttpRequest, pk: Id) -> Any:
    """One fund's committed and paid by town."""
    require_role(acting_user(request), "bureau_officer")
    fund = Fund.objects.filter(pk=pk).first()
    if fund is None:
        raise NotFound(_("资金不存在"))
    return [
        {"town": t["town"], "committed": money_str(t["committed"]), "spent": money_str(t["spent"])}
        for t in selectors.fund_by_town(fund)
    ]
