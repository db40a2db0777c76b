"""Demo step: 2023–2025 training activity for the demo city (idempotent, bulk inserts)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from skillcity.core.periods import HalfYear


def training_demo_step(seed: int, stdout: Any) -> None:
    from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Worker
    from skillcity.training import services
    from skillcity.training.models import Enrolment, TrainingClass, TrainingProject

    if TrainingProject.objects.exists():
        return
    rng = random.Random(seed)
    providers = list(
        Organisation.objects.filter(
            category__in=[OrganisationCategory.TRAINING_INSTITUTION, OrganisationCategory.ENTERPRISE]
        ).order_by("id")[:40]
    )
    occupations = list(Occupation.objects.filter(active=True).order_by("id")[:30])
    worker_ids = list(Worker.objects.values_list("id", "town_id", "employer_id"))
    if not providers or not occupations or not worker_ids:
        return
    with transaction.atomic():
        enrolments: list[Enrolment] = []
        used: set[tuple[int, int]] = set()
        for year in (2023, 2024, 2025):
            for provider in providers:
                occupation = rng.choice(occupations)
                project = TrainingProject.objects.create(
                    provider=provider,
                    name=f"{year}年{occupation.name}培训项目",
                    occupation=occupation,
                    level=rng.choice([3, 4, 5]),
                    per_person_standard=Decimal(rng.choice([1500, 2000, 2500, 3500])),
                    capacity=200,
                    start_date=datetime.date(year, 3, 1),
                    end_date=datetime.date(year, 6, 20),
                    town_id=provider.town_id,
                )
                klass = TrainingClass.objects.create(
                    project=project, name="一班", start_date=project.start_date, end_date=project.end_date
                )
                for worker_id, _town_id, employer_id in rng.sample(worker_ids, min(60, len(worker_ids))):
                    if (klass.pk, worker_id) in used:
                        continue
                    used.add((klass.pk, worker_id))
                    passed = rng.random() < 0.85
                    enrolments.append(
                        Enrolment(
                            training_class=klass,
                            provider_id=provider.pk,
                            worker_id=worker_id,
                            town_id=project.town_id,
                            enrolled_on=project.start_date,
                            status=Enrolment.Status.COMPLETED if passed else Enrolment.Status.FAILED,
                            completed_on=project.end_date,
                            assessment_score=Decimal(rng.randint(50, 98)),
                            certified_level=project.level if passed and rng.random() < 0.6 else None,
                            trainee_is_provider_employee=employer_id == provider.pk,
                        )
                    )
        Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    # Vouchers: one demo batch per year (face value and validity are demo values, TRN-VOUCHER).
    for year in (2023, 2024, 2025):
        sample = [w for w, _t, _e in rng.sample(worker_ids, min(3000, len(worker_ids)))]
        services.voucher_batch_issue(
            name=f"{year}年职业培训券（演示）",
            face_value=Decimal("800"),
            valid_from=datetime.date(year, 1, 1),
            valid_to=datetime.date(year, 12, 31),
            workers=Worker.objects.filter(id__in=sample),
            actor="demo",
        )
    services.vouchers_expire(today=datetime.date(2025, 1, 1), actor="demo")
    bureau = _demo_finance_officer()
    for provider in providers[:10]:
        settlement = services.settlement_run(provider=provider, period=HalfYear(2024, 1), actor="demo")
        if settlement.line_count and bureau is not None:
            # Approved and paid through grants, booked against each training rule's 2024 fund.
            services.settlement_approve(settlement=settlement, actor=bureau)
            services.settlement_pay(
                settlement=settlement,
                idempotency_key=f"demo-{settlement.pk}",
                actor=bureau,
                treasury_reference=f"演示-2024-{settlement.pk:05d}",
            )
    stdout.write(f"  training: {len(enrolments)} enrolments, vouchers issued for 3 years")


def _demo_finance_officer() -> Any:
    """The demo bureau account, in the finance group, with a demo fund for each training rule in 2024."""
    from django.contrib.auth.models import Group

    from skillcity.accounts.models import User
    from skillcity.grants import services as grants
    from skillcity.grants.flows import FINANCE_GROUP

    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        return None
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    for rule in ("TRN-PROJECT", "TRN-UPSKILL", "TRN-PAYEE"):
        if not grants.funds_covering(rule, 2024, 2024).exists():
            grants.fund_create(
                actor=bureau,
                programme=rule,
                year=2024,
                name=f"{grants.rule_title(rule)}（演示值）",
                total=Decimal("50000000"),
            )
    return bureau
