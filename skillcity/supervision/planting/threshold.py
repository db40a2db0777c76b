"""Threshold gaming (SUP-THRESHOLD): an enterprise evaluator issuing 150–210 certificates a year for three
years, then 1,004 in the current year with 104 at 技师 or higher — just over CRT-ENT-VOLUME's 1,000
person-times with 100 at 技师+. Near-miss: the same history, then 996 (just under)."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from skillcity.registry.models import OrganisationCategory, Worker
from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.assessment import evaluator, session
from skillcity.supervision.planting.build import Plant

HISTORY = (150, 180, 210)  # certificates in each of the three years before
JUMP, JUST_UNDER, SENIOR = 1004, 996, 104


def _certify(
    p: Plant, ev: Any, year: int, total: int, senior: int, workers: list[int], serial: list[int]
) -> None:
    from skillcity.certification.models import Candidate, Certificate

    occupation = p.occupation()
    for level, n in ((2, senior), (4, total - senior)):
        if n == 0:
            continue
        s = session(
            p,
            ev,
            day=datetime.date(year, p.rng.randint(3, 10), p.rng.randint(1, 28)),
            level=level,
            occupation=occupation,
        )
        picks = p.rng.sample(workers, n)
        candidates = Candidate.objects.bulk_create(
            Candidate(
                session=s,
                worker_id=w,
                overall_score=78,
                theory_score=76,
                practical_score=80,
                result=Candidate.Result.PASSED,
            )
            for w in picks
        )
        names = dict(Worker.objects.filter(pk__in=picks).values_list("pk", "name"))
        rows = []
        for c in candidates:
            serial[0] += 1
            number = f"S{ev.organisation_code}{year}{p.tag % 1000:03d}{p.round:02d}{serial[0]:07d}"[:22]
            rows.append(
                Certificate(
                    number=number,
                    candidate=c,
                    worker_id=c.worker_id,
                    evaluator=ev,
                    occupation=occupation,
                    level=level,
                    issued_on=s.date,
                    holder_name=names[c.worker_id],
                    qr_token=hashlib.sha256(number.encode()).hexdigest(),
                    key_id="k1",
                )
            )
        Certificate.objects.bulk_create(rows, batch_size=2000)


def plant(p: Plant, cases: int, near: int) -> Planted:
    done = Planted()
    year = p.today.year
    need = JUMP
    # Certificate holders of working age in every year of the history (25–50 today), so no other
    # check (working age) has reason to flag them.
    born = (
        p.today - datetime.timedelta(days=round(50 * 365.25)),
        p.today - datetime.timedelta(days=round(25 * 365.25)),
    )
    pool = list(
        # Of working age and in the labour force: no one retired, studying or dead (registry statuses).
        Worker.objects.filter(birth_date__range=born, statuses__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:20000]
    )
    if len(pool) < need:
        pool += [
            w.pk for w in p.workers([p.rng.uniform(20, 50) for _ in range(need - len(pool))], on=p.today)
        ]
    serial = [0]
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        for _ in range(count):
            ev = evaluator(p, p.organisation(OrganisationCategory.ENTERPRISE))
            for back, total in zip((3, 2, 1), HISTORY, strict=True):
                _certify(p, ev, year - back, total, total // 20, pool, serial)
            total = JUST_UNDER if honest else JUMP
            _certify(p, ev, year, total, SENIOR, pool, serial)
            into.append(
                Case(
                    keys=(
                        Key(
                            "registry.organisation", ev.organisation_id, (("certification.evaluator", ev.pk),)
                        ),
                    ),
                    note=f"前三年每年 {'、'.join(map(str, HISTORY))} 本，{year} 年 {total} 本（技师及以上 {SENIOR} 本）",
                )
            )
    done.skipped.append("certificates bunched in December: not planted yet")
    return done


register_planter(
    Planter(
        kind="threshold",
        check_id="SUP-THRESHOLD",
        describes="企业评价机构往年每年约 200 本证书，当年刚好越过 1,000 人次、技师及以上 100 人次的门槛",
        counts={"city": (3, 2), "demo": (1, 1), "day": (0, 0)},
        plant=plant,
    )
)
