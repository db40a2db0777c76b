"""Labels in place of codes on every page: `{% load labels %}`.

{{ app.rule_id|rule_title }} {{ app.rule_id|rule_id_small }}
{{ e.action|event_action }} {{ e.to_state|application_state }} {{ stage.name|stage_label }}
{{ v.value|param_value:p.unit }} {{ e.action|audit_action }} {% audit_target e %}
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from skillcity.core.audit_labels import audit_action_label, audit_target_name
from skillcity.grants.labels import event_action_label, stage_label
from skillcity.grants.models import ApplicationState
from skillcity.policy import display

register = template.Library()


@register.filter
def translate(text: Any) -> str:
    """A Chinese label held in a table of the code (the annexes' column names …), translated."""
    return gettext(str(text)) if text not in (None, "") else ""


@register.filter
def rule_title(rule_id: str) -> str:
    return display.rule_title(str(rule_id))


@register.filter
def rule_id_small(rule_id: str) -> str:
    """The rule's ID in small type, for officers who work with the catalog's IDs (the one place an ID
    may show; the crawl test allows codes only inside `.rule-id`)."""
    return format_html('<small class="rule-id text-muted">{}</small>', rule_id)


@register.filter
def parameter_title(name: str) -> str:
    return display.parameter_title(str(name))


@register.filter
def param_value(value: Any, unit: str = "") -> str:
    return display.value_display(value, unit or "")


@register.filter
def param_value_of(value: Any, parameter: str | None) -> str:
    """A trace step's value, in its parameter's unit."""
    return display.value_display(value, display.parameter_unit(str(parameter or "")))


@register.filter
def event_action(action: str) -> str:
    return event_action_label(str(action))


@register.filter(name="stage_label")
def stage_label_filter(stage: str) -> str:
    return stage_label(str(stage))


@register.filter
def application_state(state: str) -> str:
    try:
        return str(ApplicationState(state).label)
    except ValueError:
        return "—"


@register.filter
def audit_action(action: str) -> str:
    return audit_action_label(str(action))


@register.simple_tag
def audit_target(event: Any) -> str:
    """The record's readable name. Rows written before applications were named by their rule's title
    hold "CMP-HOST #9": the ID becomes the title, and the record number is not said twice."""
    name = display.rule_ids_titled(event.target_label or "")
    if event.target_id and name.endswith(f"#{event.target_id}"):
        name = name[: -len(f"#{event.target_id}")].strip()
    return audit_target_name(event.target_type, event.target_id, name)


@register.filter
def percent(share: Any) -> str:
    """A share (0.9712) as 97.1%; a share not known (None) as —."""
    if share is None or share == "":
        return "—"
    try:
        return f"{Decimal(str(share)) * 100:.1f}%"
    except (InvalidOperation, ValueError):
        return str(share)


@register.filter
def yuan(amount: Any) -> str:
    """An amount as 1,234,567.89 (groups of three, as on the platform's notices and messages; the
    Chinese locale's own grouping is by four)."""
    if amount is None or amount == "":
        return ""
    try:
        return f"{Decimal(str(amount)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(amount)


@register.filter
def reason_texts(outcome: Any) -> list[str]:
    """An outcome's reasons in the reader's language (its stored Chinese for an outcome stored before
    reasons carried their messages)."""
    return display.reason_texts(outcome) if isinstance(outcome, dict) else []


@register.filter
def step_text(entry: Any) -> str:
    """A calculation step in the reader's language."""
    return display.step_text(entry) if isinstance(entry, dict) else ""


@register.filter
def component_reason(component: Any) -> str:
    """A CRT-ENT component's reason in the reader's language."""
    return display.component_reason(component) if isinstance(component, dict) else ""
