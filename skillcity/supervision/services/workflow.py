"""Handling an alert (issue 20 §2): open → assigned → investigating → confirmed or dismissed, and what a
confirmed alert can do with money — put the provider's unpaid payments on hold, recover what was paid
(through grants' ledger, never an edit of a payment), refer the case to another authority.

Every step is one transaction: the alert row locked, an `AlertEvent`, an audit row
(`supervision.alert.*`, `supervision.hold.*`). Town officers handle their own town's alerts (`alert.town`),
the bureau all of them; an alert outside the caller's scope is not found (core.access). The money actions
are idempotent: a second hold on the same alert returns the active one, a recovery is keyed, a referral
to the same authority is the same referral.

| from           | to            | who                                            |
|----------------|---------------|------------------------------------------------|
| open, assigned | assigned      | an officer in scope, to an officer in scope    |
| open, assigned | investigating | an officer in scope                            |
| investigating  | confirmed     | an officer in scope, with a reason             |
| any undecided  | dismissed     | an officer in scope, with a reason             |
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import _role, can_write, visible_to
from skillcity.core.audit import audit_record
from skillcity.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from skillcity.supervision.models import Alert, AlertEvent, AlertState, PaymentHold, Referral

OFFICERS = ("bureau_officer", "town_officer")
UNDECIDED = (AlertState.OPEN, AlertState.ASSIGNED, AlertState.INVESTIGATING)
REASON_MAX = 2000


def _lock(alert: Alert, actor: Any) -> Alert:
    """The alert, locked, if `actor` may handle it (404 outside the scope, 403 for other roles)."""
    if _role(actor) not in OFFICERS:
        raise PermissionDenied(_("只有市人社局和镇街经办人员可以处理监管预警"))
    locked = visible_to(actor, Alert.objects.select_for_update()).filter(pk=alert.pk).first()
    if locked is None:
        raise NotFound(_("记录不存在或您无权查看"))
    if not can_write(actor, locked):
        raise PermissionDenied(_("您无权处理该预警"))
    return locked


def _reason(raw: str, field: str = "reason") -> str:
    text = (raw or "").strip()
    if not text:
        raise DomainError("reason_required", _("请写明理由"), {field: _("请填写此项")})
    if len(text) > REASON_MAX:
        raise DomainError(
            "reason_too_long",
            _("理由不能超过 %(n)s 个字") % {"n": REASON_MAX},
            {field: _("不能超过 %(n)s 个字") % {"n": REASON_MAX}},
        )
    return text


def _refuse(alert: Alert, action: str) -> DomainError:
    return DomainError(
        "illegal_transition",
        _("预警当前状态为“%(s)s”，不能%(a)s") % {"s": alert.get_state_display(), "a": action},
        {"state": alert.state},
        status=409,
    )


def _step(
    alert: Alert, *, actor: Any, action: str, to_state: str | None = None, note: str = "", **after: Any
) -> Alert:
    was = alert.state
    fields = ["updated_at"]
    if to_state is not None:
        alert.state = to_state
        fields.append("state")
    if action in (AlertEvent.Action.CONFIRMED, AlertEvent.Action.DISMISSED):
        alert.decision_reason = note
        fields.append("decision_reason")
    if "assignee" in after:
        fields.append("assignee")
    alert.save(update_fields=fields)
    AlertEvent.objects.create(
        alert=alert, action=action, from_state=was, to_state=alert.state, note=note, actor=actor
    )
    audit_record(
        actor=actor,
        action=f"supervision.alert.{action}",
        target=alert,
        before={"state": was},
        after={"state": alert.state, "note": note, **{k: v for k, v in after.items() if k != "assignee"}},
    )
    return alert


def officers_for(alert: Alert) -> Any:
    """Who an alert can be assigned to: bureau officers, and the officers of the alert's town."""
    from django.db.models import Q

    from skillcity.accounts.models import User

    scope = Q(role="bureau_officer")
    if alert.town_id is not None:
        scope |= Q(role="town_officer", town_id=alert.town_id)
    return User.objects.filter(scope, is_active=True).order_by("role", "username")


@transaction.atomic
def alert_assign(*, alert: Alert, assignee: Any, actor: Any, note: str = "") -> Alert:
    alert = _lock(alert, actor)
    if alert.state not in (AlertState.OPEN, AlertState.ASSIGNED):
        raise _refuse(alert, _("分派"))
    if assignee is None or not officers_for(alert).filter(pk=getattr(assignee, "pk", None)).exists():
        raise DomainError(
            "assignee_out_of_scope",
            _("只能分派给市人社局或该预警所属镇街的经办人员"),
            {"assignee": _("请选择有权处理该预警的经办人员")},
        )
    alert.assignee = assignee
    return _step(
        alert,
        actor=actor,
        action=AlertEvent.Action.ASSIGNED,
        to_state=AlertState.ASSIGNED,
        note=note.strip() or str(assignee),
        assignee=assignee,
        assignee_id=assignee.pk,
    )


@transaction.atomic
def alert_investigate(*, alert: Alert, actor: Any, note: str = "") -> Alert:
    alert = _lock(alert, actor)
    if alert.state not in (AlertState.OPEN, AlertState.ASSIGNED):
        raise _refuse(alert, _("开始核查"))
    if alert.assignee_id is None:
        alert.assignee = actor
        return _step(
            alert,
            actor=actor,
            action=AlertEvent.Action.INVESTIGATING,
            to_state=AlertState.INVESTIGATING,
            note=note.strip(),
            assignee=actor,
            assignee_id=actor.pk,
        )
    return _step(
        alert,
        actor=actor,
        action=AlertEvent.Action.INVESTIGATING,
        to_state=AlertState.INVESTIGATING,
        note=note.strip(),
    )


@transaction.atomic
def alert_confirm(*, alert: Alert, actor: Any, reason: str) -> Alert:
    """确认违规: only after investigating, with the finding written down."""
    alert = _lock(alert, actor)
    if alert.state != AlertState.INVESTIGATING:
        raise _refuse(alert, _("确认违规"))
    return _step(
        alert,
        actor=actor,
        action=AlertEvent.Action.CONFIRMED,
        to_state=AlertState.CONFIRMED,
        note=_reason(reason),
    )


@transaction.atomic
def alert_dismiss(*, alert: Alert, actor: Any, reason: str) -> Alert:
    """排除: the case is not a violation. The next runs leave it dismissed until its records change
    (services.supervise compares their digest)."""
    alert = _lock(alert, actor)
    if alert.state not in UNDECIDED:
        raise _refuse(alert, _("排除"))
    return _step(
        alert,
        actor=actor,
        action=AlertEvent.Action.DISMISSED,
        to_state=AlertState.DISMISSED,
        note=_reason(reason),
    )


def _confirmed(alert: Alert, action: str) -> None:
    if alert.state != AlertState.CONFIRMED:
        raise DomainError(
            "alert_not_confirmed",
            _("只有已确认违规的预警才能%(a)s") % {"a": action},
            {"state": alert.state},
            status=409,
        )


@transaction.atomic
def hold_place(*, alert: Alert, actor: Any, reason: str) -> PaymentHold:
    """暂停拨付: the organisation's unpaid applications cannot be paid until the hold is released.
    Placing it again on the same alert returns the active hold."""
    alert = _lock(alert, actor)
    _confirmed(alert, _("暂停拨付"))
    if alert.organisation_id is None:
        raise DomainError(
            "no_organisation", _("该预警不涉及单位，无法暂停拨付"), {"organisation": _("无涉及单位")}
        )
    existing = alert.holds.filter(released_at__isnull=True).first()
    if existing is not None:
        return existing
    text = _reason(reason)
    hold = PaymentHold.objects.create(
        organisation_id=alert.organisation_id, alert=alert, reason=text, created_by=actor
    )
    AlertEvent.objects.create(alert=alert, action=AlertEvent.Action.HOLD, note=text, actor=actor)
    audit_record(
        actor=actor,
        action="supervision.hold.place",
        target=hold,
        after={"organisation": alert.organisation_id, "alert": alert.pk, "reason": text},
    )
    return hold


@transaction.atomic
def hold_release(*, hold: PaymentHold, actor: Any, reason: str) -> PaymentHold:
    """解除暂停拨付: a separate decision, with its reason."""
    _lock(hold.alert, actor)
    hold = PaymentHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise Conflict("hold_released", _("该暂停拨付已于 %(d)s 解除") % {"d": hold.released_at.date()})
    text = _reason(reason, "release_reason")
    hold.released_at, hold.released_by, hold.release_reason = timezone.now(), actor, text
    hold.save(update_fields=["released_at", "released_by", "release_reason"])
    AlertEvent.objects.create(
        alert_id=hold.alert_id,
        action=AlertEvent.Action.HOLD,
        note=_("解除暂停拨付：%(r)s") % {"r": text},
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="supervision.hold.release",
        target=hold,
        before={"released": False},
        after={"released": True, "reason": text},
    )
    return hold


def recoverable_applications(alert: Alert) -> Any:
    """The paid applications a recovery can be taken from: the alert's organisation's or worker's."""
    from skillcity.grants.models import Application, ApplicationState

    paid = Application.objects.filter(state=ApplicationState.PAID).select_related("payment")
    if alert.organisation_id is not None:
        return paid.filter(organisation_id=alert.organisation_id).order_by("-id")
    if alert.worker_id is not None:
        return paid.filter(worker_id=alert.worker_id).order_by("-id")
    return paid.none()


@transaction.atomic
def alert_recover(
    *, alert: Alert, application_id: Any, amount: Any, reason: str, actor: Any, idempotency_key: str
) -> Any:
    """追回: a recovery from one of the alert's paid applications, written by grants' ledger
    (`recovery_record`, idempotent by key)."""
    from skillcity.grants.services.recoveries import recovery_record

    alert = _lock(alert, actor)
    _confirmed(alert, _("追回资金"))
    application = recoverable_applications(alert).filter(pk=_int(application_id)).first()
    if application is None:
        raise DomainError(
            "application_required",
            _("请选择该预警涉及的已拨付申请"),
            {"application": _("请选择已拨付的申请")},
        )
    text = _reason(reason)
    before = application.recoveries.count()
    recovery = recovery_record(
        application=application,
        amount=amount,
        reason=text,
        actor=actor,
        idempotency_key=idempotency_key,
        reference=f"supervision.alert:{alert.pk}",
    )
    if application.recoveries.count() != before:  # a new one, not a replay
        AlertEvent.objects.create(
            alert=alert,
            action=AlertEvent.Action.RECOVERY,
            note=_("申请 #%(a)s 追回 %(m)s 元：%(r)s")
            % {"a": application.pk, "m": recovery.amount, "r": text},
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="supervision.alert.recovery",
            target=alert,
            after={"application": application.pk, "amount": recovery.amount, "recovery": recovery.pk},
        )
    return recovery


def _int(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


@transaction.atomic
def alert_refer(*, alert: Alert, to: str, note: str, actor: Any) -> Referral:
    """移送: hand the case to another authority; the same authority twice is the same referral."""
    alert = _lock(alert, actor)
    _confirmed(alert, _("移送"))
    if to not in Referral.To.values:
        raise DomainError("bad_referral_to", _("请选择移送对象"), {"to": _("请选择移送对象")})
    existing = alert.referrals.filter(to=to).first()
    if existing is not None:
        return existing
    text = _reason(note, "note")
    referral = Referral.objects.create(alert=alert, to=to, note=text, created_by=actor)
    AlertEvent.objects.create(
        alert=alert,
        action=AlertEvent.Action.REFERRAL,
        note=f"{referral.get_to_display()}：{text}",
        actor=actor,
    )
    audit_record(
        actor=actor, action="supervision.alert.referral", target=alert, after={"to": to, "note": text}
    )
    return referral
