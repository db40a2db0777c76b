"""Ghost trainees (SUP-GHOST): a trainee outside working age (16–60 men, 16–55 women) on the enrolment
date, enrolled, completed and settled like anyone else."""

from __future__ import annotations

import datetime

from skillcity.registry.models import Worker
from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import UPSKILL, Plant, has_field, period_of

# (gender, age on the enrolment date): the cases, then the near-misses (just inside working age).
CASES = [("M", 63.2), ("F", 58.5), ("M", 61.0), ("F", 56.1), ("M", 15.5)]
NEAR = [("M", 59.9), ("F", 54.9), ("M", 16.1)]


def plant(p: Plant, cases: int, near: int) -> Planted:
    done = Planted()
    if not has_field(Worker, "status"):
        done.skipped.append("retired/student/deceased: registry.Worker has no status field yet")
    provider = p.organisation()
    start = p.day(60, 90)
    klass = p.course(provider, start=start)
    enrolled_on = klass.start_date - datetime.timedelta(days=3)
    honest = p.workers([p.rng.uniform(22, 45) for _ in range(8)], on=enrolled_on)
    p.enrol(klass, honest, certified_level=4)
    for count, table, into in ((cases, CASES, done.cases), (near, NEAR, done.near_miss)):
        picks = [table[i % len(table)] for i in range(count)]
        workers = p.workers([a for _, a in picks], on=enrolled_on, genders=[g for g, _ in picks])
        enrolments = p.enrol(klass, workers, certified_level=4)
        lines = p.settle(
            provider, period_of(klass.end_date), [(e, "TRN-UPSKILL", UPSKILL) for e in enrolments]
        )
        for (gender, age), e, line in zip(picks, enrolments, lines, strict=True):
            into.append(
                Case(
                    keys=(Key("training.enrolment", e.pk, (("training.settlementline", line.pk),)),),
                    note=f"{'男' if gender == 'M' else '女'}，报名时 {age:.1f} 岁",
                )
            )
    return done


register_planter(
    Planter(
        kind="ghost",
        check_id="SUP-GHOST",
        describes="报名时超出劳动年龄（男 16–60 岁、女 16–55 岁）的学员，已结业并结算技能提升补贴",
        counts={"city": (40, 20), "demo": (3, 2), "day": (1, 1)},
        plant=plant,
    )
)
