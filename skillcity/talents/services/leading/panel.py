"""Leading talents: the expert panel — members (conflicts refused), assignments, score sheets, averages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.registry.models import Worker
from skillcity.talents.models.leading import (
    Assignment,
    LeadingApplication,
    LeadingCall,
    LeadingState,
    PanelMember,
    Score,
)
from skillcity.talents.services.leading.common import _lock, _refuse, _require_bureau


@transaction.atomic
def panel_member_add(*, actor: Any, call: LeadingCall, worker: Worker) -> PanelMember:
    _require_bureau(actor)
    # A member scores on their phone, signed in: a worker without an active account could never score,
    # and the applications given to them would wait for ever.
    from skillcity.accounts.models import User

    if not User.objects.filter(worker=worker, is_active=True).exists():
        msg = _("%(w)s 没有可用的平台账号，不能担任评审专家（须先为其开通劳动者账号）") % {"w": worker.name}
        raise DomainError("no_account", msg, {"worker": msg}, status=409)
    if PanelMember.objects.filter(call=call, worker=worker).exists():
        raise Conflict("member_exists", _("%(w)s 已是本年度评审专家") % {"w": worker.name})
    member = PanelMember.objects.create(call=call, worker=worker, chosen_by=actor)
    audit_record(actor=actor, action="talents.panel.add", target=member, after={"worker": worker.pk})
    return member


@transaction.atomic
def panel_member_withdraw(*, actor: Any, call: LeadingCall, worker: Worker, reason: str) -> None:
    """A panel member with no application given to them yet steps down (an expert drawn from the pool
    who declined, issue 17 §5); one already assigned stays, the assignment being the record."""
    _require_bureau(actor)
    member = PanelMember.objects.select_for_update().filter(call=call, worker=worker).first()
    if member is None:
        return
    if Assignment.objects.filter(member=member).exists():
        raise Conflict("member_assigned", _("%(w)s已分配评审申报，不能退出评审组") % {"w": worker.name})
    before = snapshot(member)
    member.delete()
    audit_record(
        actor=actor,
        action="talents.panel.withdraw",
        target_type="talents.panelmember",
        target_id=before["id"],
        target_label=worker.name,
        before=before,
        after={"reason": reason},
    )


def conflict_reason(member: PanelMember, app: LeadingApplication) -> str:
    """Why this member may not score this application ("" when they may)."""
    if member.worker_id == app.worker_id:
        return _("评审专家不能评审本人的申报")
    employer = member.worker.employer_id
    if employer is not None and employer in (app.unit_id, app.worker.employer_id):
        return _("评审专家%(m)s与申报人同属“%(u)s”，应当回避") % {
            "m": member.worker.name,
            "u": member.worker.employer.name if member.worker.employer else "",
        }
    return ""


@transaction.atomic
def assign(*, actor: Any, application: LeadingApplication, member: PanelMember) -> Assignment:
    """Give an application to a panel member; a member from the applicant's unit is refused."""
    _require_bureau(actor)
    app = _lock(application)
    if app.state != LeadingState.IN_PANEL:
        raise _refuse(app, _("分配评审专家"))
    if member.call_id != app.call_id:
        raise DomainError("wrong_call", _("该专家不属于本年度评审组"), {"member": _("不属于本年度")})
    reason = conflict_reason(member, app)
    if reason:
        raise DomainError("panel_conflict", reason, {"member": reason}, status=409)
    if Assignment.objects.filter(member=member, application=app).exists():
        raise Conflict("already_assigned", _("该专家已分配评审此申报"))
    assignment = Assignment.objects.create(member=member, application=app)
    audit_record(actor=actor, action="talents.panel.assign", target=app, after={"member": member.worker_id})
    return assignment


def parse_points(raw: Any, maximum: int, label: str, code: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            "bad_points", _("“%(l)s”请填写分数") % {"l": label}, {code: _("请填写分数")}
        ) from None
    if not value.is_finite() or value < 0 or value > maximum or value != value.quantize(Decimal("0.1")):
        msg = _("“%(l)s”应为0至%(m)s分（最多一位小数）") % {"l": label, "m": maximum}
        raise DomainError("bad_points", msg, {code: msg})
    return value


@transaction.atomic
def scores_submit(*, actor: Any, assignment: Assignment, points: dict[str, Any]) -> Assignment:
    """The member's scoring sheet: every criterion of the call, within its maximum, submitted once."""
    a = (
        Assignment.objects.select_for_update()
        .select_related("member__call", "application")
        .get(pk=assignment.pk)
    )
    if getattr(actor, "worker_id", None) != a.member.worker_id:
        raise PermissionDenied(_("只有被分配的评审专家本人可以评分"))
    if a.submitted_at is not None:
        raise Conflict("already_scored", _("评分表已提交，不能修改"))
    if a.application.state != LeadingState.IN_PANEL:
        raise _refuse(a.application, _("评分"))
    parsed: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for c in a.member.call.criteria:
        try:
            parsed[c["code"]] = parse_points(points.get(c["code"], ""), int(c["max"]), c["label"], c["code"])
        except DomainError as exc:
            errors.update(exc.fields or {})
    if errors:
        raise DomainError("bad_points", _("评分表有误，请按标准逐项填写"), errors)
    for code, value in parsed.items():
        Score.objects.create(assignment=a, criterion=code, points=value)
    a.submitted_at = timezone.now()
    a.save(update_fields=["submitted_at"])
    audit_record(
        actor=actor,
        action="talents.panel.score",
        target=a.application,
        after={"member": a.member.worker_id, "points": {k: str(v) for k, v in parsed.items()}},
    )
    return a


def average_score(app: LeadingApplication) -> Decimal | None:
    """The mean of the submitted sheets' totals (one decimal), or None before any sheet."""
    # From `assignments` and their `scores` as prefetched by the list (selectors.call_applications):
    # no query per row there; one or two here otherwise.
    totals = []
    for a in app.assignments.all():
        if a.submitted_at is not None:
            totals.append(sum((s.points for s in a.scores.all()), Decimal("0")))
    if not totals:
        return None
    return (sum(totals, Decimal("0")) / len(totals)).quantize(Decimal("0.1"))
