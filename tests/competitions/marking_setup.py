"""A marked project for the marking tests: a city competition, a lathe project with a scheme of one
measurement aspect (max 20) and one judgement aspect (max 9), entries from two units, three judges
(the first the chief), each judge with a worker account."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from skillcity.accounts.models import Role
from skillcity.competitions.models import (
    PROVINCIAL_OR_HIGHER,
    Aspect,
    Competition,
    ContestProject,
    Entry,
    Judge,
)
from skillcity.competitions.services import contests
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory, WorkerFactory

SCHEME = [
    {
        "code": "A",
        "name": "零件加工",
        "aspects": [
            {"code": "A1", "description": "尺寸精度", "kind": "measurement", "max_mark": "20"},
            {"code": "A2", "description": "表面质量", "kind": "judgement", "max_mark": "9"},
        ],
    }
]


@dataclass
class Marked:
    competition: Competition
    project: ContestProject
    units: list[Any]
    entries: list[Entry]
    judges: list[Judge]
    judge_users: list[Any]
    organiser_user: Any
    measurement: Aspect
    judgement: Aspect
    extra: dict[str, Any] = field(default_factory=dict)


def make_competition(actor: Any, **overrides: Any) -> Competition:
    values: dict[str, Any] = {
        "name": "2024年东莞市职业技能大赛",
        "level": "city_class1",
        "year": 2024,
        "starts_on": datetime.date(2024, 9, 1),
        "ends_on": datetime.date(2024, 9, 30),
        "organiser": getattr(actor, "organisation", None) or OrganisationFactory(),
    }
    values.update(overrides)
    return contests.competition_create(actor=actor, **values)


def make_marked(bureau: Any, *, entries: int = 2, **competition: Any) -> Marked:
    organiser = OrganisationFactory(name="东莞市技师学院")
    organiser_user = UserFactory(role=Role.ORGANISATION_USER, organisation=organiser)
    # Provincial-or-higher and external competitions are recorded by the bureau; the organiser runs them.
    bureau_only = competition.get("external") or competition.get("level") in PROVINCIAL_OR_HIGHER
    comp = make_competition(bureau if bureau_only else organiser_user, organiser=organiser, **competition)
    project = contests.project_create(
        competition=comp,
        actor=organiser_user,
        name="数控车",
        occupation=OccupationFactory(),
        level=3,
        starts_on=datetime.date(2024, 9, 10),
        ends_on=datetime.date(2024, 9, 11),
        venue="东莞市技师学院",
    )
    contests.scheme_set(project=project, actor=organiser_user, sections=SCHEME)
    units, made = [], []
    for n in range(entries):
        unit = OrganisationFactory(name=f"东莞市参赛单位{n}有限公司")
        unit_user = UserFactory(role=Role.ORGANISATION_USER, organisation=unit)
        player = WorkerFactory(employer=unit, name=f"选手{n}")
        made.append(contests.entry_register(project=project, actor=unit_user, unit=unit, workers=[player]))
        units.append(unit)
    judge_unit = OrganisationFactory(name="东莞市裁判单位")
    judges, users = [], []
    for n in range(3):
        worker = WorkerFactory(employer=judge_unit, name=f"裁判{n}")
        judges.append(
            contests.judge_assign(project=project, actor=organiser_user, worker=worker, is_chief=n == 0)
        )
        users.append(UserFactory(role=Role.WORKER, worker=worker))
    measurement = Aspect.objects.get(section__project=project, code="A1")
    judgement = Aspect.objects.get(section__project=project, code="A2")
    return Marked(comp, project, units, made, judges, users, organiser_user, measurement, judgement)


def mark_entry(m: Marked, entry: Entry, measured: str | Decimal, judged: tuple[int, int, int]) -> None:
    """The first judge measures; each of the three judges scores the judgement aspect; all submitted."""
    from skillcity.competitions.services.marking import marks_save

    for n, (judge, user) in enumerate(zip(m.judges, m.judge_users, strict=True)):
        scores: dict[int, Any] = {m.judgement.pk: judged[n]}
        if n == 0:
            scores[m.measurement.pk] = measured
        marks_save(judge=judge, entry=entry, actor=user, scores=scores, submit=True)
