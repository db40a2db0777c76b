"""Talent card writes: apply (one step, issued at once when TAL-CARD says eligible), revoke, re-check
when a basis is revoked, and the bureau's services configuration. Each is one transaction with its
audit row."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.accounts.models import User
from skillcity.certification import signing
from skillcity.core.access import require_role
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.notifications.models import NotificationKind
from skillcity.notifications.services import notifications_send
from skillcity.registry.models import Worker
from skillcity.talents.models import MAX_ACTIVE_SERVICES, CardService, TalentCard
from skillcity.talents.selectors.cards import CARD_TOKEN_TYPE, card_eligibility

BUREAU = "bureau_officer"


def _is_bureau(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False) or getattr(actor, "role", "") == BUREAU)


def card_payload(card: TalentCard) -> dict[str, Any]:
    """What the QR carries: the type marker, the number, the holder's name, the issue date."""
    return {"t": CARD_TOKEN_TYPE, "n": card.number, "nm": card.worker.name, "d": card.issued_on.isoformat()}


@transaction.atomic
def card_apply(*, worker: Worker, actor: Any) -> TalentCard:
    """One step: TAL-CARD is evaluated now from the records; eligible → the card is issued and signed."""
    if not _is_bureau(actor) and getattr(actor, "worker_id", None) != worker.pk:
        raise PermissionDenied(_("只能为本人申领优才卡"))
    # Lock the worker: two taps on "apply" must not issue two cards.
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if TalentCard.objects.filter(worker=worker, status=TalentCard.Status.VALID).exists():
        raise Conflict("card_exists", _("您已持有有效的优才卡"))
    outcome = card_eligibility(worker)
    if not outcome.eligible:
        raise DomainError("not_eligible", outcome.reasons[0] if outcome.reasons else _("不符合申领条件"))
    today = timezone.localdate()
    card = TalentCard.objects.create(
        worker=worker,
        number=f"T{uuid.uuid4().hex[:12].upper()}",  # replaced below, once the serial is known
        issued_on=today,
        grounds=list(outcome.extra.get("grounds", [])),
        grounds_messages=outcome.extra.get("grounds_messages", []),
        qr_token="",
    )
    card.number = f"YCK{today.year}{card.pk:06d}"
    card.qr_token = signing.sign_payload(card_payload(card))
    card.save(update_fields=["number", "qr_token"])
    audit_record(
        actor=actor, action="talent_card.issue", target=card, after=snapshot(card, ["number", "grounds"])
    )
    return card


def _holder_users(worker: Worker) -> list[Any]:
    return list(User.objects.filter(worker=worker, is_active=True))


def _revoke(card: TalentCard, *, reason: str, actor: Any) -> TalentCard:
    before = snapshot(card, ["status", "grounds"])
    card.status = TalentCard.Status.REVOKED
    card.revoked_on = timezone.localdate()
    card.revoked_reason = reason.strip()[:500]
    card.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    card.save(update_fields=["status", "revoked_on", "revoked_reason", "revoked_by"])
    notifications_send(
        users=_holder_users(card.worker),
        kind=NotificationKind.TALENT_CARD_REVOKED,
        key=f"talent_card_revoked:{card.pk}",
        params={"number": card.number, "reason": card.revoked_reason},
        url="/talents/card/",
    )
    audit_record(
        actor=actor,
        action="talent_card.revoke",
        target=card,
        before=before,
        after=snapshot(card, ["status", "revoked_on", "revoked_reason"]),
    )
    return card


@transaction.atomic
def card_revoke(*, card: TalentCard, reason: str, actor: Any) -> TalentCard:
    """The bureau revokes a card with a reason; the holder is told."""
    require_role(actor, BUREAU)
    card = TalentCard.objects.select_for_update().select_related("worker").get(pk=card.pk)
    if card.status == TalentCard.Status.REVOKED:
        raise Conflict("already_revoked", _("该优才卡已于%(d)s撤销") % {"d": card.revoked_on})
    if not reason.strip():
        raise DomainError("reason_required", _("撤销优才卡须填写原因"), {"reason": _("请填写撤销原因")})
    return _revoke(card, reason=reason, actor=actor)


@transaction.atomic
def cards_recheck(*, worker: Worker, actor: Any, reason: str) -> TalentCard | None:
    """A basis of the worker's card was revoked (a certificate, a title): TAL-CARD is evaluated again
    from what remains. No basis left → the card is revoked and the holder told; another basis left →
    the card stands and its recorded grounds become the remaining ones. Returns the card, if any."""
    card = (
        TalentCard.objects.select_for_update()
        .select_related("worker")
        .filter(worker=worker, status=TalentCard.Status.VALID)
        .first()
    )
    if card is None:
        return None
    outcome = card_eligibility(card.worker)
    if not outcome.eligible:
        text = _("发卡依据已撤销（%(reason)s），且无其他依据") % {"reason": reason.strip() or _("未说明")}
        return _revoke(card, reason=text, actor=actor)
    grounds = list(outcome.extra.get("grounds", []))
    if grounds != card.grounds:
        before = snapshot(card, ["grounds"])
        card.grounds, card.grounds_messages = grounds, outcome.extra.get("grounds_messages", [])
        card.save(update_fields=["grounds", "grounds_messages"])
        audit_record(
            actor=actor,
            action="talent_card.grounds_update",
            target=card,
            before=before,
            after={"grounds": grounds, "reason": reason},
        )
    return card


def on_basis_revoked(sender: Any, *, worker: Worker, actor: Any, reason: str, **kwargs: Any) -> None:
    """registry.signals.basis_revoked receiver (connected in apps.py)."""
    cards_recheck(worker=worker, actor=actor, reason=reason)


def _clean_service(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {
        "name": str(fields.get("name", "")).strip(),
        "provider": str(fields.get("provider", "")).strip(),
        "description": str(fields.get("description", "")).strip(),
        "order": fields.get("order", 0),
        "active": bool(fields.get("active", True)),
        "demo": bool(fields.get("demo", False)),
    }
    errors: dict[str, str] = {}
    if not cleaned["name"]:
        errors["name"] = _("请填写服务名称")
    elif len(cleaned["name"]) > 60:
        errors["name"] = _("服务名称不超过60个字")
    if not cleaned["provider"]:
        errors["provider"] = _("请填写提供单位")
    elif len(cleaned["provider"]) > 60:
        errors["provider"] = _("提供单位不超过60个字")
    if len(cleaned["description"]) > 300:
        errors["description"] = _("服务内容不超过300个字")
    try:
        cleaned["order"] = int(cleaned["order"] or 0)
        if not 0 <= cleaned["order"] <= 999:
            raise ValueError
    except (TypeError, ValueError):
        errors["order"] = _("排序应为0–999的整数")
    if errors:
        raise DomainError("invalid", _("请检查标出的项目"), errors)
    return cleaned


@transaction.atomic
def card_service_save(*, actor: Any, service: CardService | None = None, **fields: Any) -> CardService:
    """Add or change a service the card opens. D003 §一(六): at most 24 are active at once."""
    require_role(actor, BUREAU)
    cleaned = _clean_service(fields)
    # Lock the table's rows so two officers enabling the 24th service at once cannot make 25.
    active = list(CardService.objects.select_for_update().filter(active=True).values_list("pk", flat=True))
    others_active = len([pk for pk in active if service is None or pk != service.pk])
    if cleaned["active"] and others_active >= MAX_ACTIVE_SERVICES:
        raise DomainError(
            "too_many_services",
            _("启用的服务最多%(n)s项（市文件：优才卡享受不超过24项公共服务）") % {"n": MAX_ACTIVE_SERVICES},
            {"active": _("已启用%(n)s项，请先停用一项") % {"n": others_active}},
        )
    if service is None:
        service = CardService.objects.create(**cleaned)
        audit_record(actor=actor, action="card_service.create", target=service, after=snapshot(service))
        return service
    service = CardService.objects.select_for_update().get(pk=service.pk)
    before = snapshot(service)
    for name, value in cleaned.items():
        setattr(service, name, value)
    service.save(update_fields=list(cleaned))
    audit_record(
        actor=actor, action="card_service.update", target=service, before=before, after=snapshot(service)
    )
    return service
