"""Names for a finding's records: looked up for the few rows a check flags, never for whole tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def names(model: Any, ids: Iterable[int | None], field: str = "name") -> dict[int, str]:
    wanted = {int(i) for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(model.objects.filter(pk__in=wanted).values_list("pk", field))


def worker_names(ids: Iterable[int | None]) -> dict[int, str]:
    from skillcity.registry.models import Worker

    return names(Worker, ids)


def organisation_names(ids: Iterable[int | None]) -> dict[int, str]:
    from skillcity.registry.models import Organisation

    return names(Organisation, ids)


def hm(value: Any) -> str:
    """A time of day as 08:30."""
    return value.strftime("%H:%M") if value is not None else "—"
