"""Demo data of the new-style apprenticeship (issue 19 §7): D003's 19,936 apprentices, in bulk.

At the demo scale (20,000 workers) the step records exactly BASELINE apprenticeships, so the bureau's
statistics show the baseline reached:
- apprentices already in the demo city: workers of enterprises below 高级工 (about half the total);
- new young workers the enterprises took on as apprentices (the rest), with valid ID numbers;
- those whose demo certificate (the certification step's, at an enterprise, level 3–5) came from
  their apprenticeship's assessment are certified: the apprenticeship points at that candidacy, so
  the status is read from the certificate like any other;
- the rest in training, past the contract's end awaiting assessment, or left;
- two 校企双制 classes at each technical school, with their students as the partner enterprise's
  employees and apprentices.
A smaller city (the tests' demo city) gets a tenth of its workers as apprentices and no new workers.
Mentors are each enterprise's most skilled worker. Idempotent: nothing is done when apprenticeships exist.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from skillcity.apprenticeship.models import BASELINE, Apprenticeship, DualClass, Progress, StudyMode

DEMO_SCALE_WORKERS = 20_000
LEVEL_WEIGHTS = {4: 50, 3: 30, 5: 15, 2: 5}
TEACHERS = ["王老师", "李老师", "陈老师", "张老师", "刘老师", "黄老师", "林老师", "周老师"]


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def apprenticeship_demo(seed: int, stdout: Any) -> None:
    if Apprenticeship.objects.exists():
        stdout.write("  apprenticeship: already present, skipped\n")
        return
    with transaction.atomic():
        made, classes, new_workers = _build(random.Random(seed * 1_000_003 + 23), seed)
    if made:
        stdout.write(
            f"  apprenticeship: {made:,} apprentices (baseline {BASELINE:,}), {classes} 校企双制 classes, "
            f"{new_workers:,} new apprentice workers\n"
        )


def _hire_existing(count: int, enterprise_ids: list[int], taken: set[int]) -> list[int]:
    """`count` existing workers not yet apprentices, each now employed by the given enterprise (in order)."""
    from skillcity.registry.models import Worker

    free = [
        pk
        for pk in Worker.objects.order_by("-id").values_list("id", flat=True)[: count + len(taken)]
        if pk not in taken
    ][:count]
    for worker_id, enterprise_id in zip(free, enterprise_ids, strict=False):
        Worker.objects.filter(pk=worker_id).update(employer_id=enterprise_id)
    return free


def _new_workers(rng: random.Random, seed: int, count: int, enterprises: list[Any]) -> list[int]:
    """`count` young workers employed by the given enterprises (one each, in order), bulk-created."""
    from skillcity.registry.generate.city import _id_check_chars, _names
    from skillcity.registry.models import Worker

    if count <= 0:
        return []
    used = {int(n[:17]) for n in Worker.objects.values_list("id_number", flat=True) if n[:17].isdigit()}
    nrng = np.random.default_rng([seed, 19, 1])
    male = nrng.random(count) < 0.6
    names = _names(nrng, male)
    today = timezone.localdate()
    first17: list[int] = []
    births: list[datetime.date] = []
    taken: set[int] = set()
    for i in range(count):
        while True:
            birth = today - datetime.timedelta(days=rng.randint(18 * 365 + 5, 30 * 365))
            seq = rng.randint(0, 499) * 2 + (1 if male[i] else 0)
            number = 441900 * 10**11 + int(birth.strftime("%Y%m%d")) * 1000 + seq
            if number not in taken and number not in used:
                break
        taken.add(number)
        first17.append(number)
        births.append(birth)
    checks = _id_check_chars(np.array(first17, dtype=np.int64))
    workers = []
    for i in range(count):
        id_number = f"{first17[i]}{checks[i]}"
        enterprise = enterprises[i]
        workers.append(
            Worker(
                name=names[i],
                id_number=id_number,
                gender="M" if male[i] else "F",
                birth_date=births[i],
                phone=f"1{rng.choice('35789')}{rng.randint(0, 10**9 - 1):09d}",
                town_id=enterprise.town_id,
                employer_id=enterprise.pk,
            )
        )
    Worker.objects.bulk_create(workers, batch_size=2000)
    by_number = dict(
        Worker.objects.filter(id_number__in=[w.id_number for w in workers]).values_list("id_number", "id")
    )
    return [by_number[w.id_number] for w in workers]


def _build(rng: random.Random, seed: int) -> tuple[int, int, int]:
    from skillcity.apprenticeship.selectors import SCHOOL_CATEGORIES
    from skillcity.certification.models import Certificate
    from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Worker
    from skillcity.schools.models import School, SchoolKind

    today = timezone.localdate()
    total_workers = Worker.objects.count()
    target = BASELINE if total_workers >= DEMO_SCALE_WORKERS else max(20, total_workers // 10)
    enterprises = {
        o.pk: o for o in Organisation.objects.filter(category=OrganisationCategory.ENTERPRISE).order_by("id")
    }
    schools = list(Organisation.objects.filter(category__in=SCHOOL_CATEGORIES).order_by("id"))
    occupations = list(
        Occupation.objects.filter(active=True, has_levels=True, programme="manufacturing").order_by("code")
    )
    if not enterprises or not schools or not occupations:
        return 0, 0, 0
    schools_by_town: dict[int | None, list[Any]] = defaultdict(list)
    for s in schools:
        schools_by_town[s.town_id].append(s)
    # Each enterprise's staff on the registry, its most skilled first: the mentor.
    staff: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for pk, employer, level in (
        Worker.objects.filter(employer_id__in=list(enterprises))
        .order_by("id")
        .values_list("id", "employer_id", "highest_level")
    ):
        staff[employer].append((pk, level))
    mentors = {
        e: min(rows, key=lambda r: (r[1] or 9, r[0]))[0] for e, rows in staff.items() if len(rows) >= 2
    }
    hosts = sorted(mentors)
    if not hosts:
        return 0, 0, 0

    rows: list[Apprenticeship] = []
    used: set[tuple[int, int]] = set()
    serial = 0

    def school_for(enterprise: Any) -> Any:
        near = schools_by_town.get(enterprise.town_id)
        return rng.choice(near) if near and rng.random() < 0.7 else rng.choice(schools)

    def add(
        worker_id: int,
        enterprise_id: int,
        start: datetime.date,
        *,
        occupation_id: int,
        level: int,
        end: datetime.date | None = None,
        school: Any = None,
        dual_class: DualClass | None = None,
        candidate_id: int | None = None,
        left_on: datetime.date | None = None,
    ) -> None:
        nonlocal serial
        if (worker_id, enterprise_id) in used or mentors.get(enterprise_id) in (None, worker_id):
            return
        used.add((worker_id, enterprise_id))
        serial += 1
        end = end or _add_years(start, 1) + datetime.timedelta(days=rng.choice((0, 90, 181, 365)))
        rows.append(
            Apprenticeship(
                worker_id=worker_id,
                enterprise_id=enterprise_id,
                school=school or school_for(enterprises[enterprise_id]),
                dual_class=dual_class,
                contract_start=start,
                contract_end=end,
                registration_number=f"XJ{start.year}{serial:06d}",
                study_mode=StudyMode.NON_FULL_TIME,
                registration_start=start,
                registration_end=end,
                enterprise_mentor_id=mentors[enterprise_id],
                school_mentor=rng.choice(TEACHERS),
                occupation_id=occupation_id,
                level=level,
                candidate_id=candidate_id,
                left_on=left_on,
                leave_reason="个人原因离职" if left_on else "",
            )
        )

    # Certified: the demo certificates of enterprises' workers at levels 3–5 whose assessment closed an
    # apprenticeship (the contract ended shortly before the session).
    certified = (
        Certificate.objects.filter(status="valid", level__gte=3, worker__employer_id__in=hosts)
        .order_by("id")
        .values_list(
            "worker_id",
            "worker__employer_id",
            "candidate_id",
            "candidate__session__date",
            "occupation_id",
            "level",
        )
    )
    certified_cap = target * 3 // 10
    for worker_id, employer_id, candidate_id, session_date, occupation_id, level in certified:
        if len(rows) >= certified_cap:
            break
        end = session_date - datetime.timedelta(days=rng.randint(0, 60))
        start = _add_years(end, -1) - datetime.timedelta(days=rng.choice((0, 120, 240)))
        add(
            worker_id,
            employer_id,
            start,
            occupation_id=occupation_id,
            level=level,
            end=end,
            candidate_id=candidate_id,
        )

    # Assessed without a certificate: demo candidacies that failed or await their results.
    from skillcity.certification.models import Candidate

    assessed = (
        Candidate.objects.filter(
            result__in=("failed", "pending"),
            certificate__isnull=True,
            session__level__gte=3,
            worker__employer_id__in=hosts,
        )
        .order_by("id")
        .values_list(
            "id",
            "worker_id",
            "worker__employer_id",
            "session__date",
            "session__occupation_id",
            "session__level",
        )
    )
    assessed_cap = len(rows) + target // 30
    for candidate_id, worker_id, employer_id, session_date, occupation_id, level in assessed:
        if len(rows) >= assessed_cap:
            break
        end = min(session_date, today) - datetime.timedelta(days=rng.randint(0, 30))
        start = _add_years(end, -1) - datetime.timedelta(days=rng.choice((0, 90)))
        add(
            worker_id,
            employer_id,
            start,
            occupation_id=occupation_id,
            level=level,
            end=end,
            candidate_id=candidate_id,
        )

    occupation_ids = [o.pk for o in occupations]
    levels, weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())

    def add_plain(worker_id: int, enterprise_id: int) -> None:
        roll = rng.random()
        if roll < 0.55:  # in training: started within the last year
            start = today - datetime.timedelta(days=rng.randint(0, 330))
            left = None
        elif roll < 0.8:  # the contract ended; awaiting assessment
            start = today - datetime.timedelta(days=rng.randint(2 * 365, 4 * 365))
            left = None
        else:  # left part-way
            start = today - datetime.timedelta(days=rng.randint(120, 3 * 365))
            left = min(today, start + datetime.timedelta(days=rng.randint(30, 300)))
        add(
            worker_id,
            enterprise_id,
            start,
            occupation_id=rng.choice(occupation_ids),
            level=rng.choices(levels, weights)[0],
            left_on=left,
        )

    # Apprentices already in the city: enterprises' workers below 高级工, up to half the target.
    mentor_ids = set(mentors.values())
    existing = [
        (pk, employer)
        for employer in hosts
        for pk, level in staff[employer]
        if pk not in mentor_ids and (level is None or level >= 4)
    ]
    rng.shuffle(existing)
    for pk, employer in (
        existing[: max(0, target // 2 - len(rows))] if total_workers >= DEMO_SCALE_WORKERS else existing
    ):
        if len(rows) >= target:
            break
        add_plain(pk, employer)

    # 校企双制 classes: two at each technical school, with a partner enterprise of its town (or any).
    classes: list[DualClass] = []
    technical = list(
        School.objects.filter(kind=SchoolKind.TECHNICAL).select_related("organisation").order_by("id")
    )
    class_size = 30 if total_workers >= DEMO_SCALE_WORKERS else 3
    for school in technical:
        org = school.organisation
        partners = [e for e in hosts if enterprises[e].town_id == org.town_id] or hosts
        for year, name in ((2025, "数控"), (2026, "智能制造")):
            enterprise_id = rng.choice(partners)
            start = datetime.date(year, 9, 1)
            classes.append(
                DualClass(
                    school=org,
                    enterprise_id=enterprise_id,
                    name=f"{year}级{name}校企双制班",
                    occupation_id=rng.choice(occupation_ids),
                    level=4,
                    start=start,
                    end=_add_years(start, 2),
                    school_mentor=rng.choice(TEACHERS),
                    enterprise_mentor_id=mentors[enterprise_id],
                )
            )
    DualClass.objects.bulk_create(classes)
    # New young workers: the classes' students first, then the rest the enterprises took on. The demo
    # enterprise account's enterprise gets a share so its page has apprentices of every kind.
    needed = max(0, target - len(rows)) if total_workers >= DEMO_SCALE_WORKERS else len(classes) * class_size
    seats: list[tuple[int, DualClass | None]] = [
        (c.enterprise_id, c) for c in classes for _ in range(class_size)
    ]
    account = _demo_enterprise()
    favoured = [account] * 40 if account in mentors else []
    plain = max(0, needed - len(seats))
    seats += [(favoured[i] if i < len(favoured) else rng.choice(hosts), None) for i in range(plain)]
    seats = seats[:needed]
    if total_workers >= DEMO_SCALE_WORKERS:
        new_ids = _new_workers(rng, seed, len(seats), [enterprises[e] for e, _c in seats])
    else:  # a small city keeps its size: its class students are existing workers the enterprise hires
        new_ids = _hire_existing(len(seats), [e for e, _c in seats], {r.worker_id for r in rows})
    for worker_id, (enterprise_id, dual_class) in zip(new_ids, seats, strict=False):
        if dual_class is not None:
            add(
                worker_id,
                enterprise_id,
                dual_class.start,
                occupation_id=dual_class.occupation_id,
                level=dual_class.level,
                end=dual_class.end,
                school=dual_class.school,
                dual_class=dual_class,
            )
        else:
            add_plain(worker_id, enterprise_id)
    Apprenticeship.objects.bulk_create(
        rows[:target] if total_workers >= DEMO_SCALE_WORKERS else rows, batch_size=2000
    )
    _progress(rng, today)
    return Apprenticeship.objects.count(), len(classes), len(new_ids)


def _demo_enterprise() -> int | None:
    """The enterprise of the demo account `enterprise` (skillcity.demo)."""
    from skillcity.accounts.models import User

    account = User.objects.filter(username="enterprise").first()
    return account.organisation_id if account is not None else None


def _progress(rng: random.Random, today: datetime.date) -> None:
    """A few progress entries for the apprentices of the demo enterprise account's enterprise."""
    enterprise_id = _demo_enterprise()
    if enterprise_id is None:
        return
    entries = []
    for a in Apprenticeship.objects.filter(enterprise_id=enterprise_id, left_on__isnull=True).order_by("id")[
        :40
    ]:
        for n in range(3):
            day = min(today, a.contract_start + datetime.timedelta(days=14 * (n + 1)))
            entries.append(
                Progress(
                    apprenticeship=a,
                    date=day,
                    place=rng.choice(Progress.Place.values),
                    hours=rng.choice((4, 6, 8)),
                    content=rng.choice(
                        ["设备安全操作规程", "机械识图", "岗位实操：零件加工", "质量检测与工艺改进"]
                    ),
                )
            )
    Progress.objects.bulk_create(entries)
