"""What the supervision pages and API read: the alerts a person may see, filtered; one alert with what its
page shows (records with links, events, holds, referrals, recoveries); the runs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from skillcity.core.access import visible_to
from skillcity.supervision.models import Alert, AlertState, Run, Severity


@dataclass
class AlertFilters:
    check: str = ""
    town: int | None = None
    organisation: int | None = None
    state: str = ""
    severity: str = ""
    money_min: Decimal | None = None
    money_max: Decimal | None = None


def alerts_for(user: Any, filters: AlertFilters | None = None) -> QuerySet[Alert]:
    """The alerts `user` may see (a town officer: the town's; the bureau: all), newest first, with what
    the list shows loaded (a page is three queries, whatever its length)."""
    f = filters or AlertFilters()
    qs = visible_to(user, Alert.objects.select_related("organisation", "town", "assignee", "worker"))
    if f.check:
        qs = qs.filter(check_id=f.check)
    if f.town is not None:
        qs = qs.filter(town_id=f.town)
    if f.organisation is not None:
        qs = qs.filter(organisation_id=f.organisation)
    if f.state in AlertState.values:
        qs = qs.filter(state=f.state)
    if f.severity in Severity.values:
        qs = qs.filter(severity=f.severity)
    if f.money_min is not None:
        qs = qs.filter(money__gte=f.money_min)
    if f.money_max is not None:
        qs = qs.filter(money__lte=f.money_max)
    return qs.order_by("-created_at", "-id")


# The page each kind of record has (its id the one argument); kinds with no page of their own (an
# enrolment, a sign-in) are listed without a link.
RECORD_PAGES: dict[str, str] = {
    "registry.worker": "registry:worker_detail",
    "registry.organisation": "registry:organisation_detail",
    "grants.application": "grants:detail",
    "training.project": "training:project_detail",
    "certification.certificate": "certification:certificate_detail",
    "certification.session": "certification:session_detail",
    "certification.evaluator": "certification:evaluator_detail",
    "training.settlement": "training:settlement_detail",
}


def record_link(kind: str, pk: Any) -> str:
    """The page of a record behind an alert, where one exists ("" otherwise)."""
    name = RECORD_PAGES.get(kind)
    if name is None:
        return ""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def record_kind_label(kind: str) -> str:
    """What a kind of record is called ("training.enrolment" → 培训报名): its model's verbose name, the
    kind itself only for a kind that is not a model."""
    from django.apps import apps

    try:
        return str(apps.get_model(kind)._meta.verbose_name)
    except (LookupError, ValueError):
        return kind


def alert_records(alert: Alert) -> list[dict[str, Any]]:
    """The records behind an alert, each with what it is called and the address of its page ("" if none)."""
    return [
        {
            **r,
            "kind_label": record_kind_label(str(r.get("kind", ""))),
            "url": record_link(str(r.get("kind", "")), r.get("id")),
        }
        for r in alert.records
        if isinstance(r, dict)
    ]


def runs_recent(limit: int = 50) -> QuerySet[Run]:
    return Run.objects.select_related("actor").order_by("-started_at", "-id")[:limit]


def full_run_requests() -> list[Any]:
    """Full runs asked for from the page or the API that the task worker has not finished yet."""
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(
            task_path="skillcity.supervision.tasks.supervise_full_task", status__in=["READY", "RUNNING"]
        ).order_by("-enqueued_at")[:10]
    )
