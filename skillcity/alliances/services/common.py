"""Helpers shared by the alliance services: the alliance's own history and the one error shape."""

from __future__ import annotations

from typing import Any

from skillcity.alliances import schedule
from skillcity.alliances.models import Alliance, AllianceEvent
from skillcity.core.errors import DomainError


def actor_label(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        # The history is read by people: the display name, with the login name to tell two apart.
        name = str(getattr(actor, "display_name", "") or "").strip()
        username = str(actor.get_username())
        return (f"{name}（{username}）" if name else username)[:150]
    return str(actor or "system")[:150]


def record_event(alliance: Alliance, actor: Any, action: str, message: str) -> AllianceEvent:
    """One line of the alliance's history; the caller writes the audit row in the same transaction."""
    return AllianceEvent.objects.create(
        alliance=alliance,
        at=schedule.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label(actor),
        action=action,
        message=message,
    )


def invalid(errors: dict[str, Any], code: str = "invalid") -> DomainError:
    if len(errors) == 1:
        name, message = next(iter(errors.items()))
        text = message[0] if isinstance(message, list) else message
        return DomainError(code, f"{name}：{text}" if code == "invalid" else str(text), errors)
    return DomainError(code, "输入有误，请检查标出的字段", errors)


def require_text(value: str | None, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("invalid", f"请填写{label}", {field: "必填"})
    if len(text) > max_length:
        raise DomainError(
            "invalid", f"{label}不能超过{max_length}个字符", {field: f"不能超过{max_length}个字符"}
        )
    return text
