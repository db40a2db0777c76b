"""Demo step: 2021–2025 certification activity for the demo city (idempotent, deterministic, bulk).

Scale: the real city had ~168,000 certificates by 2023 over 1.4 million workers (catalog §11); the demo
city has ~20,000 workers, so a few thousand certificates; 468 certifying units (444 enterprises, 9 social
organisations, 15 schools) become a few dozen evaluators of the three kinds. Every certificate has a
proper number from the counters, a signed QR and the worker's skill record; some are revoked.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

# New certificates per year (growing, as T-CERT-ENTERPRISES and T-CERTIFICATES push), and the level mix:
# about a third at 高级工 or above (T-CERTIFICATES).
YEARLY_CERTIFICATES = {2021: 350, 2022: 500, 2023: 700, 2024: 850, 2025: 950}
LEVEL_WEIGHTS = {5: 30, 4: 36, 3: 24, 2: 8, 1: 2}
REVOKE_REASONS = ["考核材料弄虚作假", "冒名顶替参加考核", "评价机构违规发证，经核查撤销"]
MANUFACTURING_CODES = [
    "6-18-01-01",
    "6-18-01-01-02",
    "6-18-01-02-02",
    "6-18-02-04",
    "6-18-04-04",
    "6-20-01-01",
    "6-31-01-02",
    "6-31-01-03",
    "6-31-07-01",
    "6-30-99-00",
    "6-25-04-01",
    "6-25-04-10",
    "6-11-01-05",
    "6-31-01-01",
]
SERVICE_CODES = ["4-03-02-01", "4-03-02-02", "4-03-02-04", "4-10-01-02", "4-10-01-05", "4-10-01-06"]


def certification_demo_step(seed: int, stdout: Any) -> None:
    from skillcity.certification.models import Evaluator

    if Evaluator.objects.exists():
        return
    with transaction.atomic():
        count = _build(random.Random(seed + 7))
    _certify_demo_worker()
    stdout.write(f"  certification: {count} certificates")


def _certify_demo_worker() -> None:
    """The demo worker account gets a certificate through the services, so their page shows one."""
    from skillcity.accounts.models import User
    from skillcity.certification import services
    from skillcity.certification.models import Evaluator, EvaluatorKind
    from skillcity.core.errors import DomainError

    worker_user = User.objects.filter(username="worker").select_related("worker").first()
    bureau = User.objects.filter(username="bureau").first()
    if worker_user is None or worker_user.worker is None or bureau is None:
        return
    evaluator = (
        Evaluator.objects.filter(state=Evaluator.State.ACTIVE)
        .exclude(kind=EvaluatorKind.ENTERPRISE)
        .order_by("id")
        .first()
    )
    if evaluator is None:
        return
    for line in evaluator.scopes.select_related("occupation"):
        try:
            with transaction.atomic():
                session = services.session_create(
                    evaluator=evaluator,
                    occupation=line.occupation,
                    level=4,
                    kind="grading",
                    date=datetime.date(2024, 9, 1),
                    site="东莞市职业技能鉴定指导中心",
                    actor=bureau,
                )
                candidate = services.candidate_add(session=session, worker=worker_user.worker, actor=bureau)
                services.result_record(candidate=candidate, theory="82", practical="88", actor=bureau)
                services.certificates_issue(
                    session=session, actor=bureau, issued_on=datetime.date(2024, 9, 20)
                )
            return
        except DomainError:
            continue


def _build(rng: random.Random) -> int:
    from skillcity.certification import numbering, services, signing
    from skillcity.certification.models import (
        Candidate,
        Certificate,
        Evaluator,
        EvaluatorKind,
        EvaluatorScope,
        ExceptionalGrounds,
        Session,
    )
    from skillcity.core.audit import audit_record
    from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, SkillRecord, Worker

    occupations = {o.code: o for o in Occupation.objects.filter(code__in=MANUFACTURING_CODES + SERVICE_CODES)}
    manufacturing = [occupations[c] for c in MANUFACTURING_CODES if c in occupations]
    services_occ = [occupations[c] for c in SERVICE_CODES if c in occupations]
    if not manufacturing:
        return 0
    enterprises = list(
        Organisation.objects.filter(category=OrganisationCategory.ENTERPRISE)
        .annotate(staff=Count("employees"))
        .filter(staff__gte=5)
        .order_by("-staff", "id")[:30]
    )
    # The demo enterprise account's organisation certifies too, so its user sees sessions.
    from skillcity.accounts.models import User

    demo_org = User.objects.filter(username="enterprise").values_list("organisation_id", flat=True).first()
    if demo_org and demo_org not in {e.pk for e in enterprises}:
        enterprises = [Organisation.objects.get(pk=demo_org), *enterprises[:29]]  # type: ignore[list-item]
    others = list(
        Organisation.objects.filter(
            category__in=[
                OrganisationCategory.TRAINING_INSTITUTION,
                OrganisationCategory.INDUSTRY_ASSOCIATION,
            ]
        ).order_by("id")[:4]
    )
    schools = list(
        Organisation.objects.filter(category=OrganisationCategory.TECHNICAL_SCHOOL).order_by("id")[:3]
    )
    now = timezone.now()
    evaluators: list[Evaluator] = []
    plan = (
        [(o, EvaluatorKind.ENTERPRISE) for o in enterprises]
        + [(o, EvaluatorKind.SOCIAL_ORGANISATION) for o in others]
        + [(o, EvaluatorKind.TECHNICAL_SCHOOL) for o in schools]
    )
    for index, (organisation, kind) in enumerate(plan):
        evaluators.append(
            Evaluator(
                organisation=organisation,
                kind=kind,
                state=Evaluator.State.FILED,  # active below, once the pk gives the number codes
                provincial=kind == EvaluatorKind.SOCIAL_ORGANISATION and index % 2 == 0,
                qbank_filed=rng.random() < 0.3,
                filed_at=now,
                reviewed_at=now,
            )
        )
    Evaluator.objects.bulk_create(evaluators)
    evaluators = list(Evaluator.objects.select_related("organisation").order_by("id"))
    for evaluator in evaluators:
        evaluator.organisation_code = "0000" if evaluator.provincial else f"{evaluator.pk % 10000:04d}"
        evaluator.site_serial = f"19{evaluator.pk % 10000:04d}"
        evaluator.state = Evaluator.State.ACTIVE
    Evaluator.objects.bulk_update(evaluators, ["organisation_code", "site_serial", "state"])
    # Two waiting filings and one returned, for the bureau's queue.
    spare = Organisation.objects.filter(
        category=OrganisationCategory.ENTERPRISE, evaluator__isnull=True
    ).order_by("id")
    for organisation, state, note in zip(
        spare[:3],
        [Evaluator.State.FILED, Evaluator.State.FILED, Evaluator.State.RETURNED],
        ["", "", "评价范围与企业主营工种不符，请调整后重新提交"],
        strict=False,
    ):
        waiting = Evaluator.objects.create(
            organisation=organisation,
            kind=EvaluatorKind.ENTERPRISE,
            state=state,
            filed_at=now,
            review_note=note,
        )
        EvaluatorScope.objects.create(
            evaluator=waiting, occupation=manufacturing[0], highest_level=3, lowest_level=5
        )

    scopes: dict[int, list[tuple[Any, int]]] = {}
    scope_rows = []
    for evaluator in evaluators:
        pool = (
            services_occ
            if evaluator.kind == EvaluatorKind.SOCIAL_ORGANISATION and services_occ
            else manufacturing
        )
        chosen = rng.sample(pool, min(len(pool), rng.randint(2, 5)))
        top = 1 if evaluator.kind != EvaluatorKind.ENTERPRISE or rng.random() < 0.4 else 2
        scopes[evaluator.pk] = [(o, top) for o in chosen]
        scope_rows += [
            EvaluatorScope(evaluator=evaluator, occupation=o, highest_level=top, lowest_level=5)
            for o in chosen
        ]
    EvaluatorScope.objects.bulk_create(scope_rows)

    workers = list(Worker.objects.values_list("id", "employer_id", "name", "id_number", "highest_level"))
    by_employer: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for worker_id, employer_id, name, id_number, _level in workers:
        if employer_id:
            by_employer[employer_id].append((worker_id, name, id_number))
    everyone = [(w, n, i) for w, _e, n, i, _lv in workers]
    best_level = {w: lv for w, _e, _n, _i, lv in workers}
    held: dict[tuple[int, int], int] = {}  # (worker, occupation) -> best level from these certificates
    used: set[tuple[int, int, int]] = set()  # (worker, occupation, level)

    key = signing.signing_key()
    kid = signing.key_id(key.public_key())
    levels, weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
    certificates: list[Certificate] = []
    records: list[SkillRecord] = []
    total = 0
    # Volumes scale with the city: the demo city (~20,000 workers) gets YEARLY_CERTIFICATES as listed.
    scale = min(1.0, len(workers) / 20_000)
    for year, full_target in YEARLY_CERTIFICATES.items():
        target = max(1, round(full_target * scale))
        issued_this_year = 0
        attempts = 0
        # Bounded: a small city can run out of eligible candidates before reaching the target.
        while issued_this_year < target and attempts < 20 * target:
            attempts += 1
            evaluator = rng.choice(evaluators)
            occupation, top = rng.choice(scopes[evaluator.pk])
            level = max(top, rng.choices(levels, weights)[0])
            promotion = level <= 4 and rng.random() < 0.35
            date = datetime.date(year, rng.randint(1, 11), rng.randint(1, 28))
            session = Session.objects.create(
                evaluator=evaluator,
                occupation=occupation,
                level=level,
                kind=Session.Kind.PROMOTION if promotion else Session.Kind.GRADING,
                date=date,
                site=f"{evaluator.organisation.name}考核站",
                state=Session.State.CERTIFIED,
            )
            people = (
                by_employer.get(evaluator.organisation_id, [])
                if evaluator.kind == EvaluatorKind.ENTERPRISE
                else everyone
            )
            if not people:
                continue
            wanted = rng.randint(8, 30)
            picked: list[tuple[tuple[int, str, str], str]] = []
            for person in rng.sample(people, min(len(people), wanted * 3)):
                worker_id = person[0]
                if (worker_id, occupation.pk, level) in used:
                    continue
                current = held.get((worker_id, occupation.pk))
                if current is not None and current <= level:
                    continue
                grounds = ""
                if promotion and current != level + 1:
                    if rng.random() < 0.05 and level <= 3:
                        grounds = rng.choice(ExceptionalGrounds.values)  # 破格, with its recorded grounds
                    else:
                        continue
                picked.append((person, grounds))
                if len(picked) >= wanted:
                    break
            if not picked:
                session.delete()
                continue
            candidates: list[Candidate] = []
            for (worker_id, _name, _id), grounds in picked:
                theory = Decimal(rng.randint(45, 98))
                practical = Decimal(rng.randint(50, 99))
                result, overall = services.result_of(theory, practical)
                candidates.append(
                    Candidate(
                        session=session,
                        worker_id=worker_id,
                        theory_score=theory,
                        practical_score=practical,
                        overall_score=overall,
                        result=result,
                        exceptional_grounds=grounds,
                        exceptional_note="2023年获广东省职业技能大赛奖项（演示数据）" if grounds else "",
                    )
                )
            Candidate.objects.bulk_create(candidates)
            passed = [c for c in candidates if c.result == Candidate.Result.PASSED]
            if not passed:
                continue
            issued_on = min(date + datetime.timedelta(days=rng.randint(14, 40)), datetime.date(year, 12, 31))
            prefix = numbering.number_prefix(evaluator=evaluator, year=year, level=level)
            first = numbering.serial_allocate(prefix, len(passed))
            names = {w: (n, i) for (w, n, i), _g in picked}
            for offset, candidate in enumerate(passed):
                name, _id_number = names[candidate.worker_id]
                certificate = Certificate(
                    number=numbering.number_format(prefix, first + offset),
                    candidate=candidate,
                    worker_id=candidate.worker_id,
                    evaluator=evaluator,
                    occupation=occupation,
                    level=level,
                    issued_on=issued_on,
                    holder_name=name,
                    key_id=kid,
                )
                certificate.worker = Worker(
                    pk=candidate.worker_id, name=name, id_number=names[candidate.worker_id][1]
                )
                certificate.qr_token = signing.sign_payload(services.qr_payload(certificate), key)
                certificates.append(certificate)
                records.append(
                    SkillRecord(
                        worker_id=candidate.worker_id,
                        kind=SkillRecord.Kind.SKILL_LEVEL,
                        occupation=occupation,
                        level=level,
                        obtained_on=issued_on,
                        certificate_number=certificate.number,
                    )
                )
                held[(candidate.worker_id, occupation.pk)] = level
                used.add((candidate.worker_id, occupation.pk, level))
                known = best_level.get(candidate.worker_id)
                if known is None or level < known:
                    best_level[candidate.worker_id] = level
            issued_this_year += len(passed)
        total += issued_this_year

    SkillRecord.objects.bulk_create(records, batch_size=1000)
    record_ids = dict(
        SkillRecord.objects.filter(certificate_number__in=[c.number for c in certificates]).values_list(
            "certificate_number", "id"
        )
    )
    for certificate in certificates:
        certificate.skill_record_id = record_ids[certificate.number]
    # A few revoked, with their reasons; the skill record is marked, not deleted.
    revoked_numbers = set()
    for certificate in rng.sample(certificates, max(1, len(certificates) // 200)):
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_on = certificate.issued_on + datetime.timedelta(days=rng.randint(30, 200))
        certificate.revoked_on = min(certificate.revoked_on, datetime.date(2025, 12, 31))
        certificate.revoked_reason = rng.choice(REVOKE_REASONS)
        revoked_numbers.add(certificate.number)
    Certificate.objects.bulk_create(certificates, batch_size=1000)
    SkillRecord.objects.filter(certificate_number__in=revoked_numbers).update(name="【已撤销】")
    # highest_level from the records that still stand (the generator's own records included).
    standing = (
        SkillRecord.objects.filter(kind=SkillRecord.Kind.SKILL_LEVEL, level__isnull=False)
        .exclude(certificate__status=Certificate.Status.REVOKED)
        .values_list("worker_id", "level")
    )
    touched = {c.worker_id for c in certificates}
    best: dict[int, int] = {}
    for worker_id, standing_level in standing.filter(worker_id__in=touched):
        if standing_level is not None:
            best[worker_id] = min(standing_level, best.get(worker_id, 9))
    changed = [Worker(pk=w, highest_level=best.get(w)) for w in touched]
    Worker.objects.bulk_update(changed, ["highest_level"], batch_size=1000)
    audit_record(
        actor="demo",
        action="certification.demo_load",
        target_type="certification.certificate",
        after={
            "evaluators": len(evaluators),
            "certificates": len(certificates),
            "revoked": len(revoked_numbers),
        },
    )
    return total
