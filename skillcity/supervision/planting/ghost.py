"""Ghost trainees (SUP-GHOST): a trainee outside working age (16–60 men, 16–55 women), or of working
age but recorded (registry.WorkerStatus) as retired, a full-time student or deceased on the enrolment
date, enrolled, completed and settled like anyone else. Near-misses: just inside working age; a student
whose study ended the day before the enrolment; a retirement recorded from the day after it."""

from __future__ import annotations

import datetime

from skillcity.registry.models import WorkerStatus, WorkerStatusKind
from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import UPSKILL, Plant, period_of

# (gender, age on the enrolment date, status): the cases, then the near-misses. A status is (kind, days
# from the enrolment date to its first day, days to its last day or None when open-ended).
Status = tuple[str, int, int | None]
RETIRED: Status = (WorkerStatusKind.RETIRED, -400, None)
STUDENT: Status = (WorkerStatusKind.FULL_TIME_STUDENT, -700, 300)
DECEASED: Status = (WorkerStatusKind.DECEASED, -30, None)
STATUS_WORDS = {"retired": "已退休", "full_time_student": "全日制在校学生", "deceased": "已死亡"}
CASES: list[tuple[str, float, Status | None]] = [
    ("M", 63.2, None),
    ("F", 50.5, RETIRED),  # retired early (a special-post early retirement), still of working age
    ("F", 58.5, None),
    ("M", 19.4, STUDENT),
    ("M", 61.0, None),
    ("M", 44.0, DECEASED),
    ("F", 56.1, None),
    ("M", 15.5, None),
]
NEAR: list[tuple[str, float, Status | None]] = [
    ("M", 59.9, None),
    ("F", 21.0, (WorkerStatusKind.FULL_TIME_STUDENT, -1100, -1)),  # graduated the day before
    ("F", 54.9, None),
    ("M", 57.0, (WorkerStatusKind.RETIRED, 1, None)),  # retires the day after enrolling
    ("M", 16.1, None),
]


def plant(p: Plant, cases: int, near: int) -> Planted:
    done = Planted()
    provider = p.organisation()
    start = p.day(60, 90)
    klass = p.course(provider, start=start)
    enrolled_on = klass.start_date - datetime.timedelta(days=3)
    honest = p.workers([p.rng.uniform(22, 45) for _ in range(8)], on=enrolled_on)
    p.enrol(klass, honest, certified_level=4)
    for count, table, into in ((cases, CASES, done.cases), (near, NEAR, done.near_miss)):
        picks = [table[i % len(table)] for i in range(count)]
        workers = p.workers([a for _, a, _ in picks], on=enrolled_on, genders=[g for g, _, _ in picks])
        WorkerStatus.objects.bulk_create(
            WorkerStatus(
                worker=w,
                kind=status[0],
                valid_from=enrolled_on + datetime.timedelta(days=status[1]),
                valid_to=None if status[2] is None else enrolled_on + datetime.timedelta(days=status[2]),
                source="养老保险待遇核定" if status[0] == WorkerStatusKind.RETIRED else "",
            )
            for (_, _, status), w in zip(picks, workers, strict=True)
            if status is not None
        )
        enrolments = p.enrol(klass, workers, certified_level=4)
        lines = p.settle(
            provider, period_of(klass.end_date), [(e, "TRN-UPSKILL", UPSKILL) for e in enrolments]
        )
        for (gender, age, status), e, line in zip(picks, enrolments, lines, strict=True):
            into.append(
                Case(
                    keys=(Key("training.enrolment", e.pk, (("training.settlementline", line.pk),)),),
                    note=f"{'男' if gender == 'M' else '女'}，报名时 {age:.1f} 岁" + _said(status),
                )
            )
    return done


def _said(status: Status | None) -> str:
    if status is None:
        return ""
    kind, first, last = status
    until = "" if last is None else f"至报名日{last:+d} 天"
    return f"，{STATUS_WORDS[kind]}（报名日{first:+d} 天起{until}）"


register_planter(
    Planter(
        kind="ghost",
        check_id="SUP-GHOST",
        describes="报名时超出劳动年龄（男 16–60 岁、女 16–55 岁）或已登记为退休、全日制在校学生、死亡的学员，已结业并结算技能提升补贴",
        counts={"city": (40, 20), "demo": (3, 2), "day": (1, 1)},
        plant=plant,
    )
)
