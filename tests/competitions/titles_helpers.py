"""Shared set-up for the titles tests: a city competition with one confirmed project and its results
(made directly from factories: the marking part computes them in production)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from skillcity.certification import services as certification
from skillcity.certification.models import Evaluator, EvaluatorKind
from skillcity.competitions.models import Competition, ContestProject, Result
from skillcity.registry.models import Occupation, Organisation, Worker
from tests.factories import (
    CompetitionFactory,
    ContestProjectFactory,
    EntryFactory,
    OccupationFactory,
    OrganisationFactory,
    TownFactory,
    WorkerFactory,
)

AWARDS = ["gold", "silver", "silver", "bronze", "bronze", "bronze", "excellence", "excellence"]


def lathe() -> Occupation:
    return OccupationFactory(code="6-18-01-01", name="车工")


def confirmed_project(
    *,
    totals: list[str],
    level: str = "city_class1",
    title_quota: int | None = None,
    promotion_rule: dict[str, Any] | None = None,
    organiser: Organisation | None = None,
    teams: dict[int, list[Worker]] | None = None,
    pass_mark: str = "60",
) -> ContestProject:
    """A confirmed project whose results are ranked by `totals` (given best first); an award to every
    entry at or above the pass mark, in the default places. `teams` maps a rank to its players."""
    competition = CompetitionFactory(
        level=level,
        title_quota=title_quota,
        promotion_rule=promotion_rule or {},
        pass_mark=Decimal(pass_mark),
        **({"organiser": organiser} if organiser else {}),
        **({"town": TownFactory()} if level == "town" else {}),
    )
    project = ContestProjectFactory(
        competition=competition,
        occupation=lathe(),
        state=ContestProject.State.CONFIRMED,
        confirmed_at=datetime.datetime(2024, 9, 12, tzinfo=datetime.UTC),
    )
    for rank, total in enumerate(totals, start=1):
        players = (teams or {}).get(rank)
        entry = EntryFactory(project=project, **({"players": players} if players else {}))
        passed = Decimal(total) >= competition.pass_mark
        Result.objects.create(
            project=project,
            entry=entry,
            total=Decimal(total),
            rank=rank,
            award=AWARDS[rank - 1] if passed and rank <= len(AWARDS) else "",
            passed=passed,
        )
    return project


def players_of(project: ContestProject) -> list[Worker]:
    return [p.worker for r in project.results.order_by("rank") for p in r.entry.players.all()]


def active_evaluator(organisation: Organisation, occupation: Occupation, actor: Any) -> Evaluator:
    filed = certification.evaluator_file(
        organisation=organisation,
        kind=EvaluatorKind.SOCIAL_ORGANISATION,
        scope=[(occupation, 1, 5)],
        actor=actor,
    )
    return certification.evaluator_review(evaluator=filed, decision="approve", note="", actor=actor)


def competition_of(project: ContestProject) -> Competition:
    return project.competition


def a_worker(**kwargs: Any) -> Worker:
    return WorkerFactory(**kwargs)


def an_organisation(**kwargs: Any) -> Organisation:
    return OrganisationFactory(**kwargs)
