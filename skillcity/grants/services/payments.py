"""Funds, approval against a fund, payment exactly once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.money import round_fen, to_decimal
from skillcity.grants import flows, outcomes
from skillcity.grants.models import (
    TREASURY_REFERENCE_MAX,
    Application,
    Fund,
    FundEntry,
    Payment,
)
from skillcity.grants.services import common
from skillcity.grants.services.common import (
    S,
    _event,
    _lock,
    _refuse_state,
    _require_bureau,
)
from skillcity.notifications.services import application_notify


def funds_covering(programme: str, first: int, last: int) -> Any:
    """The programme's funds whose years meet [first, last]."""
    single = Q(last_year__isnull=True, year__gte=first, year__lte=last)
    span = Q(last_year__isnull=False, year__lte=last, last_year__gte=first)
    return Fund.objects.filter(single | span, programme=programme)


def fund_for(app: Application) -> Fund | None:
    """The budget an approval draws on: the programme's fund covering the event's year."""
    year = app.event_date.year
    return funds_covering(app.rule_id, year, year).order_by("year").first()


class FundMissing(DomainError):
    """No budget to book against: says which fund the bureau must create (programme and year), and
    carries the address of the fund creation page, filled in, for the page to link to."""

    status = 409

    def __init__(self, programme: str, year: int):
        from django.urls import reverse
        from django.utils.http import urlencode

        title = rule_title(programme)
        super().__init__(
            "fund_missing",
            _("“%(t)s”（%(p)s）没有 %(y)s 年度的资金，不能核准或拨付：请先新建该项目 %(y)s 年度的资金")
            % {"t": title, "p": programme, "y": year},
            {"fund": _("请先新建 %(p)s %(y)s 年度的资金") % {"p": programme, "y": year}},
        )
        self.programme, self.year = programme, year
        self.create_url = (
            reverse("grants:fund_create") + "?" + urlencode({"programme": programme, "year": str(year)})
        )


def rule_title(rule_id: str) -> str:
    """The rule's title for messages; the ID itself when the rule is not in the engine."""
    from skillcity.policy.engine import load_rules

    found = load_rules().get(rule_id)
    return str(found.title) if found is not None else rule_id


def _book(fund: Fund, amount: Decimal, action: str) -> Fund:
    """Lock the fund and check it can carry `amount`: two approvals racing for the last of a budget
    must not both pass."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    remaining = fund.balances()["remaining"]
    if amount > remaining:
        raise DomainError(
            "budget_exceeded",
            _("“%(f)s”剩余预算 %(r)s 元，不足以%(act)s %(a)s 元")
            % {"f": fund, "r": remaining, "a": amount, "act": action},
            {"amount": _("超过剩余预算")},
            status=409,
        )
    return fund


@transaction.atomic
def application_approve(
    *,
    application: Application,
    actor: Any,
    amount: Decimal | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> Application:
    """After the notice has ended with no unresolved objection: fix the amount within the engine's
    bounds and commit it against the programme's fund for the year; with no such fund, refuse and say
    which fund to create (every money rule's payments are booked against a fund for its year)."""
    app = _lock(application)
    _require_bureau(actor)
    if app.state != S.IN_NOTICE:
        raise _refuse_state(app, _("核准"))
    notice = app.notice
    day = today or common._today()
    if day <= notice.end:
        raise DomainError(
            "notice_running", _("公示期至 %(d)s 止，公示期满后方可核准") % {"d": notice.end}, status=409
        )
    if notice.objections.filter(resolved_at__isnull=True).exists():
        raise DomainError("objection_unresolved", _("存在未处理的异议，处理完毕后方可核准"), status=409)
    if amount is None:
        amount = app.decided_amount or outcomes.default_amount(app.outcome)
    if amount is None:
        raise DomainError("amount_required", _("请填写核定金额"), {"amount": _("必须填写")})
    amount = round_fen(to_decimal(amount))
    reason = reason or app.decision_reason
    outcomes.check_amount(app.outcome, amount, reason)
    flows.approval_check(app, amount)  # a rule's own check (a yearly cap across claims), may refuse
    fund = fund_for(app)
    if fund is None:
        raise FundMissing(app.rule_id, app.event_date.year)
    fund = _book(fund, amount, _("核准"))
    FundEntry.objects.create(fund=fund, application=app, kind=FundEntry.Kind.COMMITMENT, amount=amount)
    app.state, app.decided_amount, app.decision_reason = S.APPROVED, amount, reason
    app.save(update_fields=["state", "decided_amount", "decision_reason"])
    _event(app, actor=actor, action="approve", from_state=S.IN_NOTICE, reason=reason, amount=amount)
    audit_record(actor=actor, action="grants.application.approve", target=app, after={"amount": amount})
    flows.approved(app, actor)
    application_notify(application=app, event="approved", amount=amount)
    return app


@transaction.atomic
def application_cancel_approval(*, application: Application, actor: Any, reason: str) -> Application:
    """An approved but unpaid entitlement is cancelled; its commitment is released."""
    app = _lock(application)
    _require_bureau(actor)
    if app.state != S.APPROVED:
        raise _refuse_state(app, _("撤销核准"))
    if not reason.strip():
        raise DomainError("reason_required", _("撤销核准必须写明理由"), {"reason": _("必须填写")})
    commitment = app.fund_entries.filter(kind=FundEntry.Kind.COMMITMENT).first()
    if commitment is not None:
        FundEntry.objects.create(
            fund=commitment.fund, application=app, kind=FundEntry.Kind.RELEASE, amount=commitment.amount
        )
    app.state = S.REJECTED
    app.save(update_fields=["state"])
    _event(app, actor=actor, action="cancel_approval", from_state=S.APPROVED, reason=reason)
    audit_record(
        actor=actor, action="grants.application.cancel_approval", target=app, after={"reason": reason}
    )
    return app


def hold_message(app: Application) -> str | None:
    """Why `app` may not be paid now: its organisation's payments are on hold (暂停拨付, placed by
    supervision on a confirmed alert, issue 20); None when there is no active hold."""
    if app.organisation_id is None:
        return None
    from skillcity.supervision.holds import active_hold

    hold = active_hold(app.organisation_id)
    if hold is None:
        return None
    return _("“%(o)s”的补贴拨付已因监管预警 #%(a)s 暂停（%(d)s 起），解除暂停后方可拨付") % {
        "o": app.organisation,
        "a": hold.alert_id,
        "d": timezone.localtime(hold.created_at).date(),
    }


def refuse_if_on_hold(app: Application) -> None:
    message = hold_message(app)
    if message is not None:
        raise DomainError("payment_on_hold", message, {"application": message}, status=409)


def _payment_replay(key: str, app: Application) -> Payment | None:
    existing = Payment.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if existing.application_id != app.pk:
        raise Conflict("idempotency_key_reused", _("该幂等键已用于另一笔拨付"))
    return existing


def treasury_reference_clean(raw: str | None) -> str:
    """国库支付凭证号: required when a person pays (page, API), 1–64 characters."""
    reference = (raw or "").strip()
    if not reference:
        raise DomainError(
            "treasury_reference_required",
            _("请填写国库支付凭证号"),
            {"treasury_reference": _("请填写此项")},
        )
    if len(reference) > TREASURY_REFERENCE_MAX:
        raise DomainError(
            "treasury_reference_too_long",
            _("国库支付凭证号不能超过 %(n)s 个字符") % {"n": TREASURY_REFERENCE_MAX},
            {"treasury_reference": _("不能超过 %(n)s 个字符") % {"n": TREASURY_REFERENCE_MAX}},
        )
    return reference


def payment_make(
    *,
    application: Application,
    actor: Any,
    idempotency_key: str,
    treasury_reference: str | None = None,
) -> Payment:
    """Pay an approved entitlement exactly once. Replaying the same key returns the first payment.

    `treasury_reference` is the treasury's voucher number; the page and the API always pass it (an
    empty one is refused), only the demo and old callers leave it out (None)."""
    if not flows.user_has_stage_role(actor, "finance"):
        raise PermissionDenied(_("只有财务人员可以拨付"))
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise DomainError(
            "idempotency_key_required",
            _("拨付请求必须带幂等键（1–128字符）"),
            {"idempotency_key": _("必须填写")},
        )
    reference = "" if treasury_reference is None else treasury_reference_clean(treasury_reference)
    try:
        return _payment_make(application=application, actor=actor, key=key, reference=reference)
    except IntegrityError:
        # A concurrent request with the same key won the insert: answer with its payment.
        replay = _payment_replay(key, application)
        if replay is not None:
            return replay
        raise Conflict("already_paid", _("该申请已拨付，不能重复拨付")) from None


@transaction.atomic
def _payment_make(*, application: Application, actor: Any, key: str, reference: str = "") -> Payment:
    app = _lock(application)
    replay = _payment_replay(key, app)
    if replay is not None:
        return replay
    if app.state == S.PAID:
        raise Conflict("already_paid", _("该申请已拨付，不能重复拨付"))
    if app.state != S.APPROVED or app.decided_amount is None:
        raise _refuse_state(app, _("拨付"))
    refuse_if_on_hold(app)
    commitment = app.fund_entries.filter(kind=FundEntry.Kind.COMMITMENT).first()
    fund: Fund | None = None
    if commitment is None:
        # Approved before every approval drew on a fund: book the spend against the year's fund now,
        # and refuse when there is none (a CMP-TEAM payment once went through with no budget at all).
        fund = fund_for(app)
        if fund is None:
            raise FundMissing(app.rule_id, app.event_date.year)
        fund = _book(fund, app.decided_amount, _("拨付"))
    payment = Payment.objects.create(
        application=app,
        amount=app.decided_amount,
        idempotency_key=key,
        treasury_reference=reference,
        paid_by=actor,
    )
    if commitment is not None:
        fund = commitment.fund
        FundEntry.objects.create(
            fund=fund, application=app, kind=FundEntry.Kind.RELEASE, amount=commitment.amount
        )
    assert fund is not None
    FundEntry.objects.create(fund=fund, application=app, kind=FundEntry.Kind.SPEND, amount=payment.amount)
    app.state = S.PAID
    app.save(update_fields=["state"])
    _event(app, actor=actor, action="pay", from_state=S.APPROVED, amount=payment.amount)
    audit_record(
        actor=actor,
        action="grants.payment.make",
        target=app,
        after={"amount": payment.amount, "key": key, "treasury_reference": reference},
    )
    application_notify(application=app, event="paid", amount=payment.amount)
    return payment


@transaction.atomic
def fund_create(
    *,
    actor: Any,
    programme: str,
    year: int,
    name: str,
    total: Decimal,
    last_year: int | None = None,
    source: str = "",
) -> Fund:
    """A budget for one year, or for `year`–`last_year`; no two budgets of a programme share a year."""
    _require_bureau(actor)
    total = round_fen(to_decimal(total, field="total"))
    if total < 0:
        raise DomainError("bad_total", _("预算总额不能为负"), {"total": _("不能为负")})
    if last_year is not None and last_year < year:
        raise DomainError("bad_years", _("截止年度不能早于起始年度"), {"last_year": _("不能早于起始年度")})
    if funds_covering(programme, year, last_year or year).exists():
        raise Conflict(
            "fund_exists",
            _("“%(t)s”（%(p)s）的 %(y)s 年度资金已存在")
            % {"t": rule_title(programme), "p": programme, "y": year},
            {"year": _("该年度已有资金")},
        )
    fund = Fund.objects.create(
        programme=programme, year=year, last_year=last_year, name=name, total=total, source=source
    )
    audit_record(actor=actor, action="grants.fund.create", target=fund, after=snapshot(fund))
    return fund


def fund_from_policy(*, actor: Any, programme: str, parameter: str, name: str) -> Fund | None:
    """The budget a policy document sets (a parameter of the engine, e.g. EDU-BASE.fund), as the fund the
    approvals of `programme` draw on, cited to its clause; None when such a fund already exists."""
    from skillcity.policy import params as P

    version = P.parameters()[parameter].versions[-1]
    first = version.effective_from.year
    last = version.effective_to.year if version.effective_to else first
    if funds_covering(programme, first, last).exists():
        return None
    return fund_create(
        actor=actor,
        programme=programme,
        year=first,
        last_year=last,
        name=name,
        total=version.value,
        source=f"{version.document} {version.clause}",
    )
