"""The leading talent's monthly rent subsidy (租房补贴, 2,000–5,000 a month, TAL-LEADING).

A finance officer sets up the schedule (monthly amount within the rule's range, a term of months); the
daily job (jobs scheduler → `rent_pay_task`) pays each active schedule's current month once: an approved
instalment through grants (source "talents.rent:<schedule>:<YYYY-MM>") paid with the idempotency key
"rent:<schedule>:<YYYY-MM>", so a second run in the month pays nothing. A schedule can be paused,
resumed and ended with its reason (left the city, bought a home); past its last month it ends by itself
("term ended").
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
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
) -> RentSchedule:
    """A finance officer's standing instruction: the amount is checked against TAL-LEADING's monthly
    rent range on the recognition's date; one running schedule per talent."""
    if not flows.user_has_stage_role(actor, "finance"):
        raise PermissionDenied(_("只有财务人员可以设立按月发放计划"))
    amount = parse_money(monthly_amount, "monthly_amount", _("每月金额"))
    outcome = outcomes.evaluate("TAL-LEADING", recognition.recognised_on, {"item": "monthly_rent"})
    try:
        outcomes.check_amount(outcome, amount, "")
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, {"monthly_amount": exc.message}) from None
    if not 1 <= months <= TERM_MAX_MONTHS:
        msg = _("发放期限应为1至%(n)s个月") % {"n": TERM_MAX_MONTHS}
        raise DomainError("bad_term", msg, {"months": msg})
    if RentSchedule.objects.filter(worker=recognition.worker).exclude(state=RentState.ENDED).exists():
        raise Conflict("schedule_exists", _("该人才已有未终止的租房补贴发放计划"))
    first = month_start(first_month)
    schedule = RentSchedule.objects.create(
        recognition=recognition,
        worker=recognition.worker,
        monthly_amount=amount,
        first_month=first,
        last_month=add_months(first, months - 1),
        authorised_by=actor,
    )
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
def schedule_resume(*, actor: Any, schedule: RentSchedule) -> RentSchedule:
    _require_staff(actor)
    s = _lock(schedule)
    if s.state != RentState.PAUSED:
        raise Conflict("not_paused", _("计划当前状态为“%(s)s”，不能恢复") % {"s": s.get_state_display()})
    s.state = RentState.ACTIVE
    s.save(update_fields=["state"])
    audit_record(actor=actor, action="talents.rent.resume", target=s, after={})
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


def rent_pay_month(*, day: datetime.date) -> dict[str, int]:
    """The job: end schedules past their term, then pay the current month of each active one.
    Each schedule is its own transaction, so one refusal (an empty fund) does not stop the others."""
    month = month_start(day)
    ended = paid = refused = 0
    for s in RentSchedule.objects.filter(
        state__in=(RentState.ACTIVE, RentState.PAUSED), last_month__lt=month
    ):
        schedule_end(actor=TASK_ACTOR, schedule=s, reason=RentEndReason.TERM_ENDED, day=day)
        ended += 1
    for s in RentSchedule.objects.filter(
        state=RentState.ACTIVE, first_month__lte=month, last_month__gte=month
    ):
        try:
            pay_month(s, month)
            paid += 1
        except DomainError:
            refused += (
                1  # the grants refusal is on the application's timeline; the page shows the month unpaid
            )
    return {"ended": ended, "paid": paid, "refused": refused}


def paid_total(schedule: RentSchedule) -> Decimal:
    from django.db.models import Sum

    from skillcity.grants.models import Payment

    total = Payment.objects.filter(application__in=schedule.instalments.values("application")).aggregate(
        s=Sum("amount")
    )["s"]
    return total or Decimal("0")
