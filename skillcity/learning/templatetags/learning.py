"""`{% learning_records worker %}`: a worker's online-learning completions (学习记录), shown where the
worker's other records are (the registry's worker page)."""

from __future__ import annotations

from typing import Any

from django import template

from skillcity.learning.selectors.learners import completions_of

register = template.Library()

RECORDS_SHOWN = 50


@register.inclusion_tag("learning/_records.html", takes_context=True)
def learning_records(context: Any, worker: Any) -> dict[str, Any]:
    records = list(completions_of(worker.pk)[: RECORDS_SHOWN + 1])
    return {
        "records": records[:RECORDS_SHOWN],
        "more": len(records) > RECORDS_SHOWN,
        "request": context.get("request"),
    }
