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
    from skillcity.certification.models import Candidate

    done = Planted()
    ev = evaluator(p)
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        for _ in range(count):
            s = session(p, ev, day=p.day(20, 120), level=4)
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
            passing = sum(r.result == Candidate.Result.PASSED for r in rows)
            into.append(
                Case(
                    keys=(Key("certification.session", s.pk),),
                    note=(
                        f"{CANDIDATES} 人中 {passing} 人合格，成绩 50–95 分分散"
                        if honest
                        else f"{CANDIDATES} 人全部合格，成绩集中在 60–61 分"
                    ),
                )
            )
    return done


register_planter(
    Planter(
        kind="assessment",
        check_id="SUP-ASSESSMENT",
        describes="一场考核 25 人全部合格，成绩集中在及格线之上的 60–61 分",
        counts={"city": (30, 15), "demo": (2, 1), "day": (1, 1)},
        plant=plant,
    )
)
