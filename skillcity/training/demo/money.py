"""The demo's vouchers (issued each year, redeemed at enrolment, expired; valid today) and settlements."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from skillcity.core.periods import HalfYear
from skillcity.training.demo.plan import (
    ACTOR,
    AUTUMN_PROVIDERS,
    CURRENT_VOUCHERS,
    VOUCHERS_PER_YEAR,
    YEARS,
    Plan,
    scale,
)


def vouchers_history(rng: random.Random, plan: Plan) -> int:
    """A batch a year (face value and validity are demo values, TRN-VOUCHER) to 40% of the trainees, every
    town's first trainee and others across the city; half the trainees holding one redeem it at enrolment
    (every town's first trainee does: each town's voucher use shows redemptions).
    The demo worker holds each: 2023's unused (expires), 2024's and 2025's redeemed at their classes."""
    from skillcity.registry.models import Worker
    from skillcity.training import services
    from skillcity.training.models import Enrolment, Voucher

    all_ids = list(Worker.objects.values_list("id", flat=True))
    target = max(10, round(VOUCHERS_PER_YEAR * scale()))
    redeemed = 0
    for year in YEARS:
        trainees = plan.trainees[year]
        firsts = plan.town_firsts[year]
        holders = {w for w, _c in trainees if w in firsts or rng.random() < 0.4}
        redeemers = {w for w in holders if w in firsts or rng.random() < 0.5}
        others = rng.sample(all_ids, min(len(all_ids), max(0, target - len(holders))))
        ids = holders | set(others)
        if plan.demo_worker is not None:
            ids.add(plan.demo_worker.pk)
        batch = services.voucher_batch_issue(
            name=f"{year}年职业培训券",
            face_value=Decimal("800"),
            valid_from=datetime.date(year, 1, 1),
            valid_to=datetime.date(year, 12, 31),
            workers=Worker.objects.filter(id__in=ids),
            actor=ACTOR,
        )
        codes = dict(Voucher.objects.filter(batch=batch).values_list("worker_id", "code"))
        enrolments = {
            (e.worker_id, e.training_class_id): e
            for e in Enrolment.objects.filter(training_class__project__start_date__year=year)
        }
        uses = [(w, c) for w, c in trainees if w in redeemers]
        demo = plan.worker_enrolments.get(str(year))
        if demo is not None:
            uses.append((demo.worker_id, demo.training_class))
        for worker_id, klass in uses:
            enrolment = enrolments[(worker_id, klass.pk)]
            services.voucher_redeem_receipt(
                code=codes[worker_id],
                idempotency_key=f"demo-{year}-{enrolment.pk}",
                redeemer=services.Redeemer.acting(klass.project.provider, ACTOR),
                enrolment=enrolment,
                today=enrolment.enrolled_on,
            )
            redeemed += 1
    return redeemed


def vouchers_current(rng: random.Random, plan: Plan) -> int:
    """Vouchers valid today: a batch issued in December 2025 to part of the city, valid for half a year
    from today, and a small reissue that runs out in 12 days (the demo worker holds one of each)."""
    from skillcity.registry.models import Worker
    from skillcity.training import services

    issued_on = min(datetime.date(2025, 12, 1), plan.today)
    all_ids = list(Worker.objects.values_list("id", flat=True))
    sample = set(rng.sample(all_ids, min(len(all_ids), max(10, round(CURRENT_VOUCHERS * scale())))))
    few = set(rng.sample(all_ids, min(len(all_ids), 30)))
    if plan.demo_worker is not None:
        sample.add(plan.demo_worker.pk)
        few.add(plan.demo_worker.pk)
    count = 0
    for name, ids, days in (
        ("2025年12月职业培训券", sample, 200),
        ("2025年12月职业培训券（补发）", few, 12),
    ):
        batch = services.voucher_batch_issue(
            name=name,
            face_value=Decimal("800"),
            valid_from=issued_on,
            valid_to=plan.today + datetime.timedelta(days=days),
            workers=Worker.objects.filter(id__in=ids),
            actor=ACTOR,
        )
        count += batch.issued_count
    return count


def settlements(plan: Plan) -> int:
    """2023H1 and 2024H1 paid; 2025H1 paid for half the providers, approved and awaiting payment for the
    other half; 2025H2 (the autumn classes) calculated and waiting for the bureau's approval."""
    from skillcity.training import services

    officer = _finance_officer()
    waiting = 0
    for period, providers in (
        (HalfYear(2023, 1), plan.providers),
        (HalfYear(2024, 1), plan.providers),
        (HalfYear(2025, 1), plan.providers),
        (HalfYear(2025, 2), plan.providers[:AUTUMN_PROVIDERS]),
    ):
        for index, provider in enumerate(providers):
            settlement = services.settlement_run(provider=provider, period=period, actor=ACTOR)
            if not settlement.line_count:
                continue
            if period == HalfYear(2025, 2):
                waiting += 1
                continue
            # Approved and paid through grants by the bureau, booked against each rule's fund for the year.
            settlement = services.settlement_approve(settlement=settlement, actor=officer)
            if period == HalfYear(2025, 1) and index % 2:
                continue
            services.settlement_pay(
                settlement=settlement,
                idempotency_key=f"demo-settlement-{settlement.pk}",
                actor=officer,
                treasury_reference=f"演示-{period.year}-{settlement.pk:05d}",
            )
    return waiting


def _finance_officer() -> Any:
    """The demo bureau account, which also pays (the finance group)."""
    from django.contrib.auth.models import Group

    from skillcity.accounts.models import User
    from skillcity.grants.flows import FINANCE_GROUP

    officer = User.objects.get(username="bureau")
    officer.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    return officer
