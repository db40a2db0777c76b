"""Demo data of the platforms' subbases part (issue 17 §8): the 16 sub-bases of the catalog's baseline
(recognised 2019–2023) and two applications waiting; their yearly reports; the public training centre;
and three years of course purchase — places allocated within each year's 3,000, courses run as training
classes (rosters bulk-inserted: a demo volume, not a sequence of sign-ups), accepted, and their
TRN-SUBBASE-COURSE applications made from the records and moved along the grants path (paid, approved,
in notice, reviewed, in review)."""

from __future__ import annotations

import datetime
import random
from typing import Any

# The catalog's 16 sub-bases (D003 baseline, 2023): directions as Dongguan's industries suggest.
DIRECTIONS = (
    "数控加工",
    "工业机器人",
    "模具设计与制造",
    "电子商务",
    "智能制造装备",
    "新能源汽车维修",
    "粤菜烹饪",
    "家政服务",
    "电工",
    "焊接技术",
    "计算机网络",
    "物流管理",
    "服装设计与制作",
    "食品检验",
    "养老护理",
    "无人机应用",
)
RECOGNISED_YEARS = (2019,) * 4 + (2020,) * 4 + (2021,) * 3 + (2022,) * 3 + (2023,) * 2
COURSES = ("初级实操", "中级强化", "高级研修", "技师提升", "新技术专题")
# Where each year's courses end up on the grants path (by the year's age), older years further along.
TARGETS = {
    2: ("paid",),
    1: ("paid", "approved", "in_notice", "reviewed", "in_review"),
    0: ("in_review", "reviewed"),
}


def subbases_demo(seed: int, stdout: Any) -> None:
    from django.contrib.auth.models import Group

    from skillcity.accounts.models import User
    from skillcity.grants.flows import FINANCE_GROUP
    from skillcity.platforms.models.subbases import Subbase

    if Subbase.objects.exists():
        return
    bureau = (
        User.objects.filter(username="bureau").first() or User.objects.filter(role="bureau_officer").first()
    )
    if bureau is None:
        return
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])  # the demo bureau also pays
    rng = random.Random(seed + 17_2)
    subbases = _recognise(bureau, rng)
    _reports(bureau, subbases, rng)
    _centre(bureau)
    made = _purchases(bureau, subbases, rng)
    stdout.write(f"  sub-bases: {len(subbases)} recognised, {made} purchased courses\n")


def _organisations(count: int) -> list[Any]:
    """The demo enterprise account's organisation first (so its pages show a sub-base), then training
    institutions and schools, then enterprises."""
    from skillcity.accounts.models import User
    from skillcity.registry.models import Organisation, OrganisationCategory

    chosen: list[Any] = []
    demo_user = User.objects.filter(username="enterprise").select_related("organisation").first()
    if demo_user is not None and demo_user.organisation is not None:
        chosen.append(demo_user.organisation)
    for category in (
        OrganisationCategory.TRAINING_INSTITUTION,
        OrganisationCategory.TECHNICAL_SCHOOL,
        OrganisationCategory.VOCATIONAL_COLLEGE,
        OrganisationCategory.ENTERPRISE,
    ):
        if len(chosen) >= count:
            break
        for org in (
            Organisation.objects.filter(category=category)
            .exclude(pk__in=[o.pk for o in chosen])
            .order_by("id")[: count - len(chosen)]
        ):
            chosen.append(org)
    return chosen[:count]


def _recognise(bureau: Any, rng: random.Random) -> list[Any]:
    from skillcity.platforms.services import subbases as services

    orgs = _organisations(len(DIRECTIONS) + 2)
    subbases = []
    for i, org in enumerate(orgs):
        direction = DIRECTIONS[i % len(DIRECTIONS)]
        subbase = services.subbase_apply(
            actor=bureau,
            organisation=org,
            name=f"{org.name[:40]}{direction}公共实训分基地",
            direction=direction,
        )
        if i < len(RECOGNISED_YEARS):
            day = datetime.date(RECOGNISED_YEARS[i], rng.randint(3, 11), rng.randint(1, 28))
            subbases.append(services.subbase_recognise(actor=bureau, subbase=subbase, recognised_on=day))
    return subbases  # the last two stay applications, waiting for recognition


def _reports(bureau: Any, subbases: list[Any], rng: random.Random) -> None:
    from django.utils import timezone

    from skillcity.platforms.services import subbases as services

    this_year = timezone.localdate().year
    for year in range(2023, this_year):
        for s in subbases:
            if s.recognised_on.year > year:
                continue
            courses = rng.choice((4, 5, 5, 6, 7, 8))
            report = services.report_submit(
                actor=bureau,
                subbase=s,
                year=year,
                person_times=rng.randint(10_500, 13_500),
                new_courses="\n".join(
                    f"{s.direction}{COURSES[k % len(COURSES)]}（{year}版{k + 1}）" for k in range(courses)
                ),
            )
            if year < this_year - 1 or rng.random() < 0.6:
                services.report_evaluate(actor=bureau, report=report)


def _centre(bureau: Any) -> None:
    from skillcity.certification.models import Evaluator
    from skillcity.platforms.services import subbases as services

    evaluator = (
        Evaluator.objects.exclude(organisation__category="enterprise")
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    evaluator = evaluator or Evaluator.objects.select_related("organisation").order_by("id").first()
    if evaluator is not None:
        services.centre_set(actor=bureau, organisation=evaluator.organisation)


def _purchases(bureau: Any, subbases: list[Any], rng: random.Random) -> int:
    from django.utils import timezone

    from skillcity.platforms.services import subbases as services
    from skillcity.registry.models import Occupation

    today = timezone.localdate()
    occupations = list(Occupation.objects.order_by("code")[:40])
    if not occupations:
        return 0
    workers = _worker_pool()
    cursor = 0
    made = 0
    for age in (2, 1, 0):
        year = today.year - age
        services.quota_set(actor=bureau, year=year, places=3000)
        # Two courses per sub-base; the year's 3,000 places nearly used (the current year's half so far).
        budget = 2960 if age else 1800
        per_course = budget // (2 * len(subbases))
        for i, subbase in enumerate(subbases):
            for k in range(2):
                places = per_course - rng.randint(0, 8)
                allocation = services.allocation_create(
                    actor=bureau,
                    subbase=subbase,
                    year=year,
                    places=places,
                    course_name=f"{subbase.direction}{COURSES[(i + k) % len(COURSES)]}班",
                    category="B" if (i + k) % 3 == 0 else "A",
                )
                made += 1
                start = datetime.date(year, 3 + 4 * k, 1 + i % 20)
                end = start + datetime.timedelta(days=45)
                if age == 0 and k == 1 and i % 2 == 0:
                    continue  # allocated, not yet run
                if end >= today:
                    end = today + datetime.timedelta(days=20)
                allocation = services.allocation_class_open(
                    actor=bureau,
                    allocation=allocation,
                    occupation=occupations[(i * 2 + k) % len(occupations)],
                    start_date=start,
                    end_date=end,
                )
                done = end < today
                completed = places - rng.randint(0, 4) if done else 0
                cursor = _roster(allocation, workers, cursor, places, completed, start, end)
                if not done:
                    continue
                if age == 0 and i % 4 == 3:
                    continue  # ended, awaiting acceptance
                passed = not (age == 1 and i == 5 and k == 1)
                allocation = services.allocation_accept(
                    actor=bureau,
                    allocation=allocation,
                    passed=passed,
                    note="" if passed else "实训课时不足，未通过验收",
                    accepted_on=min(today, end + datetime.timedelta(days=10)),
                )
                if passed:
                    _grant(bureau, allocation, age, i + k)
    return made


def _worker_pool() -> list[tuple[int, int]]:
    from skillcity.registry.models import Worker

    return list(Worker.objects.order_by("id").values_list("id", "town_id")[:20_000])


def _roster(
    allocation: Any,
    workers: list[tuple[int, int]],
    cursor: int,
    places: int,
    completed: int,
    start: datetime.date,
    end: datetime.date,
) -> int:
    """The class's enrolments in one insert: `completed` finished it, the rest are still in training
    (or, once it ended, failed)."""
    from skillcity.training.models import Attendance, Enrolment

    if not workers:
        return cursor
    rows = []
    organisation = allocation.subbase.organisation
    ended = completed > 0
    for n in range(min(places, len(workers))):
        worker_id, _town = workers[(cursor + n) % len(workers)]
        status = (
            Enrolment.Status.COMPLETED
            if n < completed
            else (Enrolment.Status.FAILED if ended else Enrolment.Status.ENROLLED)
        )
        rows.append(
            Enrolment(
                training_class_id=allocation.training_class_id,
                provider_id=organisation.pk,
                worker_id=worker_id,
                town_id=organisation.town_id,
                status=status,
                enrolled_on=start,
                completed_on=end if status != Enrolment.Status.ENROLLED else None,
            )
        )
    made = Enrolment.objects.bulk_create(rows, batch_size=500)
    # Every trainee signed in on the course's first days (the roster shows them, as training's own demo).
    days = [start + datetime.timedelta(days=k) for k in range(min(3, (end - start).days + 1))]
    Attendance.objects.bulk_create(
        [Attendance(enrolment_id=e.pk, day=day) for e in made for day in days], batch_size=1000
    )
    return cursor + len(rows)


def _grant(bureau: Any, allocation: Any, age: int, i: int) -> None:
    from skillcity.core.errors import DomainError
    from skillcity.platforms.services import subbases as services

    try:
        app = services.allocation_grant_apply(actor=bureau, allocation=allocation)
    except DomainError:
        return
    targets = TARGETS[age]
    target = targets[i % len(targets)]
    try:
        _advance(bureau, app, target)
    except DomainError:
        return  # a fund for that year may be spent: the application stays where it got to


def _advance(bureau: Any, app: Any, target: str) -> None:
    from skillcity.grants import flows
    from skillcity.grants import services as grants
    from skillcity.grants.demo import town_officer_for

    if target == "in_review":
        return
    for stage in flows.stages_for(app.rule_id):
        actor = town_officer_for(app.town) if stage.role == "town_officer" else bureau
        app = grants.application_review_pass(application=app, actor=actor)
    if target == "reviewed":
        return
    if target == "in_notice":
        grants.notice_start(application=app, actor=bureau)
        return
    grants.notice_start(application=app, actor=bureau, start=app.event_date + datetime.timedelta(days=20))
    app = grants.application_approve(
        application=app,
        actor=bureau,
        amount=None,
        reason="",
        today=app.event_date + datetime.timedelta(days=50),
    )
    if target == "paid":
        grants.payment_make(application=app, actor=bureau, idempotency_key=f"demo-subbases-{app.pk}")
