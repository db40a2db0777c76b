"""Sign-in bursts (SUP-BURST): in one class on one day, 12 trainees sign in within 22 seconds (2 s
apart), or 12 trainees sign in one a minute all from one device, or all from one network address. Every
other sign-in comes from the trainee's own phone on its own mobile address. Near-misses: 12 sign-ins one
a minute, each from its own phone; or 4 of them from one address (a family, a shared Wi-Fi)."""

from __future__ import annotations

import datetime

from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import Plant

SIGNED = 12
STEP = 2  # seconds between the burst's sign-ins: 12 within 22 s (the check: 10 within 20 s)
SHARED_NEAR = 4  # a near-miss's sign-ins from one address (the check: 5, and 30% of the class)
VARIANTS = ("seconds", "device", "address")


def plant(p: Plant, cases: int, near: int) -> Planted:
    from skillcity.training.models import Attendance

    done = Planted()
    provider = p.organisation()
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        for n_case in range(count):
            variant = VARIANTS[n_case % len(VARIANTS)]
            klass = p.course(provider, start=p.day(20, 60), days=10)
            workers = p.workers([p.rng.uniform(20, 50) for _ in range(20)], on=p.today)
            enrolments = p.enrol(klass, workers, attend=False)
            burst_day = klass.start_date + datetime.timedelta(days=p.rng.randint(0, 9))
            rows = []
            for e in enrolments:
                phone, address = p.phone()
                signs = p.attend(e, p.class_days(klass))
                for r in signs:
                    r.device_id, r.client_address = phone, address
                rows += signs
            burst = [r for r in rows if r.day == burst_day][:SIGNED]
            step = 60 if honest or variant != "seconds" else STEP
            for n, r in enumerate(burst):
                r.signed_at = p.at(burst_day, 8, 1200 + n * step)
                if not honest and variant == "device":
                    r.device_id = f"android-{p.tag:06x}{n_case:02x}"
                if not honest and variant == "address":
                    r.client_address = f"183.{p.tag % 250}.{n_case % 250}.7"
                if honest and n_case % 2 == 1 and n < SHARED_NEAR:
                    r.client_address = f"183.{p.tag % 250}.{n_case % 250}.9"
            Attendance.objects.bulk_update(
                rows, ["signed_at", "device_id", "client_address"], batch_size=2000
            )
            what = {
                "seconds": f"{len(burst)} 人在 {(len(burst) - 1) * step} 秒内签到",
                "device": f"{len(burst)} 人从同一设备签到",
                "address": f"{len(burst)} 人从同一地址签到",
            }[variant]
            if honest:
                what = f"{len(burst)} 人每分钟一人签到" + (
                    f"，其中 {SHARED_NEAR} 人同一地址" if n_case % 2 == 1 else ""
                )
            into.append(
                Case(
                    keys=(
                        Key(
                            "training.trainingclass",
                            klass.pk,
                            tuple(("training.attendance", r.pk) for r in burst),
                        ),
                    ),
                    note=f"{burst_day} {what}",
                )
            )
    return done


register_planter(
    Planter(
        kind="burst",
        check_id="SUP-BURST",
        describes="一个班一天内 12 人在 22 秒内集中签到，或 12 人从同一设备、同一地址签到",
        counts={"city": (30, 15), "demo": (2, 1), "day": (1, 1)},
        plant=plant,
    )
)
