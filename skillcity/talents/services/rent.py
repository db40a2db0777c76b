"""The leading talent's monthly rent subsidy (租房补贴, 2,000–5,000 a month, TAL-LEADING).

A finance officer sets up the schedule (monthly amount within the rule's range, a term of months); the
daily job (jobs scheduler → `rent_pay_task`) pays each active schedule's current month once: an approved
instalment through grants (source "talents.rent:<schedule>:<YYYY-MM>") paid with the idempotency key
"rent:<schedule>:<YYYY-MM>", so a second run in the month pays nothing. When the job missed a day or
a month, the next run catches up: every due month of an active schedule not yet paid, up to the current
one, each with its own key. A month grants refuses (no fund, the budget spent) is recorded as a
RentRefusal and shown on the schedules page. A schedule can be paused, resumed (the paused months are
not paid afterwards) and ended with its reason (left the city, bought a home — ended by itself when the
home-purchase subsidy is approved); past its last month it ends by itself ("term ended").
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.grants import flows, outcomes
from skillcity.grants import services as grants
from skillcity.grants.services.instalments import instalment_approve
from skillcity.talents.models.leading import (
    Recognition,
    RentEndReason,
    RentInstalment,
    RentRefusal,
    RentSchedule,
    RentState,
)
from skillcity.talents.services.leading import PROVENANCE, parse_money, today

TERM_MAX_MONTHS = 60
TASK_ACTOR = "task"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    total = month.year * 12 + month.month - 1 + n
    return datetime.date(total // 12, total % 12 + 1, 1)


def month_key(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def idempotency_key(schedule: RentSchedule, month: datetime.date) -> str:
    return f"rent:{schedule.pk}:{month_key(month)}"


@transaction.atomic
def schedule_create(
    *,
    actor: Any,
    recognition: Recognition,
    monthly_amount: Any,
    first_month: datetime.date,
    months: int,
    day: datetime.date | None = None,
) -> RentSchedule:
    """A finance officer's standing instruction: the amount is checked against TAL-LEADING's monthly
    rent range on the recognition's date; it starts this month or later (never back-paid); one running
    schedule per talent (a conditional unique constraint holds it when two are set up at once)."""
    if not flows.user_has_stage_role(actor, "finance"):
        raise PermissionDenied(_("只有财务人员可以设立按月发放计划"))
    current = month_start(day or today())
    amount = parse_money(monthly_amount, "monthly_amount", _("每月金额"))
    outcome = outcomes.evaluate("TAL-LEADING", recognition.recognised_on, {"item": "monthly_rent"})
    try:
        outcomes.check_amount(outcome, amount, "")
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, {"monthly_amount": exc.message}) from None
    if not 1 <= months <= TERM_MAX_MONTHS:
        msg = _("发放期限应为1至%(n)s个月") % {"n": TERM_MAX_MONTHS}
        raise DomainError("bad_term", msg, {"months": msg})
    first = month_start(first_month)
    if first < current:
        msg = _("起始月份不能早于本月（%(m)s）") % {"m": month_key(current)}
        raise DomainError("first_month_past", msg, {"first_month": msg})
    refused = Conflict("schedule_exists", _("该人才已有未终止的租房补贴发放计划"))
    if RentSchedule.objects.filter(worker=recognition.worker).exclude(state=RentState.ENDED).exists():
        raise refused
    try:
        with transaction.atomic():
            schedule = RentSchedule.objects.create(
                recognition=recognition,
                worker=recognition.worker,
                monthly_amount=amount,
                first_month=first,
                last_month=add_months(first, months - 1),
                authorised_by=actor,
            )
    except IntegrityError:  # another was set up at the same moment (tal_rent_one_running)
        raise refused from None
    audit_record(actor=actor, action="talents.rent.create", target=schedule, after=snapshot(schedule))
    return schedule


def _lock(schedule: RentSchedule) -> RentSchedule:
    return RentSchedule.objects.select_for_update().get(pk=schedule.pk)


@transaction.atomic
def schedule_pause(*, actor: Any, schedule: RentSchedule, reason: str) -> RentSchedule:
    _require_staff(actor)
    s = _lock(schedule)
    if s.state != RentState.ACTIVE:
        raise Conflict("not_active", _("计划当前状态为“%(s)s”，不能暂停") % {"s": s.get_state_display()})
    reason = (reason or "").strip()[:500]
    if not reason:
        raise DomainError("reason_required", _("请写明暂停原因"), {"reason": _("必须填写")})
    s.state = RentState.PAUSED
    s.save(update_fields=["state"])
    audit_record(actor=actor, action="talents.rent.pause", target=s, after={"reason": reason})
    return s


@transaction.atomic
def schedule_resume(*, actor: Any, schedule: RentSchedule, day: datetime.date | None = None) -> RentSchedule:
    """Payments resume from this month; the months missed while paused are not caught up."""
    _require_staff(actor)
    s = _lock(schedule)
    if s.state != RentState.PAUSED:
        raise Conflict("not_paused", _("计划当前状态为“%(s)s”，不能恢复") % {"s": s.get_state_display()})
    s.state = RentState.ACTIVE
    s.resumed_from = month_start(day or today())
    s.save(update_fields=["state", "resumed_from"])
    audit_record(
        actor=actor, action="talents.rent.resume", target=s, after={"from": month_key(s.resumed_from)}
    )
    return s


@transaction.atomic
def schedule_end(
    *, actor: Any, schedule: RentSchedule, reason: str, note: str = "", day: datetime.date | None = None
) -> RentSchedule:
    """Stop for good, with the reason recorded: left the city, bought a home, or the term ended."""
    if actor != TASK_ACTOR:
        _require_staff(actor)
    s = _lock(schedule)
    if s.state == RentState.ENDED:
        raise Conflict("already_ended", _("计划已终止"))
    if reason not in RentEndReason.values:
        raise DomainError("bad_reason", _("请选择终止原因"), {"reason": _("请选择终止原因")})
    s.state, s.end_reason, s.end_note = RentState.ENDED, reason, (note or "").strip()[:500]
    s.ended_on = day or today()
    s.save(update_fields=["state", "end_reason", "end_note", "ended_on"])
    audit_record(
        actor=actor,
        action="talents.rent.end",
        target=s,
        after={"reason": reason, "note": s.end_note},
    )
    return s


def _require_staff(actor: Any) -> None:
    if not flows.user_has_stage_role(actor, "bureau_officer"):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))


def pay_month(schedule: RentSchedule, month: datetime.date) -> RentInstalment:
    """This month's instalment of the schedule: approved and paid once (a replay returns the first)."""
    key = idempotency_key(schedule, month)
    with transaction.atomic():
        s = _lock(schedule)
        # Paused or ended since the job read the list: nothing is paid.
        if s.state != RentState.ACTIVE:
            raise Conflict("not_active", _("计划当前状态为“%(s)s”，不发放") % {"s": s.get_state_display()})
        app = instalment_approve(
            actor=s.authorised_by,
            rule_id="TAL-LEADING",
            payee=s.worker,
            event_date=s.recognition.recognised_on,
            facts={"item": "monthly_rent"},
            fact_sources={
                "item": _("租房补贴按月发放计划第%(n)s号 %(m)s（%(p)s）")
                % {"n": s.pk, "m": month_key(month), "p": PROVENANCE % {"n": s.recognition.application_id}},
            },
            amount=s.monthly_amount,
            source_key=f"talents.rent:{s.pk}:{month_key(month)}",
            reason=_("按月发放计划第%(n)s号 %(m)s") % {"n": s.pk, "m": month_key(month)},
        )
        instalment, _created = RentInstalment.objects.get_or_create(
            schedule=s, month=month, defaults={"application": app}
        )
    grants.payment_make(application=app, actor=s.authorised_by, idempotency_key=key)
    return instalment


def due_months(schedule: RentSchedule, month: datetime.date) -> list[datetime.date]:
    """The months of the schedule due by `month` and not yet paid: from its first month (or the month
    it resumed from after a pause) to `month` or its last month, whichever is earlier."""
    start = max(schedule.first_month, schedule.resumed_from or schedule.first_month)
    end = min(month, schedule.last_month)
    paid = set(schedule.instalments.filter(application__state="paid").values_list("month", flat=True))
    due = []
    current = start
    while current <= end:
        if current not in paid:
            due.append(current)
        current = add_months(current, 1)
    return due


def _record_refusal(schedule: RentSchedule, month: datetime.date, exc: DomainError) -> None:
    """In its own transaction (the refused one was rolled back): the trace the schedules page shows."""
    with transaction.atomic():
        refusal = RentRefusal.objects.create(
            schedule=schedule, month=month, code=str(exc.code)[:40], message=str(exc.message)[:500]
        )
        audit_record(
            actor=TASK_ACTOR,
            action="talents.rent.refused",
            target=schedule,
            after={"month": month_key(month), "code": refusal.code, "message": refusal.message},
        )


def rent_pay_month(*, day: datetime.date) -> dict[str, int]:
    """The job: pay every due, unpaid month of each active schedule up to the current month (a missed
    run is caught up, each month with its own key), then end the schedules past their term. Each month
    is its own transaction, so one refusal (an empty fund) does not stop the other schedules; a refused
    month is recorded and the schedule's later months wait for the next run."""
    month = month_start(day)
    ended = paid = refused = 0
    for s in RentSchedule.objects.filter(state=RentState.ACTIVE, first_month__lte=month).order_by("id"):
        for due in due_months(s, month):
            try:
                pay_month(s, due)
            except DomainError as exc:
                if exc.code != "not_active":
                    _record_refusal(s, due, exc)
                    refused += 1
                break
            paid += 1
    for s in RentSchedule.objects.filter(
        state__in=(RentState.ACTIVE, RentState.PAUSED), last_month__lt=month
    ):
        schedule_end(actor=TASK_ACTOR, schedule=s, reason=RentEndReason.TERM_ENDED, day=day)
        ended += 1
    return {"ended": ended, "paid": paid, "refused": refused}


def paid_total(schedule: RentSchedule) -> Decimal:
    from django.db.models import Sum

    from skillcity.grants.models import Payment

    total = Payment.objects.filter(application__in=schedule.instalments.values("application")).aggregate(
        s=Sum("amount")
    )["s"]
    return total or Decimal("0")
