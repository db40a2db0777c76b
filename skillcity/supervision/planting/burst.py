"""Sign-in bursts (SUP-BURST): in one class on one day, 12 trainees sign in within 40 seconds (from one
device, where sign-ins record it). Near-miss: 12 sign-ins one a minute, as people arrive."""

from __future__ import annotations

import datetime

from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import Plant, has_field

SIGNED = 12
WITHIN = 40  # seconds


def plant(p: Plant, cases: int, near: int) -> Planted:
    from skillcity.training.models import Attendance

    done = Planted()
    device = has_field(Attendance, "device")
    if not device:
        done.skipped.append("one device / one address: training.Attendance records no device or address yet")
    provider = p.organisation()
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        for _ in range(count):
            klass = p.course(provider, start=p.day(20, 60), days=10)
            workers = p.workers([p.rng.uniform(20, 50) for _ in range(20)], on=p.today)
            enrolments = p.enrol(klass, workers, attend=False)
            burst_day = klass.start_date + datetime.timedelta(days=p.rng.randint(0, 9))
            rows = []
            for e in enrolments:
                rows += p.attend(e, p.class_days(klass))
            burst = [r for r in rows if r.day == burst_day][:SIGNED]
            step = 60 if honest else WITHIN // SIGNED
            for n, r in enumerate(burst):
                r.signed_at = p.at(burst_day, 8, 1200 + n * step)
                if device:
                    r.device = f"android-{p.tag:06x}"
            Attendance.objects.bulk_update(burst, ["signed_at", *(["device"] if device else [])])
            into.append(
                Case(
                    keys=(
                        Key(
                            "training.trainingclass",
                            klass.pk,
                            tuple(("training.attendance", r.pk) for r in burst),
                        ),
                    ),
                    note=f"{burst_day} {len(burst)} 人在 {(len(burst) - 1) * step} 秒内签到",
                )
            )
    return done


register_planter(
    Planter(
        kind="burst",
        check_id="SUP-BURST",
        describes="一个班一天内 12 人在 40 秒内集中签到",
        counts={"city": (30, 15), "demo": (2, 1), "day": (1, 1)},
        plant=plant,
    )
)
