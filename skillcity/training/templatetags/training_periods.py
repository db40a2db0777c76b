"""`{{ settlement.period|half_year }}`: 2025H1 shown as 2025年上半年, never as the code."""

from __future__ import annotations

from django import template

from skillcity.training.services.settlement import period_label

register = template.Library()


@register.filter
def half_year(value: str) -> str:
    try:
        return period_label(value)
    except ValueError:
        return value
