"""Demo data of the master studios (issue 17 §8), at the catalog's baselines (D003, as of 2023):

- 205 open platforms: 5 national, 11 provincial, 189 city; 40 of them recognised in 2022, the rest in
  2012–2021 (before PLT-STUDIO's documents, so recorded without grants), the provincial and national ones
  with their upgrade recorded;
- 84 applications for 2023: 30 recognised through the services (their new_city grants made from the
  records), 20 reviewed and waiting, 20 submitted, 14 rejected with a reason;
- 2023 reports of the 2022 studios with apprentices from the registry: most passed, two failed (the studio
  revoked with the reasons), two waiting; one studio closed;
- money in grants in various states: 2022 and 2023 new-city grants paid, approved, in notice or in review,
  within each year's PLT-STUDIO fund; provincial and national upgrades of 2024–2025, one paid;
- the demo enterprise (account "enterprise") leads one recognised studio and has one application waiting.

Idempotent: nothing is made when a studio exists."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

OPEN_CITY, OPEN_PROVINCIAL, OPEN_NATIONAL = 189, 11, 5
NEW_2022 = 40
APPLICATIONS_2023 = 84
RECOGNISED_2023, REVIEWED_2023, SUBMITTED_2023 = 30, 20, 20  # the rest (14) rejected
OCCUPATIONS = (
    "数控车工", "模具工", "电工", "焊工", "钳工", "工业机器人系统运维员", "汽车维修工", "家具制作工",
    "服装制版师", "中式烹调师", "电子产品制版工", "化学检验员", "眼镜验光员", "茶艺师", "美发师",
)  # fmt: skip
SUMMARY = "依托企业生产一线，开展技术攻关、带徒传技和技能推广（演示数据）。"


def _leads(n: int, exclude: set[int]) -> list[Any]:
    """High-skilled workers (level 3 or higher) with an employer, each leading at most one studio."""
    from skillcity.registry.models import Worker

    rows = list(
        Worker.objects.filter(highest_level__lte=3, employer__isnull=False)
        .exclude(pk__in=exclude)
        .select_related("employer")
        .order_by("id")[: n * 3]
    )
    chosen: list[Any] = []
    for w in rows:
        if len(chosen) == n:
            break
        chosen.append(w)
        exclude.add(w.pk)
    return chosen


def _name(rng: random.Random, lead: Any, occupation: str, i: int) -> str:
    kind = "技能大师工作室" if i % 5 else "技师工作站"
    return f"{lead.name}{occupation}{kind}"[:100]


def _walk(app: Any, bureau: Any, finance: Any, to: str, notice_on: datetime.date) -> None:
    """Move a studio grant along the grants path to `to` (in_review, in_notice, approved, paid)."""
    from skillcity.grants import services as grants
    from skillcity.grants.demo import town_officer_for

    if to == "in_review":
        return
    officer = town_officer_for(app.town)
    while app.state == "in_review":
        stage = grants.current_stage(app)
        app = grants.application_review_pass(
            application=app, actor=officer if stage and stage.role == "town_officer" else bureau
        )
    grants.notice_start(application=app, actor=bureau, start=notice_on)
    if to == "in_notice":
        return
    app.refresh_from_db()
    try:
        app = grants.application_approve(
            application=app, actor=bureau, today=notice_on + datetime.timedelta(days=20)
        )
    except grants.FundMissing:  # the funds demo step makes one per year; without it the grant stays in notice
        return
    if to == "approved":
        return
    grants.payment_make(
        application=app,
        actor=finance,
        idempotency_key=f"demo-studio-{app.pk}",
        treasury_reference=f"GK{notice_on.year}S{app.pk:05d}",
    )


def _bulk_open(rng: random.Random, bureau: Any, taken: set[int]) -> list[Any]:
    """The 205 open platforms, recognised before 2023 (40 in 2022), 16 of them upgraded."""
    from skillcity.platforms.models import Studio, StudioLevel, StudioState, StudioUpgrade

    leads = _leads(OPEN_CITY + OPEN_PROVINCIAL + OPEN_NATIONAL, taken)
    studios = []
    for i, lead in enumerate(leads):
        occupation = OCCUPATIONS[i % len(OCCUPATIONS)]
        year = 2022 if i < NEW_2022 else 2012 + (i % 10)
        recognised = datetime.date(year, 1 + i % 11, 1 + i % 27)
        studios.append(
            Studio(
                name=_name(rng, lead, occupation, i),
                kind="master" if i % 5 else "technician",
                lead=lead,
                organisation=lead.employer,
                occupation=occupation,
                summary=SUMMARY,
                state=StudioState.RECOGNISED,
                level=StudioLevel.CITY,
                applied_on=recognised - datetime.timedelta(days=60),
                review_note="材料齐全，同意（演示）",
                recognised_on=recognised,
                approved_amount=Decimal(300000 + 50000 * (i % 5)) if year == 2022 else None,
                created_by=bureau,
            )
        )
    made = Studio.objects.bulk_create(studios)
    upgrades = []
    old = [s for s in made if s.recognised_on.year < 2020]  # type: ignore[union-attr]
    for j, s in enumerate(old[: OPEN_PROVINCIAL + OPEN_NATIONAL]):
        s.level = StudioLevel.PROVINCIAL if j < OPEN_PROVINCIAL else StudioLevel.NATIONAL
        day = s.recognised_on.replace(year=s.recognised_on.year + 2)  # type: ignore[union-attr]
        upgrades.append(
            StudioUpgrade(
                studio=s,
                level=StudioLevel.PROVINCIAL,
                recognised_on=day,
                document="粤人社函（演示）",
                created_by=bureau,
            )
        )
        if s.level == StudioLevel.NATIONAL:
            upgrades.append(
                StudioUpgrade(
                    studio=s,
                    level=StudioLevel.NATIONAL,
                    recognised_on=day.replace(year=day.year + 1),
                    document="人社部函（演示）",
                    created_by=bureau,
                )
            )
    Studio.objects.bulk_update(old[: OPEN_PROVINCIAL + OPEN_NATIONAL], ["level"])
    StudioUpgrade.objects.bulk_create(upgrades)
    return made


def _grants_2022(bureau: Any, finance: Any, new: list[Any]) -> int:
    """Grants for 12 of the 2022 studios (within the year's 5,000,000 fund): 7 paid, 2 approved, 1 in
    notice, 2 in review."""
    from skillcity.grants.models import Application
    from skillcity.platforms.services import studios as services

    plan = ["paid"] * 7 + ["approved"] * 2 + ["in_notice"] + ["in_review"] * 2
    for s, to in zip(new, plan, strict=False):
        facts = {"recognition": "new_city", "requested": str(s.approved_amount)}
        app = services._from_records(
            actor=bureau, studio=s, kind="new_city", day=s.recognised_on, facts=facts, field="recognised_on"
        )
        Application.objects.filter(pk=app.pk).update(requested_amount=s.approved_amount)
        _walk(app, bureau, finance, to, datetime.date(2022, 11, 1))
    return len(plan)


def _applications_2023(rng: random.Random, bureau: Any, finance: Any, taken: set[int]) -> list[Any]:
    from skillcity.platforms.models import Studio
    from skillcity.platforms.services import studios as services

    leads = _leads(APPLICATIONS_2023, taken)
    rows = []
    for i, lead in enumerate(leads):
        occupation = OCCUPATIONS[(i + 7) % len(OCCUPATIONS)]
        rows.append(
            Studio(
                name=_name(rng, lead, occupation, i + 1),
                kind="master" if (i + 1) % 5 else "technician",
                lead=lead,
                organisation=lead.employer,
                occupation=occupation,
                summary=SUMMARY,
                applied_on=datetime.date(2023, 2, 1) + datetime.timedelta(days=i),
                created_by=bureau,
            )
        )
    made = Studio.objects.bulk_create(rows)
    recognised = []
    plan_money = ["paid"] * 8 + ["approved"] * 3 + ["in_notice"] * 3 + ["in_review"] * 16
    for i, s in enumerate(made):
        if i < RECOGNISED_2023 + REVIEWED_2023:
            s = services.studio_review(actor=bureau, studio=s, passed=True, note="符合申报条件（演示）")
            if i < RECOGNISED_2023:
                amount = Decimal(100000 + 50000 * (i % 4))
                s, app = services.studio_recognise(
                    actor=bureau, studio=s, amount=amount, recognised_on=datetime.date(2023, 6, 1 + i % 28)
                )
                _walk(app, bureau, finance, plan_money[i], datetime.date(2023, 9, 1))
                recognised.append(s)
        elif i >= RECOGNISED_2023 + REVIEWED_2023 + SUBMITTED_2023:
            services.studio_review(
                actor=bureau, studio=s, passed=False, note="领办人近三年未开展带徒（演示）"
            )
    return recognised


def _reports(rng: random.Random, bureau: Any, studios: list[Any], taken: set[int]) -> None:
    """2023 reports of the 2022 studios: apprentices from the registry; most passed, 2 failed, 2 waiting."""
    from skillcity.platforms.services import studios as services
    from skillcity.registry.models import Worker

    pool = list(
        Worker.objects.filter(employer__isnull=False, highest_level__gte=3)
        .exclude(pk__in=taken)
        .order_by("id")[:2000]
    )
    by_org: dict[int | None, list[Any]] = {}
    for w in pool:
        by_org.setdefault(w.employer_id, []).append(w)
    for i, s in enumerate(studios):
        mates = [w for w in by_org.get(s.organisation_id, []) if w.pk != s.lead_id][:4] or rng.sample(
            pool, min(3, len(pool))
        )
        report = services.report_submit(
            actor=bureau,
            studio=s,
            year=2023,
            apprentices=mates,
            results=f"完成{s.occupation}工艺改进{1 + i % 3}项，申报实用新型专利{i % 2}项（演示）",
            results_count=1 + i % 3,
            courses=f"开发《{s.occupation}实操》培训课程（演示）",
            courses_count=1 + i % 2,
        )
        if i in (3, 17):
            services.report_evaluate(
                actor=bureau,
                report=report,
                passed=False,
                reasons="带徒人数不足、无技术成果转化（演示）",
                day=datetime.date(2024, 3, 15),
            )
        elif i not in (8, 25):
            services.report_evaluate(
                actor=bureau,
                report=report,
                passed=True,
                reasons="完成年度目标（演示）",
                day=datetime.date(2024, 3, 15),
            )


def _upgrades(bureau: Any, finance: Any, studios: list[Any]) -> None:
    """Provincial recognitions of 2022 studios in 2024 (one paid) and a national one in 2025."""
    from skillcity.platforms.services import studios as services

    open_ones = [s for s in studios if s.state == "recognised"]
    if len(open_ones) < 31:  # a small demo city (tests): too few leads for these samples
        return
    for j, s in enumerate(open_ones[20:23]):
        _u, app = services.studio_upgrade(
            actor=bureau,
            studio=s,
            level="provincial",
            recognised_on=datetime.date(2024, 7, 1 + j),
            document="粤人社函〔2024〕（演示）",
        )
        _walk(app, bureau, finance, "paid" if j == 0 else "in_review", datetime.date(2024, 8, 1))
    services.studio_upgrade(
        actor=bureau,
        studio=open_ones[20],
        level="national",
        recognised_on=datetime.date(2025, 6, 1),
        document="人社部函〔2025〕（演示）",
    )
    services.studio_close(
        actor=bureau,
        studio=open_ones[30],
        reason="依托企业迁出东莞（演示）",
        ended_on=datetime.date(2025, 3, 1),
    )


def _enterprise_own(bureau: Any, finance: Any, taken: set[int]) -> None:
    """The demo enterprise account's studios: one recognised in 2024 with its grant paid, one waiting."""
    from skillcity.accounts.models import User
    from skillcity.platforms.models import Studio
    from skillcity.platforms.services import studios as services
    from skillcity.registry.models import Worker

    org_id = User.objects.filter(username="enterprise").values_list("organisation", flat=True).first()
    if not org_id:
        return
    leads = list(
        Worker.objects.filter(employer_id=org_id, highest_level__lte=3)
        .exclude(pk__in=taken)
        .order_by("id")[:2]
    )
    for i, lead in enumerate(leads):
        taken.add(lead.pk)
        s = Studio.objects.create(
            name=f"{lead.name}精密加工技能大师工作室",
            lead=lead,
            organisation_id=org_id,
            occupation="数控车工",
            summary=SUMMARY,
            applied_on=datetime.date(2024, 1, 10) if i == 0 else services.today(),
            created_by=bureau,
        )
        if i == 0:
            s = services.studio_review(actor=bureau, studio=s, passed=True)
            s, app = services.studio_recognise(
                actor=bureau, studio=s, amount=Decimal("450000"), recognised_on=datetime.date(2024, 3, 1)
            )
            _walk(app, bureau, finance, "paid", datetime.date(2024, 4, 1))


def studios_demo(seed: int, stdout: Any) -> None:
    from django.contrib.auth.models import Group

    from skillcity.accounts.models import User
    from skillcity.grants.flows import FINANCE_GROUP
    from skillcity.platforms.models import Studio

    if Studio.objects.exists():
        return
    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        stdout.write("  studios: no bureau account, skipped\n")
        return
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    rng = random.Random(seed + 17)
    taken: set[int] = set(Studio.objects.values_list("lead_id", flat=True))
    demo_worker = User.objects.filter(username="worker").values_list("worker", flat=True).first()
    if demo_worker:
        taken.add(demo_worker)
    with transaction.atomic():
        _enterprise_own(bureau, bureau, taken)
        made = _bulk_open(rng, bureau, taken)
        new_2022 = [s for s in made if s.recognised_on and s.recognised_on.year == 2022]
        _grants_2022(bureau, bureau, new_2022)
        recognised_2023 = _applications_2023(rng, bureau, bureau, taken)
        _reports(rng, bureau, new_2022, taken)
        for s in new_2022:
            s.refresh_from_db()
        _upgrades(bureau, bureau, new_2022)
    stdout.write(
        f"  studios: {Studio.objects.count()} records — {len(made)} open platforms before 2023 "
        f"({len(new_2022)} in 2022), {APPLICATIONS_2023} applications for 2023 ({len(recognised_2023)} recognised)\n"
    )
