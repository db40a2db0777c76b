"""Impossible schedules (SUP-SCHEDULE): one trainee signed into two classes of two providers in two towns
on the same days, the daily sessions overlapping (08:30–12:00 and 09:00–11:30); or one teacher teaching
two classes at two sites whose sessions overlap, on the same days, both held (their trainees sign in).
Near-misses: a trainee's two classes back to back (the second starts the day after the first ends), or
on the same days one in the morning and one from 12:00 (a shared boundary is not an overlap); a teacher
teaching at one site in the morning and at the other in the afternoon."""

from __future__ import annotations

import datetime

from skillcity.registry.models import Organisation, Town
from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import Plant

T = datetime.time
MORNING = (T(8, 30), T(12, 0))
INSIDE = (T(9, 0), T(11, 30))
AFTERNOON = (T(12, 0), T(17, 0))
LATE = (T(14, 0), T(17, 30))


def plant(p: Plant, cases: int, near: int) -> Planted:
    done = Planted()
    towns = p.rng.sample(p.towns, 2)
    first, second = p.organisation(town=towns[0]), p.organisation(town=towns[1])
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        for n_case in range(count):
            if n_case % 4 == 3:  # every fourth: a teacher in two places
                into.append(_teacher(p, first, second, towns, honest))
                continue
            (worker,) = p.workers([p.rng.uniform(20, 50)], on=p.today)
            start = p.day(40, 80)
            back_to_back = honest and n_case % 2 == 0
            a = p.course(first, start=start, days=10, session=MORNING, site=_site(towns[0]))
            b_start = a.end_date + datetime.timedelta(days=1) if back_to_back else start
            b_session = AFTERNOON if honest else INSIDE
            b = p.course(second, start=b_start, days=10, session=b_session, site=_site(towns[1]))
            (ea,) = p.enrol(a, [worker], attend=False)
            (eb,) = p.enrol(b, [worker], attend=False)
            sa = p.attend(ea, p.class_days(a))
            sb = p.attend(eb, p.class_days(b), hour=12 if honest else 8)
            if back_to_back:
                what = "前一班结业次日开始后一班"
            elif honest:
                what = "同期两班，上午班 12:00 下课、下午班 12:00 上课"
            else:
                what = f"{len(sa)} 天同时签到，上课时间重叠"
            into.append(
                Case(
                    keys=(
                        Key("training.enrolment", ea.pk, tuple(("training.attendance", s.pk) for s in sa)),
                        Key("training.enrolment", eb.pk, tuple(("training.attendance", s.pk) for s in sb)),
                    ),
                    note=f"同一学员在{towns[0].name}、{towns[1].name}两个班，{what}",
                )
            )
    return done


def _site(town: Town) -> str:
    return f"{town.name}职业技能实训基地"


def _teacher(p: Plant, first: Organisation, second: Organisation, towns: list[Town], honest: bool) -> Case:
    (teacher,) = p.workers([p.rng.uniform(30, 50)], on=p.today)
    start = p.day(40, 80)
    a = p.course(first, start=start, days=10, session=MORNING, teacher=teacher, site=_site(towns[0]))
    b = p.course(
        second,
        start=start,
        days=10,
        session=LATE if honest else INSIDE,
        teacher=teacher,
        site=_site(towns[1]),
    )
    for klass in (a, b):
        p.enrol(klass, p.workers([p.rng.uniform(20, 50) for _ in range(6)], on=p.today))
    return Case(
        keys=(Key("training.trainingclass", a.pk, ()), Key("training.trainingclass", b.pk, ())),
        note=(
            f"同一教师在{towns[0].name}、{towns[1].name}两地授课，"
            + ("上午、下午各一班" if honest else "两班上课时间重叠")
        ),
    )


register_planter(
    Planter(
        kind="schedule",
        check_id="SUP-SCHEDULE",
        describes="同一学员同一时间在两个镇街的两个培训班签到，或同一教师同一时间在两地授课",
        counts={"city": (40, 20), "demo": (3, 2), "day": (1, 1)},
        plant=plant,
    )
)
