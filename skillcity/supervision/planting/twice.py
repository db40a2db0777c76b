"""Subsidies twice (SUP-TWICE): TRN-UPSKILL paid twice for one occupation and level, or a fourth
skill-upgrade subsidy in one calendar year (at most 3). Near-misses: a higher level after a lower one in
the same occupation (allowed), and exactly 3 in one year."""

from __future__ import annotations

import datetime

from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import UPSKILL, Plant, period_of


def _paid(p: Plant, worker, provider, start: datetime.date, occupation, level: int):  # type: ignore[no-untyped-def]
    klass = p.course(provider, start=start, occupation=occupation, level=level)
    (enrolment,) = p.enrol(klass, [worker], certified_level=level)
    (line,) = p.settle(provider, period_of(klass.end_date), [(enrolment, "TRN-UPSKILL", UPSKILL)])
    return enrolment, line


def plant(p: Plant, cases: int, near: int) -> Planted:
    done = Planted()
    providers = [p.organisation() for _ in range(2)]
    year = p.today.year
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        for i in range(count):
            (worker,) = p.workers([p.rng.uniform(25, 45)], on=p.today)
            if i % 2 == 0:  # the same occupation, twice: the same level (case) or a higher one (near-miss)
                occupation = p.occupation()
                first = p.day(250, 300)
                _paid(p, worker, providers[0], first, occupation, 4)
                level = 3 if honest else 4
                enrolment, line = _paid(
                    p, worker, providers[1], first + datetime.timedelta(days=120), occupation, level
                )
                note = (
                    f"同一职业先后取得 4 级、{level} 级证书，两次领取技能提升补贴"
                    if honest
                    else "同一职业同一等级（4 级）两次领取技能提升补贴"
                )
            else:  # several in one calendar year: 4 (case) or 3 (near-miss)
                times = 3 if honest else 4
                occupations = p.rng.sample(p.occupations, times)
                for n, occupation in enumerate(occupations):
                    start = datetime.date(year, 1 + n * 2, 5)
                    enrolment, line = _paid(p, worker, providers[n % 2], start, occupation, 4)
                note = f"{year} 年内领取技能提升补贴 {times} 次（上限 3 次）"
            into.append(
                Case(
                    keys=(Key("training.enrolment", enrolment.pk, (("training.settlementline", line.pk),)),),
                    note=note,
                )
            )
    return done


register_planter(
    Planter(
        kind="twice",
        check_id="SUP-TWICE",
        describes="同一职业同一等级两次领取技能提升补贴，或一年内第 4 次领取",
        counts={"city": (40, 20), "demo": (4, 2), "day": (2, 2)},
        plant=plant,
    )
)
