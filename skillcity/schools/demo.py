"""Demo data of the schools (issue 17 §8): 8 technical schools with about 27,000 students.

Each school is a registry Organisation of category 技工院校 (the demo city's own, topped up to eight),
five public and three private, with 8–12 majors (about 92% training with enterprises, two demonstration
majors per private school), rolls for 2023–2025 written with bulk_create (about 27,000 students a year,
about 45% in advanced classes or above), graduation records of registered workers, international course
classes with certificates, public schools' social-training reports, and EDU applications made from these
records and moved along grants (in review, approved, paid). A school account `school` (password as the
other demo accounts) opens the first private school.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction

SCHOOLS = 8
STUDENTS_PER_YEAR = 27_000
YEARS = (2023, 2024, 2025)
PRIVATE = 3
MAJORS = [
    ("数控技术应用", "strategic_emerging"),
    ("工业机器人应用与维护", "strategic_emerging"),
    ("新能源汽车维修", "strategic_emerging"),
    ("电子技术应用", "strategic_emerging"),
    ("智能制造技术应用", "strategic_emerging"),
    ("模具制造", "five_pillars_four_specialties"),
    ("服装设计与制作", "five_pillars_four_specialties"),
    ("家具设计与制作", "five_pillars_four_specialties"),
    ("食品加工工艺", "five_pillars_four_specialties"),
    ("电气自动化设备安装与维修", "strategic_emerging"),
    ("计算机网络应用", "none"),
    ("烹饪（中式烹调）", "none"),
]
# Share of a major's students by year of study and class kind (sums to 1; ≈45% advanced or above).
PLAN = [
    (1, "intermediate", 0.20),
    (2, "intermediate", 0.18),
    (3, "intermediate", 0.17),
    (1, "hs_advanced", 0.08),
    (2, "advanced", 0.10),
    (3, "advanced", 0.09),
    (4, "advanced", 0.08),
    (4, "preparatory_technician", 0.05),
    (5, "preparatory_technician", 0.05),
]
# About 9,000 graduates a year over the 8 schools (issue 19 §7), weighted by each school's size.
GRADUATES_PER_SCHOOL = {2024: 1100, 2025: 1125}
SCHOOL_USERNAME = "school"


def _organisations(rng: random.Random) -> list[Any]:
    from skillcity.registry.generate.city import _uscc
    from skillcity.registry.models import Organisation, OrganisationCategory, Town

    found = list(
        Organisation.objects.filter(
            category=OrganisationCategory.TECHNICAL_SCHOOL, school__isnull=True
        ).order_by("id")[:SCHOOLS]
    )
    towns = list(Town.objects.order_by("id"))
    serial = 0
    while len(found) < SCHOOLS and towns:
        town = towns[(len(found) * 3) % len(towns)]
        serial += 1
        name = f"东莞市{town.name.removesuffix('镇').removesuffix('街道')}技工学校"
        if Organisation.objects.filter(name=name).exists():
            name = f"{name}（{serial}）"
        found.append(
            Organisation.objects.create(
                category=OrganisationCategory.TECHNICAL_SCHOOL,
                name=name,
                uscc=_uscc("52", 917_000 + rng.randrange(10**6) * 31 + serial),
                town=town,
                total_staff=200,
                managers=20,
            )
        )
    return found


def schools_demo(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import Role, User
    from skillcity.schools.models import School

    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        stdout.write("  schools: no bureau account, skipped\n")
        return
    if School.objects.exists():
        stdout.write("  schools: already present, skipped\n")
        return
    rng = random.Random(seed * 1_000_003 + 17)
    with transaction.atomic():
        schools = _records(rng, bureau)
    first_private = next(s for s in schools if s.is_private)
    if not User.objects.filter(username=SCHOOL_USERNAME).exists():
        from skillcity.accounts.services import user_create
        from skillcity.demo import DEMO_PASSWORD

        user_create(
            username=SCHOOL_USERNAME,
            password=DEMO_PASSWORD,
            role=Role.ORGANISATION_USER,
            actor=bureau,
            display_name="技工院校 演示经办人",
            organisation=first_private.organisation,
        )
    apps = _money(rng, schools, bureau)
    from skillcity.schools.selectors import progress

    p = progress(2025)
    stdout.write(
        f"  schools: {len(schools)} technical schools, {p.students:,} students in 2025 "
        f"({p.advanced:,} advanced or above), {p.graduates:,} graduates in 2025, {apps} EDU applications; "
        f"school account: {SCHOOL_USERNAME} ({first_private.organisation.name})\n"
    )


def _records(rng: random.Random, bureau: Any) -> list[Any]:
    from skillcity.core.audit import audit_record
    from skillcity.registry.models import Worker
    from skillcity.schools.models import (
        Graduation,
        InternationalClass,
        InternationalStudent,
        Major,
        Ownership,
        RollCount,
        RollImport,
        School,
        SchoolKind,
        SocialTrainingReport,
    )

    organisations = _organisations(rng)
    schools = School.objects.bulk_create(
        School(
            organisation=o,
            kind=SchoolKind.TECHNICAL,
            ownership=Ownership.PRIVATE if i >= SCHOOLS - PRIVATE else Ownership.PUBLIC,
        )
        for i, o in enumerate(organisations)
    )
    schools = list(School.objects.filter(pk__in=[s.pk for s in schools]).select_related("organisation"))
    majors: list[Major] = []
    for school in schools:
        picked = rng.sample(MAJORS, rng.randint(8, 12))
        for j, (name, fit) in enumerate(picked):
            majors.append(
                Major(
                    school=school,
                    name=name,
                    code=f"{j + 1:04d}",
                    industry_fit=fit,
                    enterprise_training=rng.random() < 0.92,
                    demonstration=school.is_private and j < 2,
                )
            )
    Major.objects.bulk_create(majors)
    by_school: dict[int, list[Major]] = {}
    for major in Major.objects.filter(school__in=schools).order_by("id"):
        by_school.setdefault(major.school_id, []).append(major)
    weights = [rng.uniform(0.7, 1.3) for _ in schools]
    counts: list[RollCount] = []
    for year in YEARS:
        growth = 1 + 0.01 * (year - YEARS[0])
        for school, weight in zip(schools, weights, strict=True):
            school_students = STUDENTS_PER_YEAR * growth * weight / sum(weights)
            school_majors = by_school[school.pk]
            run = RollImport.objects.create(
                school=school,
                year=year,
                filename=f"{year}年在校生名册.xlsx",
                rows=0,
                students=0,
                imported_by=bureau,
            )
            rows = [
                RollCount(
                    school=school,
                    major=major,
                    roll_import=run,
                    year=year,
                    year_of_study=grade,
                    class_kind=kind,
                    students=max(
                        0, round(school_students / len(school_majors) * share * rng.uniform(0.85, 1.15))
                    ),
                )
                for major in school_majors
                for grade, kind, share in PLAN
            ]
            counts.extend(rows)
            RollImport.objects.filter(pk=run.pk).update(
                rows=len(rows), students=sum(r.students for r in rows)
            )
    RollCount.objects.bulk_create(counts, batch_size=2000)
    # Graduates: registered workers, in the class kinds of the final years.
    needed = sum(GRADUATES_PER_SCHOOL.values()) * len(schools)
    worker_ids = list(Worker.objects.order_by("-id").values_list("id", flat=True)[: needed + 400])
    rng.shuffle(worker_ids)
    reserved = min(200, len(worker_ids) // 4)  # international students
    spare, worker_ids = worker_ids[:reserved], worker_ids[reserved:]
    graduations: list[Graduation] = []
    kinds = ["intermediate"] * 5 + ["advanced"] * 3 + ["preparatory_technician"] + ["hs_advanced"]
    cursor = 0
    for year, per_school in GRADUATES_PER_SCHOOL.items():
        for school, weight in zip(schools, weights, strict=True):
            for _ in range(round(per_school * weight * len(schools) / sum(weights))):
                if cursor >= len(worker_ids):
                    break
                graduations.append(
                    Graduation(
                        school=school,
                        major=rng.choice(by_school[school.pk]),
                        worker_id=worker_ids[cursor],
                        class_kind=rng.choice(kinds),
                        graduated_on=datetime.date(year, 6, 30),
                        certificate_number=f"{school.pk:02d}{year}{cursor:06d}",
                        recorded_by=bureau,
                    )
                )
                cursor += 1
    Graduation.objects.bulk_create(graduations, batch_size=2000)
    # International course classes (two schools), their students (registered workers) and certificates.
    students: list[InternationalStudent] = []
    for school, curriculum in zip(
        schools[-PRIVATE:], ("德国AHK双元制", "英国BTEC", "澳大利亚TAFE"), strict=True
    ):
        for year in (2024, 2025):
            klass = InternationalClass.objects.create(
                school=school,
                major=by_school[school.pk][0],
                name=f"{by_school[school.pk][0].name}国际班",
                year=year,
                curriculum=curriculum,
            )
            for _ in range(rng.randint(24, 32)):
                if not spare:
                    break
                held = year == 2024 and rng.random() < 0.6
                students.append(
                    InternationalStudent(
                        intl_class=klass,
                        worker_id=spare.pop(),
                        certificate_name=f"{curriculum}职业资格证书" if held else "",
                        certificate_number=f"INTL{klass.pk:03d}{len(students):04d}" if held else "",
                        certificate_date=datetime.date(2025, 1, 15) if held else None,
                    )
                )
    InternationalStudent.objects.bulk_create(students)
    SocialTrainingReport.objects.bulk_create(
        SocialTrainingReport(
            school=school,
            year=year,
            income=Decimal(rng.randrange(300_000, 2_000_000, 1000)),
            costs=Decimal(rng.randrange(100_000, 280_000, 1000)),
            person_times=rng.randrange(1500, 9000),
            filed_by=bureau,
        )
        for school in schools
        if not school.is_private
        for year in YEARS
    )
    audit_record(
        actor=bureau,
        action="schools.demo",
        target_type="schools.school",
        target_id="demo",
        target_label="演示数据",
        after={"schools": len(schools), "roll_rows": len(counts), "graduations": len(graduations)},
    )
    return schools


def _money(rng: random.Random, schools: list[Any], bureau: Any) -> int:
    """EDU applications made from the records (by the school's user, as on its page), moved along grants."""
    from skillcity.accounts.models import Role, User
    from skillcity.core.errors import DomainError
    from skillcity.schools.models import InternationalStudent
    from skillcity.schools.services import grants as school_grants

    made: list[tuple[Any, str]] = []
    targets = ["paid", "approved", "in_review", "paid", "reviewed", "in_review"]
    for school in schools:
        actor = (
            User.objects.filter(organisation=school.organisation, role=Role.ORGANISATION_USER).first()
            or bureau
        )
        attempts: list[Any] = []
        majors = list(school.majors.order_by("id"))
        if school.is_private:
            attempts += [
                partial(school_grants.demo_major_apply, actor=actor, major=m, year=2024)
                for m in majors
                if m.demonstration
            ]
        attempts += [
            partial(school_grants.major_build_apply, actor=actor, major=m, year=2024, requested="450000")
            for m in [m for m in majors if m.industry_fit != "none"][:1]
        ]
        if school.international_classes.filter(year=2024).exists():
            attempts.append(partial(school_grants.intl_class_apply, actor=actor, school=school, year=2024))
            certified = InternationalStudent.objects.filter(intl_class__school=school).exclude(
                certificate_number=""
            )
            attempts += [
                partial(school_grants.intl_cert_apply, actor=actor, student=s) for s in certified[:3]
            ]
        report = school.social_reports.filter(year=2024).first()
        if report is not None:
            attempts.append(partial(school_grants.social_training_apply, actor=actor, report=report))
        for attempt in attempts:
            try:
                app = attempt()
            except DomainError:
                continue
            made.append((app, targets[len(made) % len(targets)]))
    for i, (app, target) in enumerate(made):
        _advance(app, target, bureau, i)
    return len(made)


def _advance(app: Any, target: str, bureau: Any, i: int) -> None:
    from django.contrib.auth.models import Group

    from skillcity.core.errors import DomainError
    from skillcity.grants import flows
    from skillcity.grants import services as grants
    from skillcity.grants.demo import town_officer_for

    if target == "in_review":
        return
    bureau.groups.add(Group.objects.get_or_create(name=flows.FINANCE_GROUP)[0])
    try:
        for stage in flows.stages_for(app.rule_id):
            actor = town_officer_for(app.town) if stage.role == "town_officer" else bureau
            app = grants.application_review_pass(application=app, actor=actor)
        if target == "reviewed":
            return
        grants.notice_start(application=app, actor=bureau, start=app.event_date + datetime.timedelta(days=30))
        app = grants.application_approve(
            application=app, actor=bureau, today=app.event_date + datetime.timedelta(days=60)
        )
        if target == "paid":
            grants.payment_make(application=app, actor=bureau, idempotency_key=f"demo-schools-{app.pk}")
    except DomainError:
        return  # the demo moves what the rules let it; a refused step leaves the application where it is
