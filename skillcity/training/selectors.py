"""Reads of the training app, each through `visible_to`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from skillcity.core.access import visible_to
from skillcity.training.models import Enrolment, Settlement, SettlementLine, TrainingProject, Voucher


def vouchers_for(user: Any) -> QuerySet[Voucher]:
    return visible_to(user, Voucher.objects.select_related("batch", "worker")).order_by("-valid_to", "id")


def enrolments_for(user: Any) -> QuerySet[Enrolment]:
    return visible_to(user, Enrolment.objects.select_related("training_class__project", "worker", "provider"))


def projects_for(user: Any) -> QuerySet[TrainingProject]:
    return visible_to(user, TrainingProject.objects.select_related("occupation", "provider", "town"))


def settlements_for(user: Any) -> QuerySet[Settlement]:
    return visible_to(user, Settlement.objects.select_related("provider"))


def subsidies_for(user: Any) -> QuerySet[SettlementLine]:
    return visible_to(user, SettlementLine.objects.select_related("settlement", "enrolment"))


def voucher_use_by_town(user: Any) -> list[dict[str, Any]]:
    rows = vouchers_for(user).order_by().values("town__name", "state").annotate(n=Count("id"))
    return [dict(row) for row in rows]
