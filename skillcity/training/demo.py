"""Demo step: 2023–2025 training activity for the demo city, and the state it leaves today.

Events are dated inside the policies' validity (2022–2025); what a visitor finds today is what that
history leaves behind, plus vouchers valid now. Built through the services — the catalog import, project
and class creation, voucher issue, redemption (one call each), expiry, settlement, approval, payment —
except the classes' rosters and weekly sign-ins, which are history at volume and are bulk-loaded with one
audit row, as the registry's and certification's demo loads are. The demo worker's own enrolments,
sign-ins and completions go through the services one by one.

Idempotent (does nothing when projects exist) and deterministic from the seed, except the vouchers
valid today, whose validity is counted from the day of the build.
"""

from __future__ import annotations

import datetime
import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillcity.core.periods import HalfYear

ACTOR = "demo"
YEARS = (2023, 2024, 2025)
PROVIDERS = 12  # the demo enterprise, training institutions and enterprises that train their staff
AUTUMN_PROVIDERS = 6  # also run an autumn 2025 class, settled in 2025H2 (waiting for approval)
TRAINEES_PER_CLASS = 50  # at the demo scale of 20,000 workers; fewer in a smaller city
VOUCHERS_PER_YEAR = 2000  # idem
CURRENT_VOUCHERS = 1500  # idem: valid today
# Occupations the projects train for: Dongguan's manufacturing and service trades (groups 4 and 6).
PROJECT_OCCUPATIONS = [
    "6-18-01-01",
    "6-18-01-02-02",
    "6-18-02-04",
    "6-18-04-04",
    "6-20-01-01",
    "6-31-01-03",
    "6-31-07-01",
    "6-30-99-00",
    "6-25-04-01",
    "6-25-04-10",
    "6-11-01-05",
    "4-03-02-01",
    "4-10-01-05",
    "4-10-01-06",
    "4-04-05-05",
]
# D003 names "2023年东莞市急需紧缺工种目录（3-6类）": occupations of the classification's major groups 3–6.
MAJOR_GROUPS = {"3": "第三大类", "4": "第四大类", "5": "第五大类", "6": "第六大类"}
CATALOG_SIZE = 20


@dataclass
class _Plan:
    """What the step has made so far, for the steps after it."""

    today: datetime.date
    providers: list[Any]
    demo_worker: Any  # the demo account's Worker, or None
    classes: dict[tuple[int, str], list[Any]] = field(default_factory=dict)  # (year, season) → classes
    trainees: dict[int, list[tuple[int, Any]]] = field(default_factory=dict)  # year → (worker_id, class)
    town_firsts: dict[int, set[int]] = field(default_factory=dict)  # year → one trainee per town
    worker_enrolments: dict[str, Any] = field(default_factory=dict)  # "2024"/"2025" → demo worker's


def training_demo_step(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.registry.models import Occupation, Worker
    from skillcity.training.models import TrainingProject

    if TrainingProject.objects.exists():
        return
    providers = _providers()
    wanted = list(Occupation.objects.filter(code__in=PROJECT_OCCUPATIONS, active=True).order_by("code"))
    occupations = wanted or list(Occupation.objects.filter(active=True).order_by("id")[:15])
    if not providers or not occupations or not Worker.objects.exists():
        return
    rng = random.Random(seed)
    worker_user = User.objects.filter(username="worker").select_related("worker").first()
    plan = _Plan(
        today=timezone.localdate(),
        providers=providers,
        demo_worker=worker_user.worker if worker_user else None,
    )
    # One transaction: a build stopped half-way leaves no training data, and the next start builds it.
    with transaction.atomic():
        catalog = _shortage_catalog(rng, occupations)
        _projects(rng, plan, occupations, catalog)
        enrolments, sign_ins = _rosters(rng, plan)
        _demo_worker_enrolments(plan)
        redeemed = _vouchers_history(rng, plan)
        _demo_worker_completions(plan)
        from skillcity.training import services

        expired = services.vouchers_expire(today=plan.today, actor=ACTOR)
        current = _vouchers_current(rng, plan)
        waiting = _settlements(plan)
    stdout.write(
        f"  training: {enrolments} enrolments, {sign_ins} sign-ins, {redeemed} vouchers redeemed, "
        f"{expired} expired, {current} valid today, {waiting} settlements waiting for approval"
    )


def _providers() -> list[Any]:
    from skillcity.accounts.models import User
    from skillcity.registry.models import Organisation, OrganisationCategory

    demo_org = User.objects.filter(username="enterprise").values_list("organisation_id", flat=True).first()
    institutions = Organisation.objects.filter(category=OrganisationCategory.TRAINING_INSTITUTION)
    enterprises = Organisation.objects.filter(category=OrganisationCategory.ENTERPRISE)
    chosen: list[Any] = list(Organisation.objects.filter(pk=demo_org)) if demo_org else []
    for organisation in [*institutions.order_by("id")[:9], *enterprises.order_by("id")[:PROVIDERS]]:
        if len(chosen) >= PROVIDERS:
            break
        if organisation.pk != demo_org:
            chosen.append(organisation)
    return chosen


def _shortage_catalog(rng: random.Random, project_occupations: list[Any]) -> dict[int, set[int]]:
    """The 2023–2025 catalogs through the import service, marked as demo values; year → occupation ids.
    Each year keeps most of the year before and adds a few, as a yearly catalog does."""
    from openpyxl import Workbook

    from skillcity.registry.models import Occupation
    from skillcity.training import services

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
        book = Workbook()
        sheet = book.active
        sheet.append(["职业编码", "类别"])
        for occupation in sorted(chosen, key=lambda o: o.code):
            sheet.append([occupation.code, MAJOR_GROUPS[occupation.code[0]]])
        content = io.BytesIO()
        book.save(content)
        services.shortage_catalog_import(year=year, file=content.getvalue(), actor=ACTOR, is_demo_value=True)
        catalog[year] = {o.pk for o in chosen}
    return catalog


def _projects(rng: random.Random, plan: _Plan, occupations: list[Any], catalog: dict[int, set[int]]) -> None:
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


def _scale() -> float:
    from skillcity.registry.models import Worker

    return min(1.0, Worker.objects.count() / 20_000)


def _rosters(rng: random.Random, plan: _Plan) -> tuple[int, int]:
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
    per_class = max(5, round(TRAINEES_PER_CLASS * _scale()))
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
    sessions = {klass.pk: _sessions(klass) for classes in plan.classes.values() for klass in classes}
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


def _sessions(klass: Any) -> list[datetime.date]:
    """The class meets on Saturdays (the Saturday on or after its start, to its end)."""
    day = klass.start_date + datetime.timedelta(days=(5 - klass.start_date.weekday()) % 7)
    days = []
    while day <= klass.end_date:
        days.append(day)
        day += datetime.timedelta(days=7)
    return days


def _demo_worker_enrolments(plan: _Plan) -> None:
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
        for day in _sessions(klass)[:-1]:  # missed the last Saturday
            services.attendance_sign_in(enrolment=enrolment, day=day, actor=ACTOR)
        plan.worker_enrolments[key] = enrolment


def _demo_worker_completions(plan: _Plan) -> None:
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


def _vouchers_history(rng: random.Random, plan: _Plan) -> int:
    """A batch a year (face value and validity are demo values, TRN-VOUCHER) to 40% of the trainees, every
    town's first trainee and others across the city; half the trainees holding one redeem it at enrolment
    (every town's first trainee does: each town's voucher use shows redemptions).
    The demo worker holds each: 2023's unused (expires), 2024's and 2025's redeemed at their classes."""
    from skillcity.registry.models import Worker
    from skillcity.training import services
    from skillcity.training.models import Enrolment, Voucher

    all_ids = list(Worker.objects.values_list("id", flat=True))
    target = max(10, round(VOUCHERS_PER_YEAR * _scale()))
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


def _vouchers_current(rng: random.Random, plan: _Plan) -> int:
    """Vouchers valid today: a batch issued in December 2025 to part of the city, valid for half a year
    from today, and a small reissue that runs out in 12 days (the demo worker holds one of each)."""
    from skillcity.registry.models import Worker
    from skillcity.training import services

    issued_on = min(datetime.date(2025, 12, 1), plan.today)
    all_ids = list(Worker.objects.values_list("id", flat=True))
    sample = set(rng.sample(all_ids, min(len(all_ids), max(10, round(CURRENT_VOUCHERS * _scale())))))
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


def _settlements(plan: _Plan) -> int:
    """2023H1 and 2024H1 paid; 2025H1 paid for half the providers, approved and awaiting payment for the
    other half; 2025H2 (the autumn classes) calculated and waiting for the bureau's approval."""
    from skillcity.training import services

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
            settlement = services.settlement_approve(settlement=settlement, actor=ACTOR)
            if period == HalfYear(2025, 1) and index % 2:
                continue
            services.settlement_pay(
                settlement=settlement, idempotency_key=f"demo-settlement-{settlement.pk}", actor=ACTOR
            )
    return waiting
