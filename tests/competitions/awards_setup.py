"""Records for the awards tests: one competition of each level the CMP rules look at, with confirmed
results, entries with coaches, camps and trainees (made with the ORM and the factories: the marking
services compute results elsewhere; here the records are what they are)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from skillcity.competitions.models import CampTrainee, ContestProject, Result, TrainingCamp
from tests.factories import (
    CompetitionFactory,
    ContestProjectFactory,
    EntryFactory,
    OrganisationFactory,
    WorkerFactory,
)

D = datetime.date


def project_of(level: str, *, year: int = 2024, external: bool = False, **kw: Any) -> ContestProject:
    competition = CompetitionFactory(
        level=level,
        year=year,
        external=external,
        starts_on=D(year, 9, 1),
        ends_on=D(year, 9, 30),
        **({"organiser": None, "organiser_name": "广东省人力资源和社会保障厅"} if external else {}),
    )
    return ContestProjectFactory(
        competition=competition,
        state=ContestProject.State.CONFIRMED,
        starts_on=D(year, 9, 10),
        ends_on=D(year, 9, 11),
        **kw,
    )


def result_of(
    project: ContestProject,
    award: str,
    *,
    rank: int = 1,
    players: list[Any] | None = None,
    coach: Any = None,
    unit: Any = None,
    prize: str = "0",
) -> Result:
    entry = EntryFactory(
        project=project,
        unit=unit or OrganisationFactory(),
        coach=coach,
        **({"players": players} if players else {}),
    )
    return Result.objects.create(
        project=project,
        entry=entry,
        total=Decimal("90"),
        rank=rank,
        award=award,
        passed=True,
        prize_money=Decimal(prize),
    )


def camp_of(project: ContestProject, *, unit: Any = None, selection_level: str = "", completed: bool = True,
            trainees: list[tuple[Any, int]] = (), user: Any = None) -> TrainingCamp:  # fmt: skip
    camp = TrainingCamp.objects.create(
        project=project,
        unit=unit or OrganisationFactory(),
        selection_level=selection_level,
        starts_on=D(project.competition.year, 5, 1),
        ends_on=D(project.competition.year, 8, 31),
        completed=completed,
        created_by=user or project.competition.created_by,
    )
    for worker, months in trainees:
        CampTrainee.objects.create(camp=camp, worker=worker, months=months)
    return camp


def worker(**kw: Any) -> Any:
    return WorkerFactory(**kw)
