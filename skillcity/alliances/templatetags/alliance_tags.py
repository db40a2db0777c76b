"""Small template helpers for alliance pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

_BADGES = {
    "draft": "secondary",
    "filed": "warning text-dark",
    "returned": "danger",
    "active": "success",
    "dissolved": "dark",
    "submitted": "primary",
    "accepted": "success",
}


@register.filter
def badge(status: str) -> str:
    return _BADGES.get(str(status), "secondary")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def line_key(org_id: int, field: str) -> str:
    return f"l{org_id}_{field}"


@register.simple_tag
def error_key(org_id: int, field: str) -> str:
    return f"lines.{org_id}.{field}"
