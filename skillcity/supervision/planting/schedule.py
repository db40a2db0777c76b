"""Impossible schedules (SUP-SCHEDULE): one trainee signed into two classes of two providers in two towns
on the same days. Near-miss: two classes back to back (one ends the day before the other starts).
Not planted: one teacher in two places (classes have no teacher or times yet)."""

from __future__ import annotations

import datetime

from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import Plant, has_field


def plant(p: Plant, cases: int, near: int) -> Planted:
    from skillcity.training.models import TrainingClass

    done = Planted()
    if not has_field(TrainingClass, "teacher"):
        done.skipped.append(
            "one teacher in two places: training.TrainingClass has no teacher or session times yet"
        )
    towns = p.rng.sample(p.towns, 2)
    first, second = p.organisation(town=towns[0]), p.organisation(town=towns[1])
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        for _ in range(count):
            (worker,) = p.workers([p.rng.uniform(20, 50)], on=p.today)
            start = p.day(40, 80)
            a = p.course(first, start=start, days=10)
            b_start = a.end_date + datetime.timedelta(days=1) if honest else start
            b = p.course(second, start=b_start, days=10)
            (ea,) = p.enrol(a, [worker], attend=False)
            (eb,) = p.enrol(b, [worker], attend=False)
            sa = p.attend(ea, p.class_days(a))
            sb = p.attend(eb, p.class_days(b))
            into.append(
                Case(
                    keys=(
                        Key("training.enrolment", ea.pk, tuple(("training.attendance", s.pk) for s in sa)),
                        Key("training.enrolment", eb.pk, tuple(("training.attendance", s.pk) for s in sb)),
                    ),
                    note=(
                        f"同一学员在{towns[0].name}、{towns[1].name}两个班，"
                        + ("前一班结业次日开始后一班" if honest else f"{len(sa)} 天同时签到")
                    ),
                )
            )
    return done


register_planter(
    Planter(
        kind="schedule",
        check_id="SUP-SCHEDULE",
        describes="同一学员同一时间在两个镇街的两个培训班签到",
        counts={"city": (40, 20), "demo": (3, 2), "day": (1, 1)},
        plant=plant,
    )
)
