"""The demo's courses: the shortage catalogs, projects and classes, rosters and sign-ins, and the demo
worker's own enrolments."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from skillcity.training.demo.plan import (
    ACTOR,
    AUTUMN_PROVIDERS,
    CATALOG_SIZE,
    MAJOR_GROUPS,
    TRAINEES_PER_CLASS,
    YEARS,
    Plan,
    scale,
)


def shortage_catalog(rng: random.Random, project_occupations: list[Any]) -> dict[int, set[int]]:
    """The 2023–2025 catalogs through the import service, marked as demo values; year → occupation ids.
    Each year keeps most of the year before and adds a few, as a yearly catalog does."""
    from skillcity.core.spreadsheets import table_workbook
    from skillcity.registry.models import Occupation
    from skillcity.training import services
    from skillcity.training.services.shortage import SHORTAGE_HEADER

    pool = [o for o in Occupation.objects.filter(active=True).order_by("code") if o.code[:1] in MAJOR_GROUPS]
    if not pool:
        return {}
    # About half the projects' trades are listed, so settlements show the 30% uplift and its absence.
    listed = [o for o in project_occupations if o.code[:1] in MAJOR_GROUPS][::2]
    chosen: list[Any] = []
    catalog: dict[int, set[int]] = {}
    for year in YEARS:
        keep = [o for o in chosen if rng.random() < 0.8]
        extra = [o for o in rng.sample(pool, min(len(pool), CATALOG_SIZE * 2)) if o not in keep]
        chosen = list(dict.fromkeys([*listed, *keep, *extra]))[:CATALOG_SIZE]
        # The file a bureau officer would upload (the import's own header), through the import service.
        content = table_workbook(
            f"{year}",
            SHORTAGE_HEADER,
            [[o.code, MAJOR_GROUPS[o.code[0]]] for o in sorted(chosen, key=lambda o: o.code)],
        )
        services.shortage_catalog_import(year=year, file=content, actor=ACTOR, is_demo_value=True)
        catalog[year] = {o.pk for o in chosen}
    return catalog


def projects(rng: random.Random, plan: Plan, occupations: list[Any], catalog: dict[int, set[int]]) -> None:
    """A spring project with one class per provider and year, and an autumn 2025 one for some."""
    from skillcity.training import services

    seasons = [(year, "spring", (3, 1), (6, 20)) for year in YEARS] + [(2025, "autumn", (9, 1), (12, 12))]
    for year, season, (m1, d1), (m2, d2) in seasons:
        start, end = datetime.date(year, m1, d1), datetime.date(year, m2, d2)
        providers = plan.providers if season == "spring" else plan.providers[:AUTUMN_PROVIDERS]
        classes = []
        for index, provider in enumerate(providers):
            occupation = rng.choice(occupations)
            if season == "autumn" and index == 0:
                # The demo worker's autumn class: a listed trade, so their subsidy shows the uplift.
                occupation = next((o for o in occupations if o.pk in catalog.get(year, ())), occupation)
            label = f"{year}年{'秋季' if season == 'autumn' else ''}{occupation.name}培训项目"
            project = services.project_create(
                provider=provider,
                name=label,
                occupation=occupation,
                level=rng.choice([3, 4, 5]),
                per_person_standard=Decimal(rng.choice([1500, 2000, 2500, 3500])),
                capacity=200,
                start_date=start,
                end_date=end,
                actor=ACTOR,
            )
            classes.append(
                services.class_create(
                    project=project, name="一班", start_date=start, end_date=end, actor=ACTOR
                )
            )
        plan.classes[(year, season)] = classes


def rosters(rng: random.Random, plan: Plan) -> tuple[int, int]:
    """Every class's trainees and their Saturday sign-ins, bulk-loaded (the demo worker is left out: their
    enrolments go through the services). Each year, one trainee of every town comes first, so the
    voucher use of every town shows redemptions."""
    from skillcity.core.audit import audit_record
    from skillcity.registry.models import Worker
    from skillcity.training.models import Attendance, Enrolment

    demo_id = plan.demo_worker.pk if plan.demo_worker else None
    workers = [row for row in Worker.objects.order_by("id").values_list("id", "town_id", "employer_id")]
    workers = [row for row in workers if row[0] != demo_id]
    by_town: dict[int, list[tuple[int, int, int | None]]] = defaultdict(list)
    for row in workers:
        by_town[row[1]].append(row)
    per_class = max(5, round(TRAINEES_PER_CLASS * scale()))
    enrolments: list[Enrolment] = []
    for year in YEARS:
        classes = plan.classes[(year, "spring")] + (plan.classes[(year, "autumn")] if year == 2025 else [])
        firsts = [rng.choice(rows) for _town, rows in sorted(by_town.items())]
        plan.town_firsts[year] = {row[0] for row in firsts}
        wanted = min(len(workers), per_class * len(classes))
        rest = rng.sample(workers, wanted)
        pool = list(dict.fromkeys([*firsts, *rest]))[:wanted]
        plan.trainees[year] = []
        for index, klass in enumerate(classes):
            project = klass.project
            for worker_id, _town_id, employer_id in pool[index :: len(classes)]:
                passed = rng.random() < 0.85
                plan.trainees[year].append((worker_id, klass))
                enrolments.append(
                    Enrolment(
                        training_class=klass,
                        provider_id=project.provider_id,
                        worker_id=worker_id,
                        town_id=project.town_id,
                        enrolled_on=klass.start_date,
                        status=Enrolment.Status.COMPLETED if passed else Enrolment.Status.FAILED,
                        completed_on=klass.end_date,
                        assessment_score=Decimal(rng.randint(60, 98) if passed else rng.randint(35, 59)),
                        certified_level=project.level if passed and rng.random() < 0.6 else None,
                        trainee_is_provider_employee=employer_id == project.provider_id,
                    )
                )
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)  # sets their ids (SQLite, PostgreSQL)
    sessions = {klass.pk: class_days(klass) for classes in plan.classes.values() for klass in classes}
    sign_ins: list[Attendance] = []
    for enrolment in enrolments:
        rate = 0.93 if enrolment.status == Enrolment.Status.COMPLETED else 0.6
        sign_ins += [
            Attendance(enrolment_id=enrolment.pk, day=day)
            for day in sessions[enrolment.training_class_id]
            if rng.random() < rate
        ]
    Attendance.objects.bulk_create(sign_ins, batch_size=5000)
    audit_record(
        actor=ACTOR,
        action="training.demo_load",
        target_type="training.enrolment",
        after={"enrolments": len(enrolments), "sign_ins": len(sign_ins)},
    )
    return len(enrolments), len(sign_ins)


def class_days(klass: Any) -> list[datetime.date]:
    """The class meets on Saturdays (the Saturday on or after its start, to its end)."""
    day = klass.start_date + datetime.timedelta(days=(5 - klass.start_date.weekday()) % 7)
    days = []
    while day <= klass.end_date:
        days.append(day)
        day += datetime.timedelta(days=7)
    return days


def worker_enrolments(plan: Plan) -> None:
    """The demo worker trains in spring 2024 and autumn 2025, signing in each Saturday (services)."""
    from skillcity.training import services

    worker = plan.demo_worker
    if worker is None:
        return
    spring = plan.classes[(2024, "spring")]
    choices = {"2024": spring[1 % len(spring)], "2025": plan.classes[(2025, "autumn")][0]}
    for key, klass in choices.items():
        enrolment = services.enrolment_create(
            training_class=klass, worker=worker, enrolled_on=klass.start_date, actor=ACTOR
        )
        for day in class_days(klass)[:-1]:  # missed the last Saturday
            services.attendance_sign_in(enrolment=enrolment, day=day, actor=ACTOR)
        plan.worker_enrolments[key] = enrolment


def worker_completions(plan: Plan) -> None:
    from skillcity.training import services

    for key, level in (("2024", 4), ("2025", 3)):
        enrolment = plan.worker_enrolments.get(key)
        if enrolment is not None:
            services.enrolment_complete(
                enrolment=enrolment,
                completed_on=enrolment.training_class.end_date,
                passed=True,
                assessment_score=Decimal("86"),
                certified_level=level,
                actor=ACTOR,
            )
