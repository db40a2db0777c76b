"""Assessment anomalies (SUP-ASSESSMENT): a session where all 25 candidates pass with scores bunched at
60–61, just over the pass mark. Near-miss: a session of 25 with 21 passing and scores spread 50–95."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from skillcity.registry.models import Organisation, OrganisationCategory
from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import Plant

CANDIDATES = 25


def evaluator(p: Plant, organisation: Organisation | None = None) -> Any:
    from skillcity.certification.models import Evaluator, EvaluatorKind

    organisation = organisation or p.organisation(OrganisationCategory.TRAINING_INSTITUTION)
    kind = (
        EvaluatorKind.ENTERPRISE
        if organisation.category == OrganisationCategory.ENTERPRISE
        else EvaluatorKind.SOCIAL_ORGANISATION
    )
    return Evaluator.objects.create(
        organisation=organisation,
        kind=kind,
        state=Evaluator.State.ACTIVE,
        filed_at=p.at(datetime.date(2020, 3, 1)),
        organisation_code=f"{p.rng.randrange(10000):04d}",
        site_serial=f"{p.rng.randrange(1000000):06d}",
    )


def session(p: Plant, ev: Any, *, day: datetime.date, level: int, occupation: Any = None) -> Any:
    from skillcity.certification.models import Session

    return Session.objects.create(
        evaluator=ev,
        occupation=occupation or p.occupation(),
        level=level,
        kind=Session.Kind.GRADING,
        date=day,
        site=f"{ev.organisation.town.name}考核站",
        state=Session.State.CERTIFIED,
    )


def plant(p: Plant, cases: int, near: int) -> Planted:
    """The check compares a session with its peers (sessions of the same occupation and level), so the
    cases go in groups of `PER_GROUP` to an occupation of their own, each beside `PEERS` honest sessions
    of other evaluators (the near-misses among them): a city's peers, as there would be."""
    done = Planted()
    fraud = evaluator(p)
    honest_evaluators = [evaluator(p) for _ in range(3)]
    groups = max(1, -(-cases // PER_GROUP), -(-near // PEERS))
    occupations = p.rng.sample(p.occupations, groups)
    for g, occupation in enumerate(occupations):
        for _ in range(g * PER_GROUP, min(cases, (g + 1) * PER_GROUP)):
            s = _session(p, fraud, occupation, honest=False)
            done.cases.append(Case(keys=(Key("certification.session", s.pk),), note=_note(s, honest=False)))
        mine = range(g, near, groups)  # the near-misses of this group, the rest honest peers
        for k in range(PEERS):
            s = _session(p, honest_evaluators[k % len(honest_evaluators)], occupation, honest=True)
            if k < len(mine):
                done.near_miss.append(
                    Case(keys=(Key("certification.session", s.pk),), note=_note(s, honest=True))
                )
    return done


PER_GROUP = 2  # cases in one occupation: a fifth of its sessions at most
PEERS = 8  # honest sessions beside them (the check wants 5 peers at least; its robust z needs most of them honest)


def _session(p: Plant, ev: Any, occupation: Any, *, honest: bool) -> Any:
    from skillcity.certification.models import Candidate

    s = session(p, ev, day=p.day(20, 120), level=4, occupation=occupation)
    workers = p.workers([p.rng.uniform(20, 50) for _ in range(CANDIDATES)], on=p.today)
    rows = []
    for w in workers:
        low, high = (50.0, 95.0) if honest else (60.0, 61.0)
        theory = Decimal(f"{p.rng.uniform(low, high):.1f}")
        practical = Decimal(f"{p.rng.uniform(max(low, 60.0) if honest else low, high):.1f}")
        overall = ((theory + practical) / 2).quantize(Decimal("0.1"))
        passed = theory >= 60 and practical >= 60
        rows.append(
            Candidate(
                session=s,
                worker=w,
                theory_score=theory,
                practical_score=practical,
                overall_score=overall,
                result=Candidate.Result.PASSED if passed else Candidate.Result.FAILED,
            )
        )
    Candidate.objects.bulk_create(rows)
    s.passing = sum(r.result == Candidate.Result.PASSED for r in rows)
    return s


def _note(s: Any, *, honest: bool) -> str:
    if honest:
        return f"{CANDIDATES} 人中 {s.passing} 人合格，成绩 50–95 分分散"
    return f"{CANDIDATES} 人全部合格，成绩集中在 60–61 分"


register_planter(
    Planter(
        kind="assessment",
        check_id="SUP-ASSESSMENT",
        describes="一场考核 25 人全部合格，成绩集中在及格线之上的 60–61 分",
        counts={"city": (30, 15), "demo": (2, 1), "day": (1, 1)},
        plant=plant,
    )
)
