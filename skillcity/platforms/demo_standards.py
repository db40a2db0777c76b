"""Demo data of the training and evaluation standards (issue 17 §8): the 117 standards certified
before the platform (D003, as of 2023), then five a year from 2023 through the platform — each with
its scored panel and its PLT-STANDARD grant in various states — and projects still in progress."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

BASELINE = 117
KINDS = ["training", "evaluation"]
# (year, what happens to it, the grant's state when certified)
PLATFORM = [
    (2023, "certified", "paid"),
    (2023, "certified", "paid"),
    (2023, "certified", "paid"),
    (2023, "certified", "approved"),
    (2023, "certified", "paid"),
    (2024, "certified", "paid"),
    (2024, "certified", "approved"),
    (2024, "certified", "in_notice"),
    (2024, "certified", "reviewed"),
    (2024, "certified", "in_review"),
    (2024, "not_certified", ""),
    (2025, "accepted", ""),
    (2025, "submitted", ""),
    (2025, "returned", ""),
    (2025, "developing", ""),
]


def standards_demo(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.platforms.models.standards import Standard, StandardState
    from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Worker

    if Standard.objects.exists():
        stdout.write("  standards: present, skipped\n")
        return
    bureau = User.objects.filter(username="bureau").first()
    developers = list(
        Organisation.objects.filter(
            category__in=[
                OrganisationCategory.ENTERPRISE,
                OrganisationCategory.INDUSTRY_ASSOCIATION,
                OrganisationCategory.TECHNICAL_SCHOOL,
            ]
        ).order_by("id")[:60]
    )
    occupations = list(Occupation.objects.filter(active=True).order_by("code")[:120])
    if bureau is None or not developers or not occupations:
        stdout.write("  standards: no bureau, developers or occupations, skipped\n")
        return
    rng = random.Random(seed + 1704)
    with transaction.atomic():
        rows = []
        for n in range(BASELINE):
            year = 2016 + n * 7 // BASELINE  # 2016–2022
            occupation = occupations[n % len(occupations)]
            kind = KINDS[n % 2]
            certified_on = datetime.date(year, 1 + n % 12, 10)
            rows.append(
                Standard(
                    developer=developers[n % len(developers)],
                    occupation=occupation,
                    kind=kind,
                    title=f"{occupation.name}职业技能{'培训' if kind == 'training' else '评价'}标准",
                    plan="平台启用前开发认定（演示数据）。",
                    planned_completion=certified_on,
                    requested=Decimal("0"),
                    year=year,
                    state=StandardState.CERTIFIED,
                    certified_on=certified_on,
                    number=f"DGBZ-{year}-{n + 1:03d}",
                    baseline=True,
                    created_by=bureau,
                )
            )
        Standard.objects.bulk_create(rows)
        workers = list(Worker.objects.filter(employer__isnull=False).order_by("id")[:300])
        grants_made: dict[str, int] = {}
        for i, (year, end, grant_state) in enumerate(PLATFORM):
            state = _one(rng, bureau, developers, occupations, workers, year, end, grant_state, i)
            grants_made[state] = grants_made.get(state, 0) + 1
    stdout.write(
        f"  standards: {BASELINE} certified before the platform, {len(PLATFORM)} on it {grants_made}\n"
    )


def _one(
    rng: random.Random,
    bureau: Any,
    developers: list[Any],
    occupations: list[Any],
    workers: list[Any],
    year: int,
    end: str,
    grant_state: str,
    i: int,
) -> str:
    from skillcity.platforms.demo_bases import walk_grant
    from skillcity.platforms.services import standards as services

    developer = rng.choice(developers)
    occupation = occupations[(i * 7 + 3) % len(occupations)]
    day = datetime.date(year, 3, 1) + datetime.timedelta(days=11 * i)
    kind = KINDS[i % 2]
    standard = services.standard_file(
        actor=bureau,
        developer=developer,
        occupation=occupation,
        kind=kind,
        title=f"东莞市{occupation.name}{'培训' if kind == 'training' else '评价'}标准（{year}）",
        plan="调研企业岗位 → 编写标准草案 → 征求意见 → 试点培训评价 → 提交验收（演示数据）。",
        planned_completion=day + datetime.timedelta(days=150),
        requested=Decimal(rng.choice(["120000", "150000", "200000", "250000"])),
        day=day,
    )
    if end == "developing":
        return end
    services.standard_submit(actor=bureau, standard=standard)
    if end == "submitted":
        return end
    if end == "returned":
        services.standard_accept(actor=bureau, standard=standard, passed=False, note="考核细目与岗位要求不符")
        return end
    accepted_on = day + datetime.timedelta(days=120)
    services.standard_accept(actor=bureau, standard=standard, passed=True, day=accepted_on)
    panel = [w for w in workers if w.employer_id != developer.pk]
    low = end == "not_certified"
    for k, worker in enumerate(rng.sample(panel, 3)):
        member = services.standard_panel_add(actor=bureau, standard=standard, worker=worker)
        if end == "accepted" and k == 2:
            continue  # the third member has not scored yet
        score = Decimal(rng.randint(40, 58) if low else rng.randint(72, 95))
        services.standard_panel_score(actor=bureau, member=member, score=score, comment="结构完整，可操作")
    if end == "accepted":
        return end
    certified_on = accepted_on + datetime.timedelta(days=20)
    grant = services.standard_certify(actor=bureau, standard=standard, day=certified_on)
    if grant is not None:
        walk_grant(grant, grant_state, bureau, certified_on, f"demo-plt-standard-{i}")
    return end
