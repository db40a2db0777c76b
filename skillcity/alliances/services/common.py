"""Helpers shared by the alliance services: the alliance's own history and the one error shape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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


def record_event(
    alliance: Alliance, actor: Any, action: str, message_id: str, **params: Any
) -> AllianceEvent:
    """One line of the alliance's history; the caller writes the audit row in the same transaction.

    `message_id` is the Chinese sentence with %(name)s placeholders (marked with gettext_noop); the
    page translates it at display time (AllianceEvent.text), `message` keeps the Chinese text."""
    message = message_id % params if params else message_id
    return AllianceEvent.objects.create(
        alliance=alliance,
        at=schedule.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label(actor),
        action=action,
        message=message,
        message_id=message_id,
        params=params,
    )


# Field names that are not a model field with a Chinese verbose name.
_FIELD_LABELS = {
    "file": _lazy("文件"),
    "period": _lazy("报告期"),
    "membership": _lazy("成员单位"),
    "organisation_id": _lazy("成员单位"),
}


def field_label(name: str) -> str:
    """The label a message names a field by: the model field's verbose name, never its key. Annex 3
    lines ("lines.<organisation id>.<field>") are named by the organisation and the column."""
    from django.core.exceptions import FieldDoesNotExist

    from skillcity.alliances.models import HalfYearReport, Membership, ReportLine
    from skillcity.registry.models import Organisation

    parts = name.split(".")
    if parts[0] == "lines" and len(parts) >= 2:
        org = (
            Organisation.objects.filter(pk=parts[1]).values_list("name", flat=True).first()
            if parts[1].isdigit()
            else None
        )
        column = field_label(parts[2]) if len(parts) > 2 else ""
        return "·".join(p for p in (org or _("成员单位"), column) if p)
    if name in _FIELD_LABELS:
        return str(_FIELD_LABELS[name])
    for model in (Alliance, Membership, HalfYearReport, ReportLine, Organisation):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", _("该项")))
        except FieldDoesNotExist:
            continue
    return _("该项")


def invalid(errors: dict[str, Any], code: str = "invalid") -> DomainError:
    if len(errors) == 1:
        name, message = next(iter(errors.items()))
        text = message[0] if isinstance(message, list) else message
        return DomainError(
            code,
            _("%(label)s：%(message)s") % {"label": field_label(name), "message": text}
            if code == "invalid"
            else str(text),
            errors,
        )
    return DomainError(code, _("输入有误，请检查标出的字段"), errors)


def require_text(value: str | None, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("invalid", _("请填写%(label)s") % {"label": label}, {field: _("必填")})
    if len(text) > max_length:
        raise DomainError(
            "invalid",
            _("%(label)s不能超过%(n)s个字符") % {"label": label, "n": max_length},
            {field: _("不能超过%(n)s个字符") % {"n": max_length}},
        )
    return text
