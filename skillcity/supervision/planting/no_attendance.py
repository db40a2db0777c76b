"""Completed without attending (SUP-NO-ATTENDANCE): marked completed and settled with sign-ins on a few
of the class's days. Near-miss: signed in on every day of the class, completed on its last day."""

from __future__ import annotations

from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import UPSKILL, Plant, period_of


def plant(p: Plant, cases: int, near: int) -> Planted:
    done = Planted()
    provider = p.organisation()
    klass = p.course(provider, start=p.day(50, 70), days=20)
    days = p.class_days(klass)
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        workers = p.workers([p.rng.uniform(20, 50) for _ in range(count)], on=p.today)
        enrolments = p.enrol(klass, workers, certified_level=4, attend=False)
        lines = p.settle(
            provider, period_of(klass.end_date), [(e, "TRN-UPSKILL", UPSKILL) for e in enrolments]
        )
        for e, line in zip(enrolments, lines, strict=True):
            attended = days if honest else sorted(p.rng.sample(days, p.rng.randint(1, 4)))
            p.attend(e, attended)
            into.append(
                Case(
                    keys=(Key("training.enrolment", e.pk, (("training.settlementline", line.pk),)),),
                    note=f"已结业并结算，{len(days)} 天的班签到 {len(attended)} 天",
                )
            )
    return done


register_planter(
    Planter(
        kind="no_attendance",
        check_id="SUP-NO-ATTENDANCE",
        describes="20 天的培训班只签到 1–4 天，却已结业并结算补贴",
        counts={"city": (40, 20), "demo": (3, 2), "day": (1, 1)},
        plant=plant,
    )
)
