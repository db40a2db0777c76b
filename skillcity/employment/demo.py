"""Employment records for the demo city (issue 19 §7): monthly social-insurance contributions.

- The 2024 graduates of the private technical schools: most find work in Dongguan within months of
  graduating (some start before, some after the year, some leave early, some go to Shenzhen, some have
  no record), so a school's EDU-GRAD-RETENTION cohort shows every outcome.
- The other graduates of the 8 technical schools (2024 and 2025, about 9,000 a year): about 97% insured
  within a few months of graduating, some changing jobs, so T-TECH-SCHOOLS' employment rate per school
  and year is computed from records near its 98% target.
- A share of the city's other workers: employed from 2024, a job change for about one in five, a gap
  for some.
- The simulated social-insurance system holds last month's records for part of them, which the
  adapter's pull (daily, or 立即拉取 on the page) brings into the ledger.

The rows are written in bulk as one import batch (source 表格导入, file 社保缴费演示数据.xlsx), through the same model
the import writes; idempotent: nothing is done when the ledger has rows.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from skillcity.employment.models import Contribution, ContributionBatch, SimulatedInsuranceRecord, Source
from skillcity.employment.selectors import month_index, month_of

DONGGUAN, SHENZHEN = "441900", "440300"
OTHER_WORKERS = 1500
LAST_MONTH = datetime.date(2025, 12, 1)  # the ledger's last month; the simulated system holds the next


def employment_demo(seed: int, stdout: Any) -> None:
    from skillcity.registry.models import Organisation, OrganisationCategory, Worker
    from skillcity.schools.models import Graduation

    if Contribution.objects.exists():
        stdout.write("  employment: already present, skipped\n")
        return
    rng = random.Random(seed * 1_000_003 + 19)
    employers = list(
        Organisation.objects.filter(category=OrganisationCategory.ENTERPRISE).order_by("id")[:400]
    )
    if len(employers) < 10:
        stdout.write("  employment: too few enterprises, skipped\n")
        return
    outside = ("91440300MA5DEMO001", "深圳市南山演示电子有限公司")  # an employer outside Dongguan
    rows: list[tuple[int, tuple[str, str], int, int, str]] = []  # worker, employer, first, count, region
    last = month_index(LAST_MONTH)

    def employer() -> tuple[str, str]:
        e = rng.choice(employers)
        return e.uscc, e.name

    graduates = list(
        Graduation.objects.filter(graduated_on__year=2024, school__ownership="private")
        .order_by("id")
        .values_list("worker_id", "graduated_on")
    )
    for worker_id, graduated in graduates:
        start = month_index(graduated)
        roll = rng.random()
        if roll < 0.08:
            continue  # no record
        if roll < 0.13:
            rows.append((worker_id, employer(), start - 30, 28, DONGGUAN))  # a job held for years before
        elif roll < 0.18:
            rows.append((worker_id, outside, start + rng.randint(1, 4), rng.randint(6, 12), SHENZHEN))
        elif roll < 0.26:
            rows.append((worker_id, employer(), start + rng.randint(1, 6), rng.randint(2, 5), DONGGUAN))
        elif roll < 0.31:
            rows.append((worker_id, employer(), start + rng.randint(13, 15), rng.randint(6, 8), DONGGUAN))
        else:
            first = start + rng.randint(0, 9)
            rows.append((worker_id, employer(), first, last - first + 1, DONGGUAN))
    others_graduated = list(
        Graduation.objects.exclude(graduated_on__year=2024, school__ownership="private")
        .filter(graduated_on__year__in=(2024, 2025))
        .order_by("id")
        .values_list("worker_id", "graduated_on")
    )
    for worker_id, graduated in others_graduated:
        start = month_index(graduated)
        roll = rng.random()
        if roll < 0.03:
            continue  # no record: not (yet) insured
        first = start + (rng.randint(-1, 0) if roll < 0.05 else rng.randint(0, 3))
        if rng.random() < 0.15 and last - first > 6:  # a job change
            change = first + rng.randint(3, max(3, last - first - 2))
            rows.append((worker_id, employer(), first, change - first, DONGGUAN))
            first = change
        rows.append((worker_id, employer(), first, last - first + 1, DONGGUAN))
    graduates += others_graduated
    graduate_ids = {w for w, _g in graduates}
    others = [
        w
        for w in Worker.objects.order_by("id").values_list("id", flat=True)[
            : OTHER_WORKERS + len(graduate_ids)
        ]
        if w not in graduate_ids
    ][:OTHER_WORKERS]
    for worker_id in others:
        first = month_index(datetime.date(2024, 1, 1)) + rng.randint(0, 6)
        if rng.random() < 0.2:  # a job change, sometimes with a month or two between
            change = first + rng.randint(4, 16)
            rows.append((worker_id, employer(), first, change - first, DONGGUAN))
            first = change + (rng.randint(1, 2) if rng.random() < 0.4 else 0)
        rows.append((worker_id, employer(), first, last - first + 1, DONGGUAN))
    workers = dict(Worker.objects.filter(pk__in={r[0] for r in rows}).values_list("pk", "id_number"))
    names = dict(Worker.objects.filter(pk__in={r[0] for r in rows}).values_list("pk", "name"))
    by_uscc = dict(Organisation.objects.filter(uscc__in={r[1][0] for r in rows}).values_list("uscc", "pk"))
    with transaction.atomic():
        batch = ContributionBatch.objects.create(source=Source.IMPORT, file_name="社保缴费演示数据.xlsx")
        made = [
            Contribution(
                worker_id=worker_id,
                employer_uscc=uscc,
                employer_name=name,
                employer_id=by_uscc.get(uscc),
                month=month_of(index),
                region=region,
                base=Decimal(4500 + 100 * (worker_id % 30)),
                batch=batch,
            )
            for worker_id, (uscc, name), first, count, region in rows
            for index in range(first, min(first + count, last + 1))
        ]
        Contribution.objects.bulk_create(made, batch_size=5000)
        ContributionBatch.objects.filter(pk=batch.pk).update(rows=len(made))
        # Next month, waiting in the simulated social-insurance system for the adapter's pull.
        ongoing = [r for r in rows if r[2] + r[3] - 1 >= last and r[4] == DONGGUAN][:300]
        SimulatedInsuranceRecord.objects.bulk_create(
            SimulatedInsuranceRecord(
                id_number=workers[worker_id],
                name=names[worker_id],
                uscc=uscc,
                employer_name=name,
                month=f"{month_of(last + 1):%Y-%m}",
                region=region,
                base=str(4500 + 100 * (worker_id % 30)),
            )
            for worker_id, (uscc, name), _first, _count, region in ongoing
        )
    stdout.write(
        f"  employment: {len(made):,} monthly contributions for {len({r[0] for r in rows}):,} workers "
        f"({len(graduates):,} technical-school graduates of 2024 and 2025), {len(ongoing)} waiting for the adapter\n"
    )
