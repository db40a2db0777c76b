"""/api/v1/timeline/ (issue 19 §5): a worker's timeline (the worker's own; an officer's in scope,
with personal details masked) and the training outcomes per provider or project (officers)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Id, Year
from skillcity.core.errors import DomainError
from skillcity.registry.models import Worker
from skillcity.timeline.selectors import timeline_for
from skillcity.timeline.selectors.outcomes import WINDOW_MONTHS, WINDOWS, training_outcomes
from skillcity.timeline.sources import TimelineEvent

router = Router(tags=["timeline"])
OFFICERS = ("bureau_officer", "town_officer")
MASK = "***"


class TimelineFactOut(Schema):
    label: str
    value: str


class TimelineEventOut(Schema):
    date: datetime.date
    source: str
    title: str
    detail: str
    facts: list[TimelineFactOut]


class TimelineOut(Schema):
    worker_id: int
    name: str
    id_number_masked: str
    events: list[TimelineEventOut]


def _timeline(worker: Worker, *, own: bool, source: str | None) -> dict[str, Any]:
    events: list[TimelineEvent] = timeline_for(worker.pk, sources={source} if source else None)
    return {
        "worker_id": worker.pk,
        "name": worker.name,
        "id_number_masked": worker.id_number_masked,
        "events": [
            {
                "date": e.date,
                "source": e.source,
                "title": e.title,
                "detail": e.detail,
                "facts": [
                    {"label": label, "value": value if own or not e.personal else MASK}
                    for label, value in e.facts
                ],
            }
            for e in events
        ],
    }


@router.get("/me", response=TimelineOut, summary="My timeline: every event the platform holds (a worker)")
def my_timeline(request: HttpRequest, source: str | None = None) -> Any:
    user = acting_user(request)
    if user.worker is None:
        raise DomainError("not_a_worker", _("请以已实名关联劳动者登记的账号查看本人职业档案"), status=403)
    return _timeline(user.worker, own=True, source=source)


@router.get(
    "/workers/{pk}",
    response=TimelineOut,
    summary="A worker's timeline, personal details masked (bureau; a town officer: the town's workers)",
)
def worker_timeline(request: HttpRequest, pk: Id, source: str | None = None) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    return _timeline(get_for(user, Worker.objects.all(), pk), own=False, source=source)


class TimelineOutcomeQuery(Schema):
    year: Year
    months: Annotated[int, Field(ge=min(WINDOWS), le=max(WINDOWS))] = WINDOW_MONTHS
    group: Literal["provider", "project"] = "provider"


class TimelineOutcomeOut(Schema):
    id: int
    name: str
    provider_name: str
    trainees: int
    certified: int
    certified_known: int
    certified_share: Decimal | None
    employed: int
    employed_known: int
    employed_share: Decimal | None
    newly_employed: int
    newly_employed_share: Decimal | None
    pending: int


@router.get(
    "/outcomes",
    response=list[TimelineOutcomeOut],
    summary="Per provider or project: trainees who completed in a year, certified and employed within N "
    "months (officers; a town officer: the town's enrolments)",
)
def outcomes(request: HttpRequest, query: Query[TimelineOutcomeQuery]) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    if query.months not in WINDOWS:
        message = _("观察期须为 3、6 或 12 个月")
        raise DomainError("invalid_window", message, {"months": message})
    town_id = user.town_id if user.role == "town_officer" else None
    rows = training_outcomes(year=query.year, months=query.months, group=query.group, town_id=town_id)
    return [
        {
            "id": r.key,
            "name": r.name,
            "provider_name": r.provider_name,
            "trainees": r.trainees,
            "certified": r.certified,
            "certified_known": r.certified_known,
            "certified_share": r.certified_share,
            "employed": r.employed,
            "employed_known": r.employed_known,
            "employed_share": r.employed_share,
            "newly_employed": r.newly_employed,
            "newly_employed_share": r.newly_employed_share,
            "pending": r.pending,
        }
        for r in rows
    ]
