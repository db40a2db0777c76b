"""Demo data of the school–enterprise bases (issue 17 §8): the 74 立项建设单位 of D003 §二(一) at
the registry's schools with enterprise partners, some of them recognised with their EDU-BASE grants in
various states — all within the 25,000,000 special fund — and a few new applications."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

BASELINE = 74  # D003 §二(一): 74 立项建设单位 approved by 2023
RECOGNISE = 16  # recognised on the platform in 2024, each with its EDU-BASE grant
FIELDS = [
    "智能制造",
    "数控技术",
    "工业机器人",
    "新能源汽车",
    "电子信息技术",
    "模具设计与制造",
    "电子商务",
    "智能家居",
    "食品加工",
    "现代物流",
]
# The grant's state for the recognised bases, in order (the rest stay in review).
GRANT_STATES = ["paid"] * 8 + ["approved"] * 3 + ["in_notice"] * 2 + ["reviewed"]


def bases_demo(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.grants import services as grants
    from skillcity.platforms.models.bases import (
        BASE_SCHOOL_CATEGORIES,
        BasePartner,
        BaseState,
        SchoolEnterpriseBase,
    )
    from skillcity.platforms.services import bases as services
    from skillcity.registry.models import Organisation, OrganisationCategory

    if SchoolEnterpriseBase.objects.exists():
        stdout.write("  school–enterprise bases: present, skipped\n")
        return
    bureau = User.objects.filter(username="bureau").first()
    schools = list(Organisation.objects.filter(category__in=BASE_SCHOOL_CATEGORIES).order_by("id")[:40])
    enterprises = list(
        Organisation.objects.filter(category=OrganisationCategory.ENTERPRISE).order_by("id")[:400]
    )
    if bureau is None or not schools or len(enterprises) < 3:
        stdout.write("  school–enterprise bases: no bureau, schools or enterprises, skipped\n")
        return
    rng = random.Random(seed + 1703)
    with transaction.atomic():
        grants.fund_from_policy(
            actor=bureau, programme="EDU-BASE", parameter="EDU-BASE.fund", name="高水平校企合作基地专项资金"
        )
        rows = []
        for n in range(BASELINE):
            school = schools[n % len(schools)]
            field = FIELDS[n % len(FIELDS)]
            year = 2022 if n < 40 else 2023
            rows.append(
                SchoolEnterpriseBase(
                    school=school,
                    name=f"{school.name}{field}校企合作基地",
                    field=field,
                    plan=f"与合作企业共建{field}实训车间和课程，年培训学生和企业职工（演示数据）。",
                    year=year,
                    state=BaseState.APPROVED,
                    reviewed_on=datetime.date(year, 6, 30),
                    review_note="列为立项建设单位",
                    baseline=True,
                    created_by=bureau,
                )
            )
        SchoolEnterpriseBase.objects.bulk_create(rows)
        made = list(SchoolEnterpriseBase.objects.order_by("id"))
        BasePartner.objects.bulk_create(
            BasePartner(
                base=base,
                enterprise=e,
                contribution=rng.choice(["共建实训室", "提供实习岗位", "派驻技术导师"]),
            )
            for base in made
            for e in rng.sample(enterprises, rng.randint(2, 4))
        )
        status = services.fund_status(2024)
        room = int((status["available"] if status else Decimal(0)) // Decimal("1000000"))
        count = min(RECOGNISE, max(0, room - 2))  # always within the fund, with room left
        grant_states: dict[str, int] = {}
        for i, base in enumerate(made[:count]):
            day = datetime.date(2024, 3, 1) + datetime.timedelta(days=7 * i)
            grant = services.base_recognise(actor=bureau, base=base, day=day)
            target = GRANT_STATES[i] if i < len(GRANT_STATES) else "in_review"
            walk_grant(grant, target, bureau, day, f"demo-edu-base-{i}")
            grant_states[target] = grant_states.get(target, 0) + 1
        # New applications of 2025: two waiting for review, one refused with its reason.
        for k, state in enumerate(["submitted", "submitted", "rejected"]):
            school = schools[(k + 5) % len(schools)]
            base = services.base_apply(
                actor=bureau,
                school=school,
                name=f"{school.name}{FIELDS[k + 3]}产教融合基地（新申报）",
                field=FIELDS[k + 3],
                plan="新申报：共建产业学院（演示数据）。",
                partners=[(e, "共建实训基地") for e in rng.sample(enterprises, 2)],
                day=datetime.date(2025, 4, 1),
            )
            if state == "rejected":
                services.base_review(
                    actor=bureau,
                    base=base,
                    passed=False,
                    note="合作企业尚未投入设备",
                    day=datetime.date(2025, 5, 1),
                )
    stdout.write(
        f"  school–enterprise bases: {BASELINE} 立项建设, {count} recognised with EDU-BASE grants "
        f"{grant_states}, 3 new applications\n"
    )


def walk_grant(app: Any, target: str, bureau: Any, day: datetime.date, key: str) -> None:
    """The demo's walk of a grant made from a record along the grants path (review, notice from
    `day`, approval a month later, payment) up to `target`; shared by the bases' and standards' demos."""
    from skillcity.grants import flows
    from skillcity.grants import services as grants
    from skillcity.grants.demo import town_officer_for

    if target == "in_review":
        return
    for stage in flows.stages_for(app.rule_id):
        reviewer = town_officer_for(app.town) if stage.role == "town_officer" else bureau
        app = grants.application_review_pass(application=app, actor=reviewer)
    if target == "reviewed":
        return
    grants.notice_start(application=app, actor=bureau, start=day)
    if target == "in_notice":
        return
    app.refresh_from_db()
    app = grants.application_approve(application=app, actor=bureau, today=day + datetime.timedelta(days=30))
    if target == "paid":
        grants.payment_make(application=app, actor=bureau, idempotency_key=key)
