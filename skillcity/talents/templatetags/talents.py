"""{% edu_equiv worker %}: EDU-EQUIV on a worker's profile (registry/worker_detail.html)."""

from __future__ import annotations

from typing import Any

from django import template

from skillcity.talents.selectors.pool import edu_equiv_table

register = template.Library()


@register.inclusion_tag("talents/_edu_equiv.html")
def edu_equiv(worker: Any) -> dict[str, Any]:
    from skillcity.schools.selectors import with_equivalents, worker_graduations

    graduations = with_equivalents(worker_graduations(worker))
    rows, note = edu_equiv_table(worker, {g.equiv_class for g in graduations})
    return {"rows": rows, "note": note, "graduations": graduations}
