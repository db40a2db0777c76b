"""Demo data of the expert pool (issue 17 §8): 1,141 experts in ten sectors (D003; bulk_create, so the
demo builds in a second), a few declaring conflicts, and draws through the services — a studio review,
a standard acceptance, a grant review in which the demo worker (an expert) is drawn and one member
declined with a replacement, a contest project's judges and a leading-talent call's panel when those
demos left one open. Idempotent: nothing is made when the pool has experts."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

POOL_SIZE = 1141  # D003, 2023
# Experts per sector: manufacturing-heavy like the city (sums to POOL_SIZE).
SECTOR_SHARES = {
    "electronics": 248,
    "electrical": 196,
    "textiles": 102,
    "food": 71,
    "paper": 52,
    "toys": 64,
    "furniture": 83,
    "chemicals": 68,
    "printing": 57,
    "services": 200,
}
TITLES = [
    "高级工程师",
    "正高级工程师",
    "工程师",
    "高级实习指导教师",
    "高级讲师",
    "副教授",
    "教授",
    "高级经济师",
]


def experts_demo(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.platforms.models.experts import Expert

    if Expert.objects.exists():
        return
    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        stdout.write("  expert pool: no demo bureau account, skipped")
        return
    rng = random.Random(seed * 17 + 5)
    with transaction.atomic():
        experts = _pool(rng, bureau)
    stdout.write(f"  expert pool: {len(experts)} experts in {len(SECTOR_SHARES)} sectors")
    if len(experts) < 20:  # a demo city too small for panels (some tests build one of a few workers)
        return
    _draws(rng, bureau, stdout)


def _pool(rng: random.Random, bureau: Any) -> list[Any]:
    from skillcity.accounts.models import User
    from skillcity.platforms.models.experts import Expert
    from skillcity.registry.models import Occupation, Organisation, Worker

    assert sum(SECTOR_SHARES.values()) == POOL_SIZE
    demo_worker = User.objects.filter(username="worker").values_list("worker_id", flat=True).first()
    ids = list(
        Worker.objects.filter(employer__isnull=False, highest_level__isnull=False)
        .exclude(pk=demo_worker or 0)
        .order_by("id")
        .values_list("pk", "employer_id")[: POOL_SIZE * 4]
    )
    rng.shuffle(ids)
    chosen: list[tuple[int, int | None]] = list(ids[: POOL_SIZE - (1 if demo_worker else 0)])
    if demo_worker:
        employer = Worker.objects.filter(pk=demo_worker).values_list("employer_id", flat=True).first()
        chosen.append((demo_worker, employer))
    organisations = list(Organisation.objects.order_by("id").values_list("pk", flat=True)[:2000])
    sectors = [s for s, n in SECTOR_SHARES.items() for _ in range(n)]
    rng.shuffle(sectors)
    experts = Expert.objects.bulk_create(
        [
            Expert(
                worker_id=worker,
                sector=sector,
                title=rng.choice(TITLES),
                organisation_id=employer or rng.choice(organisations),
                phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}",
                created_by=bureau,
            )
            for (worker, employer), sector in zip(chosen, sectors, strict=False)
        ]
    )
    occupations = list(Occupation.objects.filter(active=True).order_by("id").values_list("pk", flat=True))
    links = []
    for expert in experts:
        for occupation in rng.sample(occupations, min(len(occupations), rng.randint(1, 3))):
            links.append(Expert.occupations.through(expert_id=expert.pk, occupation_id=occupation))
    Expert.occupations.through.objects.bulk_create(links)
    conflicts = [
        Expert.conflicts.through(expert_id=expert.pk, organisation_id=rng.choice(organisations))
        for expert in rng.sample(experts, min(60, len(experts) // 10))
    ]
    Expert.conflicts.through.objects.bulk_create(conflicts, ignore_conflicts=True)
    return experts


def _draws(rng: random.Random, bureau: Any, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.core.errors import DomainError
    from skillcity.platforms.models.experts import DrawPurpose, Expert
    from skillcity.platforms.services import experts as services
    from skillcity.platforms.services.experts.draws import eligible_candidates, pick

    services.expert_draw(
        actor=bureau,
        purpose=DrawPurpose.STUDIO_REVIEW,
        subject_key="demo:studio-review-2023-1",
        subject_label="2023年技能大师工作室评审第一组",
        size=5,
        seed=rng.randrange(services.SEED_MAX),
    )
    services.expert_draw(
        actor=bureau,
        purpose=DrawPurpose.STANDARD_ACCEPTANCE,
        subject_key="demo:standard-acceptance-2023",
        subject_label="2023年培训评价标准验收（电子信息、电气机械）",
        size=7,
        sectors=["electronics", "electrical"],
        seed=rng.randrange(services.SEED_MAX),
    )
    # A grant review in which the demo worker is drawn: the first seed (from the demo's own sequence)
    # whose draw picks them, so their 我的评审任务 has something in it.
    worker_user = User.objects.filter(username="worker").first()
    mine = Expert.objects.filter(worker_id=getattr(worker_user, "worker_id", None) or 0).first()
    candidates = eligible_candidates(sectors=[], organisations=[], workers=[])
    seed = rng.randrange(services.SEED_MAX)
    if mine is not None:
        for _attempt in range(5000):
            if any(pk == mine.pk for _s, pk in pick(seed, candidates, 9)):
                break
            seed = rng.randrange(services.SEED_MAX)
    draw = services.expert_draw(
        actor=bureau,
        purpose=DrawPurpose.GRANT_REVIEW,
        subject_key="demo:grant-review-2024-h1",
        subject_label="2024年上半年职业技能提升补贴评审",
        size=9,
        seed=seed,
    )
    other = draw.members.exclude(expert=mine).order_by("position").first()
    if other is not None:
        services.draw_member_decline(
            actor=bureau, member=other, reason="评审当日出差，无法参加", seed=rng.randrange(services.SEED_MAX)
        )
    made = 3
    for wired in (_judges_draw, _panel_draw, _grant_draw):
        try:
            if wired(rng, bureau):
                made += 1
        except DomainError as exc:  # the other demos may leave nothing open to draw for
            stdout.write(f"  expert pool: a wired draw skipped ({exc.code})")
    stdout.write(f"  expert pool: {made} draws, one decline replaced")


def _judges_draw(rng: random.Random, bureau: Any) -> bool:
    from skillcity.competitions.models import ContestProject
    from skillcity.platforms.services import experts as services

    project = (
        ContestProject.objects.exclude(state=ContestProject.State.CONFIRMED)
        .filter(judges__isnull=True, competition__external=False)
        .select_related("competition")
        .order_by("id")
        .first()
    )
    if project is None:
        return False
    services.competition_judges_draw(
        actor=bureau, project=project, size=3, seed=rng.randrange(services.SEED_MAX)
    )
    return True


def _panel_draw(rng: random.Random, bureau: Any) -> bool:
    from skillcity.platforms.services import experts as services
    from skillcity.talents.models.leading import LeadingCall

    call = LeadingCall.objects.order_by("-year").first()
    if call is None:
        return False
    services.leading_panel_draw(actor=bureau, call=call, size=2, seed=rng.randrange(services.SEED_MAX))
    return True


def _grant_draw(rng: random.Random, bureau: Any) -> bool:
    """Reviewers for the oldest enterprise claim in review, drawn from its page's button."""
    from skillcity.grants.models import Application, ApplicationState
    from skillcity.platforms.services import experts as services

    application = (
        Application.objects.filter(state=ApplicationState.IN_REVIEW, organisation__isnull=False)
        .select_related("organisation", "worker")
        .order_by("id")
        .first()
    )
    if application is None:
        return False
    services.grant_review_draw(
        actor=bureau, application=application, size=3, seed=rng.randrange(services.SEED_MAX)
    )
    return True
