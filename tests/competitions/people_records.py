"""Records for the people part's tests: competitions, entries and results made directly (the marking part's
services are tested in its own files; here the pages only read what is recorded)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from skillcity.competitions.models import ContestProject, Result, Title
from skillcity.registry.models import SkillRecord
from tests.factories import CompetitionFactory, ContestProjectFactory, EntryFactory, OrganisationFactory


def result_for(
    project: ContestProject,
    workers: list[Any],
    *,
    rank: int,
    total: str,
    award: str = "",
    unit: Any = None,
    team_name: str = "",
) -> Result:
    entry = EntryFactory(
        project=project, players=workers, unit=unit or OrganisationFactory(), team_name=team_name
    )
    return Result.objects.create(
        project=project,
        entry=entry,
        rank=rank,
        total=Decimal(total),
        award=award,
        passed=Decimal(total) >= 60,
    )


def confirmed_project(**kwargs: Any) -> ContestProject:
    return ContestProjectFactory(
        state=ContestProject.State.CONFIRMED,
        confirmed_at=datetime.datetime(2024, 9, 12, tzinfo=datetime.UTC),
        **kwargs,
    )


def title_for(worker: Any, *, on: datetime.date, number: str, status: str = "valid") -> Title:
    extra: dict[str, Any] = {}
    if status == "revoked":
        extra = {"revoked_on": on, "revoked_reason": "弄虚作假"}
    return Title.objects.create(
        number=number,
        worker=worker,
        honour=SkillRecord.Honour.DONGGUAN_TECHNICAL_EXPERT,
        holder_name=worker.name,
        awarded_on=on,
        document="东人社发〔2024〕1号",
        status=status,
        **extra,
    )


__all__ = ["CompetitionFactory", "confirmed_project", "result_for", "title_for"]
