"""/api/v1/supervision/ (issue 20 §5): the same as the pages. Alerts (filtered, paginated) and one alert
with its records and events; each workflow step and money action; releasing a hold; the risk ranking;
the runs, and a full run asked for (bureau). Officers only: a town officer sees and handles the town's
alerts (another town's is not found). Every schema is named Supervision…."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Id, Money, PageNumber
from skillcity.supervision import selectors
from skillcity.supervision.models import Alert, PaymentHold
from skillcity.supervision.selectors.risk import risk_ranking
from skillcity.supervision.services import workflow
from skillcity.supervision.services.requests import full_run_request

router = Router(tags=["supervision"])
OFFICERS = ("bureau_officer", "town_officer")
PAGE_MAX = 200


class SupervisionRecordOut(Schema):
    kind: str
    kind_label: str = ""
    id: int
    label: str = ""
    url: str = ""


class SupervisionAlertOut(Schema):
    id: int
    check_id: str
    severity: str
    state: str
    state_name: str
    message: str
    money: Decimal
    organisation_id: int | None
    organisation_name: str | None
    worker_id: int | None
    town_id: int | None
    assignee_id: int | None
    decision_reason: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_state_name(obj: Alert) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_organisation_name(obj: Alert) -> str | None:
        return obj.organisation.name if obj.organisation_id else None  # type: ignore[union-attr]


class SupervisionAlertPageOut(Schema):
    count: int
    page: int
    items: list[SupervisionAlertOut]


class SupervisionEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    note: str
    actor_id: int | None
    at: datetime.datetime


class SupervisionHoldOut(Schema):
    id: int
    organisation_id: int
    alert_id: int
    reason: str
    created_at: datetime.datetime
    released_at: datetime.datetime | None
    release_reason: str


class SupervisionReferralOut(Schema):
    id: int
    to: str
    note: str
    created_at: datetime.datetime


class SupervisionRecoveryOut(Schema):
    id: int
    application_id: int
    fund_id: int
    amount: Decimal
    reason: str
    reference: str
    at: datetime.datetime


class SupervisionAlertDetailOut(SupervisionAlertOut):
    records: list[SupervisionRecordOut]
    events: list[SupervisionEventOut] = Field(..., alias="events_list")
    holds: list[SupervisionHoldOut] = Field(..., alias="holds_list")
    referrals: list[SupervisionReferralOut] = Field(..., alias="referrals_list")
    recoveries: list[SupervisionRecoveryOut] = Field(..., alias="recoveries_list")


class SupervisionAlertFilterIn(Schema):
    check: str = ""
    town: Id | None = None
    organisation: Id | None = None
    state: str = ""
    severity: str = ""
    money_min: Money | None = None
    money_max: Money | None = None
    page: PageNumber = 1


class SupervisionAssignIn(Schema):
    assignee: Id
    note: str = ""


class SupervisionNoteIn(Schema):
    note: str = ""


class SupervisionReasonIn(Schema):
    reason: str


class SupervisionRecoveryIn(Schema):
    application: Id
    amount: Money
    reason: str
    idempotency_key: str


class SupervisionReferralIn(Schema):
    to: str
    note: str


class SupervisionReleaseIn(Schema):
    release_reason: str


class SupervisionContributionOut(Schema):
    check_id: str
    state: str
    severity: str
    count: int
    money: Decimal
    points: int


class SupervisionRiskOut(Schema):
    organisation_id: int
    name: str
    category: str
    score: int
    money: Decimal
    alerts: int
    confirmed: int
    dismissed: int
    contributions: list[SupervisionContributionOut]


class SupervisionRunOut(Schema):
    id: int
    full: bool
    checks: list[str]
    since: datetime.datetime | None
    counts: dict[str, Any]
    status: str
    error: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None


class SupervisionRunsOut(Schema):
    queued: int
    runs: list[SupervisionRunOut]


class SupervisionRunRequestOut(Schema):
    queued: bool
    message: str


def _alert(request: HttpRequest, pk: int) -> tuple[Any, Alert]:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    return user, get_for(user, Alert.objects.select_related("organisation"), pk)


def _detail(alert: Alert) -> Alert:
    """The alert with what its detail shows attached (the records with the address of their pages)."""
    from skillcity.grants.models import Recovery

    alert = Alert.objects.select_related("organisation").get(pk=alert.pk)
    alert.records = selectors.alert_records(alert)
    alert.events_list = list(alert.events.all())  # type: ignore[attr-defined]
    alert.holds_list = list(alert.holds.all())  # type: ignore[attr-defined]
    alert.referrals_list = list(alert.referrals.all())  # type: ignore[attr-defined]
    alert.recoveries_list = list(  # type: ignore[attr-defined]
        Recovery.objects.filter(reference=f"supervision.alert:{alert.pk}")
    )
    return alert


@router.get("/alerts", response=SupervisionAlertPageOut, summary="Alerts in the caller's scope, filtered")
def alert_list(request: HttpRequest, filters: Query[SupervisionAlertFilterIn]) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    qs = selectors.alerts_for(
        user,
        selectors.AlertFilters(
            check=filters.check,
            town=filters.town,
            organisation=filters.organisation,
            state=filters.state,
            severity=filters.severity,
            money_min=filters.money_min,
            money_max=filters.money_max,
        ),
    )
    size = min(settings.PAGE_SIZE, PAGE_MAX)
    page = filters.page
    return {"count": qs.count(), "page": page, "items": list(qs[(page - 1) * size : page * size])}


@router.get("/alerts/{pk}", response=SupervisionAlertDetailOut, summary="One alert: records, events, actions")
def alert_detail(request: HttpRequest, pk: Id) -> Any:
    return _detail(_alert(request, pk)[1])


@router.post(
    "/alerts/{pk}/assign", response=SupervisionAlertDetailOut, summary="Assign to an officer in scope"
)
def alert_assign(request: HttpRequest, pk: Id, body: SupervisionAssignIn) -> Any:
    from skillcity.accounts.models import User

    user, alert = _alert(request, pk)
    assignee = User.objects.filter(pk=body.assignee).first()
    return _detail(workflow.alert_assign(alert=alert, assignee=assignee, actor=user, note=body.note))


@router.post("/alerts/{pk}/investigate", response=SupervisionAlertDetailOut, summary="Start investigating")
def alert_investigate(request: HttpRequest, pk: Id, body: SupervisionNoteIn) -> Any:
    user, alert = _alert(request, pk)
    return _detail(workflow.alert_investigate(alert=alert, actor=user, note=body.note))


@router.post("/alerts/{pk}/confirm", response=SupervisionAlertDetailOut, summary="Confirm (with a reason)")
def alert_confirm(request: HttpRequest, pk: Id, body: SupervisionReasonIn) -> Any:
    user, alert = _alert(request, pk)
    return _detail(workflow.alert_confirm(alert=alert, actor=user, reason=body.reason))


@router.post("/alerts/{pk}/dismiss", response=SupervisionAlertDetailOut, summary="Dismiss (with a reason)")
def alert_dismiss(request: HttpRequest, pk: Id, body: SupervisionReasonIn) -> Any:
    user, alert = _alert(request, pk)
    return _detail(workflow.alert_dismiss(alert=alert, actor=user, reason=body.reason))


@router.post(
    "/alerts/{pk}/hold",
    response=SupervisionHoldOut,
    summary="Put the organisation's unpaid payments on hold (a confirmed alert; idempotent)",
)
def alert_hold(request: HttpRequest, pk: Id, body: SupervisionReasonIn) -> Any:
    user, alert = _alert(request, pk)
    return workflow.hold_place(alert=alert, actor=user, reason=body.reason)


@router.post(
    "/alerts/{pk}/recover",
    response=SupervisionRecoveryOut,
    summary="Record a recovery (追回) from a paid application of the alert's payee, once per key",
)
def alert_recover(request: HttpRequest, pk: Id, body: SupervisionRecoveryIn) -> Any:
    user, alert = _alert(request, pk)
    return workflow.alert_recover(
        alert=alert,
        application_id=body.application,
        amount=body.amount,
        reason=body.reason,
        actor=user,
        idempotency_key=body.idempotency_key,
    )


@router.post(
    "/alerts/{pk}/refer",
    response=SupervisionReferralOut,
    summary="Refer the case (移送) to another authority (idempotent per authority)",
)
def alert_refer(request: HttpRequest, pk: Id, body: SupervisionReferralIn) -> Any:
    user, alert = _alert(request, pk)
    return workflow.alert_refer(alert=alert, to=body.to, note=body.note, actor=user)


@router.post("/holds/{pk}/release", response=SupervisionHoldOut, summary="Release a payment hold")
def hold_release(request: HttpRequest, pk: Id, body: SupervisionReleaseIn) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    hold = get_for(user, PaymentHold.objects.select_related("alert"), pk)
    return workflow.hold_release(hold=hold, actor=user, reason=body.release_reason)


@router.get(
    "/risk",
    response=list[SupervisionRiskOut],
    summary="Providers and evaluators ranked by risk, each contribution listed (docs/supervision.md)",
)
def risk(request: HttpRequest, organisation: Id | None = None) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    return risk_ranking(user, organisation_id=organisation)


@router.get("/runs", response=SupervisionRunsOut, summary="The latest runs, and full runs still queued")
def runs(request: HttpRequest) -> Any:
    require_role(acting_user(request), *OFFICERS)
    return {"queued": len(selectors.full_run_requests()), "runs": list(selectors.runs_recent())}


@router.post(
    "/runs",
    response={202: SupervisionRunRequestOut, 409: SupervisionRunRequestOut},
    summary="Start a full run (bureau): queued for the task worker",
)
def run_start(request: HttpRequest) -> Any:
    if full_run_request(actor=acting_user(request)):
        return 202, {"queued": True, "message": _("已发起全量核查，正在排队")}
    return 409, {"queued": False, "message": _("已有一次全量核查在排队或运行中")}
