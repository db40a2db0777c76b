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
    request = context.get("request")
    user = getattr(request, "user", None)
    # The certificate PDF is the learner's own, and the bureau's (learning.selectors.learners); a town
    # officer sees the record without the link that would refuse them.
    may_download = bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or user.role == "bureau_officer" or user.worker_id == worker.pk)
    )
    return {
        "records": records[:RECORDS_SHOWN],
        "more": len(records) > RECORDS_SHOWN,
        "may_download": may_download,
    }
