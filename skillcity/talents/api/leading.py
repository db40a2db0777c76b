"""/api/v1/talents/leading/… and /api/v1/talents/exceptional/…: the leading-talent and exceptional-promotion
pages' reads and actions (evidence files are uploaded on the pages)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router

from skillcity.certification.models import Session
from skillcity.core.access import acting_user, require_role, visible_to
from skillcity.core.bounds import Id, Year
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.schemas import InputSchema
from skillcity.grants.flows import source_label
from skillcity.registry.models import Worker
from skillcity.talents.models.leading import (
    Assignment,
    ExceptionalApplication,
    LeadingApplication,
    LeadingCall,
    PanelMember,
    Recognition,
    RentSchedule,
)
from skillcity.talents.selectors import leading as selectors
from skillcity.talents.services import assignments as panel_assignments
from skillcity.talents.services import exceptional, rent
from skillcity.talents.services import leading as services

router = Router(tags=["talents"])

# Text the services read: bounded here so a megabyte of it never reaches them.
ShortText = Annotated[str, Field(max_length=500)]
AmountText = Annotated[str, Field(max_length=32)]
ActionText = Annotated[str, Field(max_length=32)]


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _call(c: LeadingCall) -> dict[str, Any]:
    return {
        "id": c.pk,
        "year": c.year,
        "title": c.title,
        "opens_on": c.opens_on,
        "closes_on": c.closes_on,
        "quota": c.quota,
        "criteria": c.criteria,
    }


def _application(a: LeadingApplication) -> dict[str, Any]:
    return {
        "id": a.pk,
        "call_id": a.call_id,
        "year": a.call.year,
        "worker": a.worker.name,
        "unit": a.unit.name if a.unit else None,
        "by_unit": a.by_unit,
        "introduced_on": a.introduced_on,
        "grounds": a.grounds,
        "records": a.records,
        "route": a.route,
        "route_label": a.get_route_display() if a.route else "",
        "state": a.state,
        "state_label": a.get_state_display(),
        "living_amount": _money(a.living_amount),
        "recognition_id": getattr(getattr(a, "recognition", None), "pk", None),
    }


def _grant(g: Any) -> dict[str, Any]:
    return {
        "grant_id": g.pk,
        "source": source_label(g.source_key),
        "state": g.state,
        "state_label": g.get_state_display(),
        "decided_amount": _money(g.decided_amount),
        "requested_amount": _money(g.requested_amount),
    }


def _schedule(s: RentSchedule) -> dict[str, Any]:
    return {
        "id": s.pk,
        "worker": s.worker.name,
        "monthly_amount": _money(s.monthly_amount),
        "first_month": f"{s.first_month:%Y-%m}",
        "last_month": f"{s.last_month:%Y-%m}",
        "state": s.state,
        "state_label": s.get_state_display(),
        "end_reason": s.end_reason,
        "end_reason_label": s.get_end_reason_display() if s.end_reason else "",
        "paid_total": _money(
            (getattr(s, "paid_sum", None) or Decimal("0")) if hasattr(s, "paid_sum") else rent.paid_total(s)
        ),
    }


def _exceptional(a: ExceptionalApplication) -> dict[str, Any]:
    return {
        "id": a.pk,
        "worker": a.worker.name,
        "occupation": a.occupation.name,
        "current_level": a.current_level,
        "target_level": a.target_level,
        "grounds": a.grounds,
        "grounds_label": a.get_grounds_display(),
        "statement": a.statement,
        "state": a.state,
        "state_label": a.get_state_display(),
        "review_note": a.review_note,
        "candidate_id": a.candidate_id,
    }


def _app_for(request: HttpRequest, pk: int) -> LeadingApplication:
    app = selectors.applications_for(acting_user(request)).filter(pk=pk).first()
    if app is None:
        raise NotFound(_("申报不存在"))
    return app


@router.get("/leading/progress", summary="T-LEADING: recognised per year against 100 by 2025")
def progress(request: HttpRequest) -> Any:
    require_role(acting_user(request), "bureau_officer")
    p = selectors.progress()
    return {**p, "rows": [r.__dict__ for r in p["rows"]]}


@router.get("/leading/calls", summary="The yearly calls")
def calls(request: HttpRequest) -> Any:
    acting_user(request)
    return [_call(c) for c in LeadingCall.objects.all()]


class LeadingCallIn(InputSchema):
    year: Year
    title: Annotated[str, Field(max_length=200)]
    opens_on: datetime.date
    closes_on: datetime.date
    quota: Annotated[int, Field(ge=1, le=1000)]


@router.post("/leading/calls", response={201: dict}, summary="Publish a yearly call (bureau)")
def call_create(request: HttpRequest, payload: LeadingCallIn) -> Any:
    return 201, _call(services.call_create(actor=acting_user(request), **payload.dict()))


class PanelMemberIn(InputSchema):
    worker_id: Id


@router.post("/leading/calls/{pk}/panel", response={201: dict}, summary="Add a registry worker to the panel")
def panel_add(request: HttpRequest, pk: Id, payload: PanelMemberIn) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    call = LeadingCall.objects.filter(pk=pk).first()
    worker = Worker.objects.filter(pk=payload.worker_id).first()
    if call is None or worker is None:
        raise NotFound(_("申报通知或劳动者不存在"))
    member = services.panel_member_add(actor=user, call=call, worker=worker)
    return 201, {"id": member.pk, "worker": worker.name}


@router.get("/leading/applications", summary="Applications the caller may see")
def applications(request: HttpRequest) -> Any:
    return [_application(a) for a in selectors.applications_for(acting_user(request))[:500]]


@router.get("/leading/applications/{pk}", summary="One application with its subsidies")
def application(request: HttpRequest, pk: Id) -> Any:
    app = _app_for(request, pk)
    return {**_application(app), "subsidies": [_grant(g) for g in services.subsidy_applications(app)]}


class LeadingApplyIn(InputSchema):
    call_id: Id
    grounds: Annotated[str, Field(max_length=services.GROUNDS_MAX)]
    worker_id: Id | None = None
    introduced_on: datetime.date | None = None


@router.post(
    "/leading/applications", response={201: dict}, summary="Apply (a worker, or a unit for its worker)"
)
def apply(request: HttpRequest, payload: LeadingApplyIn) -> Any:
    user = acting_user(request)
    call = LeadingCall.objects.filter(pk=payload.call_id).first()
    if call is None:
        raise NotFound(_("申报通知不存在"))
    worker = Worker.objects.filter(pk=payload.worker_id).first() if payload.worker_id else None
    app = services.application_submit(
        actor=user, call=call, grounds=payload.grounds, worker=worker, introduced_on=payload.introduced_on
    )
    return 201, _application(app)


class LeadingActionIn(InputSchema):
    action: (
        ActionText  # formal_pass | formal_fail | assign | unassign | shortlist | not_shortlisted | recognise
    )
    note: ShortText = ""
    member_id: Id | None = None
    assignment_id: Id | None = None
    living_amount: AmountText | None = None


@router.post("/leading/applications/{pk}/actions", summary="The bureau's review step on one application")
def application_action(request: HttpRequest, pk: Id, payload: LeadingActionIn) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    app = _app_for(request, pk)
    if payload.action in ("formal_pass", "formal_fail"):
        services.formal_check(
            actor=user, application=app, passed=payload.action == "formal_pass", note=payload.note
        )
    elif payload.action == "assign":
        member = PanelMember.objects.filter(pk=payload.member_id or 0, call=app.call).first()
        if member is None:
            raise DomainError("member_required", _("请选择评审专家"), {"member_id": _("请选择评审专家")})
        services.assign(actor=user, application=app, member=member)
    elif payload.action == "unassign":
        assignment = Assignment.objects.filter(pk=payload.assignment_id or 0, application=app).first()
        if assignment is None:
            raise DomainError(
                "assignment_required", _("请选择评审专家"), {"assignment_id": _("请选择评审专家")}
            )
        panel_assignments.assignment_remove(actor=user, assignment=assignment, reason=payload.note)
    elif payload.action == "shortlist":
        amount = services.parse_money(payload.living_amount or "", "living_amount", _("生活补贴"))
        services.shortlist(actor=user, application=app, living_amount=amount, reason=payload.note)
    elif payload.action == "not_shortlisted":
        services.not_shortlisted(actor=user, application=app, reason=payload.note)
    elif payload.action == "recognise":
        services.recognise(actor=user, application=app)
    else:
        raise DomainError("bad_action", _("未知操作"), {"action": _("未知操作")})
    app.refresh_from_db()
    return _application(app)


@router.get("/leading/assignments", summary="The panel member's assigned applications")
def assignments(request: HttpRequest) -> Any:
    user = acting_user(request)
    return [
        {
            "id": a.pk,
            "application": _application(a.application),
            "submitted_at": a.submitted_at,
            "scores": {s.criterion: str(s.points) for s in a.scores.all()},
        }
        for a in selectors.assignments_for(user.worker_id or 0).prefetch_related("scores")
    ]


class PanelScoresIn(InputSchema):
    points: Annotated[dict[Annotated[str, Field(max_length=32)], AmountText], Field(max_length=50)]


@router.post("/leading/assignments/{pk}/scores", summary="Submit the scoring sheet (once)")
def scores(request: HttpRequest, pk: Id, payload: PanelScoresIn) -> Any:
    user = acting_user(request)
    assignment = selectors.assignments_for(user.worker_id or 0).filter(pk=pk).first()
    if assignment is None:
        raise NotFound(_("评审任务不存在"))
    services.scores_submit(actor=user, assignment=assignment, points=payload.points)
    return {"id": assignment.pk, "submitted": True}


def _recognition(request: HttpRequest, pk: int) -> Recognition:
    found = visible_to(acting_user(request), Recognition.objects.select_related("application__call")).filter(
        pk=pk
    )
    recognition = found.first()
    if recognition is None:
        raise NotFound(_("认定记录不存在"))
    return recognition


class LeadingAmountIn(InputSchema):
    requested: AmountText


@router.post(
    "/leading/recognitions/{pk}/employer-reward", response={201: dict}, summary="TAL-LEADING-EMPLOYER claim"
)
def employer_reward(request: HttpRequest, pk: Id, payload: LeadingAmountIn) -> Any:
    grant = services.employer_reward_claim(
        actor=acting_user(request), recognition=_recognition(request, pk), requested=payload.requested
    )
    return 201, _grant(grant)


class RentScheduleIn(InputSchema):
    monthly_amount: AmountText
    first_month: datetime.date
    months: Annotated[int, Field(ge=1, le=60)]


@router.post(
    "/leading/recognitions/{pk}/rent-schedule", response={201: dict}, summary="Set up the monthly rent"
)
def rent_create(request: HttpRequest, pk: Id, payload: RentScheduleIn) -> Any:
    schedule = rent.schedule_create(
        actor=acting_user(request),
        recognition=_recognition(request, pk),
        monthly_amount=payload.monthly_amount,
        first_month=payload.first_month,
        months=payload.months,
    )
    return 201, _schedule(schedule)


@router.get("/leading/schedules", summary="Rent schedules the caller may see")
def schedules(request: HttpRequest) -> Any:
    return [_schedule(s) for s in selectors.schedules(acting_user(request))[:500]]


class RentScheduleActionIn(InputSchema):
    action: ActionText  # pause | resume | end
    reason: ActionText = ""
    note: ShortText = ""


@router.post("/leading/schedules/{pk}/actions", summary="Pause, resume or end a schedule")
def schedule_action(request: HttpRequest, pk: Id, payload: RentScheduleActionIn) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    s = RentSchedule.objects.filter(pk=pk).first()
    if s is None:
        raise NotFound(_("发放计划不存在"))
    if payload.action == "pause":
        s = rent.schedule_pause(actor=user, schedule=s, reason=payload.note or payload.reason)
    elif payload.action == "resume":
        s = rent.schedule_resume(actor=user, schedule=s)
    elif payload.action == "end":
        s = rent.schedule_end(actor=user, schedule=s, reason=payload.reason, note=payload.note)
    else:
        raise DomainError("bad_action", _("未知操作"), {"action": _("未知操作")})
    return _schedule(s)


@router.get("/leading/my-subsidies", summary="The worker's leading-talent subsidies and their payments")
def my_subsidies(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "worker")
    return [_grant(g) for g in selectors.subsidies_for_worker(user.worker_id or 0)[:200]]


@router.get("/exceptional", summary="Exceptional-promotion applications the caller may see")
def exceptional_list(request: HttpRequest) -> Any:
    return [_exceptional(a) for a in selectors.exceptional_for(acting_user(request))[:500]]


class ExceptionalReviewIn(InputSchema):
    action: ActionText  # admit | refuse | place
    note: ShortText = ""
    session_id: Id | None = None


@router.post("/exceptional/{pk}/actions", summary="Review, or place into a promotion session (bureau)")
def exceptional_action(request: HttpRequest, pk: Id, payload: ExceptionalReviewIn) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    app = ExceptionalApplication.objects.filter(pk=pk).first()
    if app is None:
        raise NotFound(_("申请不存在"))
    if payload.action in ("admit", "refuse"):
        app = exceptional.exceptional_review(
            actor=user, application=app, admit=payload.action == "admit", note=payload.note
        )
    elif payload.action == "place":
        session = Session.objects.filter(pk=payload.session_id or 0).first()
        if session is None:
            raise DomainError("session_required", _("请选择考评批次"), {"session_id": _("请选择考评批次")})
        app = exceptional.exceptional_place(actor=user, application=app, session=session)
    else:
        raise DomainError("bad_action", _("未知操作"), {"action": _("未知操作")})
    return _exceptional(app)
