"""Demo data for leading talents and exceptional promotion (issue 16 item 7).

D003 §一(六): 12 recognised in 2022; in 2023, 120 applications and 25 recognised. Each year's call goes
through the services: formal check, a panel of registry workers (conflicts skipped), every member's
sheet, the shortlist into the grants notice, recognition after it. Subsidies in various states (living paid
or approved, home purchase paid or in review, employer rewards), rent schedules running (the job's last
three months paid), one paused, one ended on a home purchase; a 2025 call under review whose panel
includes the demo worker; exceptional promotions submitted, admitted, refused and placed into a session.

The applications themselves are rows made here for the registry's workers (no account per applicant);
the demo worker's is one of them. Idempotent: nothing is made when a call exists.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

YEARS = ((2022, 40, 12), (2023, 120, 25))  # year, applications, recognised
PANEL_SIZE = 6
SHEETS_PER_APPLICATION = 3


def _expert_user(worker: Any) -> Any:
    from skillcity.accounts.models import Role, User

    user = User.objects.filter(worker=worker).first()
    if user is None:
        user = User(username=f"expert{worker.pk}", role=Role.WORKER, worker=worker, display_name=worker.name)
        user.set_unusable_password()  # experts sign in through their own accounts; the demo scores for them
        user.save()
    return user


def _points(rng: random.Random, criteria: list[dict[str, Any]], strength: float) -> dict[str, str]:
    points = {}
    for c in criteria:
        raw = round(c["max"] * (strength + rng.uniform(-0.12, 0.12)), 1)
        points[c["code"]] = str(max(0.0, min(float(c["max"]), raw)))
    return points


def _pick_workers(rng: random.Random, n: int, exclude: set[int]) -> list[Any]:
    from skillcity.registry.models import Worker

    pool = list(
        Worker.objects.filter(highest_level__lte=3, employer__isnull=False)
        .exclude(pk__in=exclude)
        .order_by("id")
        .values_list("pk", flat=True)[:3000]
    )
    rng.shuffle(pool)
    chosen = pool[:n]
    exclude.update(chosen)
    return list(Worker.objects.filter(pk__in=chosen).select_related("employer").order_by("id"))


def _call_year(
    rng: random.Random,
    bureau: Any,
    year: int,
    applicants: list[Any],
    recognised: int,
    experts: list[tuple[Any, Any]],
    boost: frozenset[int] = frozenset(),
) -> list[Any]:
    from skillcity.talents.models.leading import LeadingApplication
    from skillcity.talents.services import leading

    call = leading.call_create(
        actor=bureau,
        year=year,
        title=f"{year}年东莞市技能领军人才认定",
        opens_on=datetime.date(year, 3, 1),
        closes_on=datetime.date(year, 4, 30),
        quota=recognised,
    )
    members = [leading.panel_member_add(actor=bureau, call=call, worker=w) for w, _u in experts]
    users = {m.pk: u for m, (_w, u) in zip(members, experts, strict=True)}
    from skillcity.registry.models import SkillRecord
    from skillcity.registry.services import skill_record_add

    titles = list(leading.TITLE_ROUTE)
    apps = []
    for i, worker in enumerate(applicants):
        if i % 8 == 3:  # a national or provincial title, so the D002 item 13 route shows
            skill_record_add(
                worker=worker,
                kind=SkillRecord.Kind.HONOUR,
                actor=bureau,
                obtained_on=datetime.date(year - 1, 11, 1),
                honour=titles[(i // 8) % len(titles)],
            )
        records = leading.applicant_records(worker, datetime.date(year, 3, 15))
        by_unit = i % 3 == 0
        apps.append(
            LeadingApplication.objects.create(
                call=call,
                worker=worker,
                unit=worker.employer,
                by_unit=by_unit,
                introduced_on=datetime.date(year - 1, 9, 1) if by_unit and i % 2 == 0 else None,
                grounds="长期在生产一线从事关键工序，主持解决多项工艺难题，传技带徒成效显著。（演示）",
                records=records,
                route=leading.title_route(records),
                created_by=bureau,
            )
        )
    strengths = {a.pk: 1.0 if a.worker_id in boost else rng.random() for a in apps}
    in_panel = []
    for a in apps:
        passed = rng.random() > 0.08
        leading.formal_check(
            actor=bureau, application=a, passed=passed, note="" if passed else "缺少单位推荐意见（演示）"
        )
        if passed:
            in_panel.append(a)
    for a in in_panel:
        given = 0
        for m in rng.sample(members, len(members)):
            if given == SHEETS_PER_APPLICATION or leading.conflict_reason(m, a):
                continue
            assignment = leading.assign(actor=bureau, application=a, member=m)
            leading.scores_submit(
                actor=users[m.pk],
                assignment=assignment,
                points=_points(rng, call.criteria, 0.5 + strengths[a.pk] * 0.45),
            )
            given += 1
    ranked = sorted(in_panel, key=lambda a: leading.average_score(a) or 0, reverse=True)
    notice_day, recognition_day = datetime.date(year, 5, 20), datetime.date(year, 6, 30)
    made = []
    for rank, a in enumerate(ranked):
        if rank < recognised and a.assignments.exists():
            living = Decimal(150000 + 10000 * round(15 * strengths[a.pk]))
            leading.shortlist(actor=bureau, application=a, living_amount=living, day=notice_day)
            made.append(leading.recognise(actor=bureau, application=a, day=recognition_day))
        else:
            leading.not_shortlisted(actor=bureau, application=a, reason="综合评分未进入本年度名额（演示）")
    return made


def _subsidies(
    rng: random.Random, bureau: Any, recognitions: list[Any], today: datetime.date, demo_worker_id: int | None
) -> None:
    from skillcity.grants import services as grants
    from skillcity.talents.models.leading import RentEndReason
    from skillcity.talents.services import leading, rent

    to_end: list[Any] = []
    to_pause: list[Any] = []
    for i, r in enumerate(recognitions):
        living = leading.living_application(r.application)
        if living is not None and (r.year == 2022 or i % 5):
            grants.payment_make(
                application=living,
                actor=bureau,
                idempotency_key=f"demo-living-{r.pk}",
                treasury_reference=f"GK{r.year}{r.pk:05d}",
            )
        day = datetime.date(r.year, 9, 1)
        demo = r.worker_id == demo_worker_id
        if i % 6 == 1 and not demo:
            home = leading.home_purchase_claim(
                actor=bureau,
                recognition=r,
                requested=Decimal(1000000 + 500000 * (i % 5)),
                proof=_demo_file(f"购房合同-{r.number}.pdf"),
                day=day,
            )
            if r.year == 2022:
                grants.application_review_pass(
                    application=home,
                    actor=bureau,
                    amount=home.requested_amount,
                    reason="按购房合同核定（演示）",
                )
                grants.notice_start(application=home, actor=bureau, start=day)
                grants.application_approve(
                    application=home, actor=bureau, today=datetime.date(r.year, 10, 20)
                )
                grants.payment_make(
                    application=home,
                    actor=bureau,
                    idempotency_key=f"demo-home-{r.pk}",
                    treasury_reference=f"GH{r.pk:05d}",
                )
        if r.application.introduced_on and i % 2 == 0:
            reward = leading.employer_reward_claim(
                actor=bureau, recognition=r, requested=Decimal("400000"), day=day
            )
            if r.year == 2022:
                grants.application_review_pass(
                    application=reward, actor=bureau, reason="引进技能领军人才（演示）"
                )
                grants.notice_start(application=reward, actor=bureau, start=day)
                grants.application_approve(
                    application=reward, actor=bureau, today=datetime.date(r.year, 10, 20)
                )
                grants.payment_make(
                    application=reward,
                    actor=bureau,
                    idempotency_key=f"demo-reward-{r.pk}",
                    treasury_reference=f"GR{r.pk:05d}",
                )
        if demo or (i % 6 != 1 and i % 4 != 3):
            # Set up when the talent began renting: the last three months (paid by the job below).
            schedule = rent.schedule_create(
                actor=bureau,
                recognition=r,
                monthly_amount=Decimal(2000 + 500 * (i % 7)),
                first_month=rent.add_months(rent.month_start(today), -2),
                months=36 + 12 * (i % 3),
                day=rent.add_months(rent.month_start(today), -2),
            )
            if demo:
                continue
            if i % 11 == 5:
                to_end.append(schedule)
            elif i % 13 == 7:
                to_pause.append(schedule)
    # The job's runs of the last three months (a schedule ended or paused before them is not paid).
    month = rent.month_start(today)
    for back in (2, 1):
        rent.rent_pay_month(day=rent.add_months(month, -back))
    for schedule in to_end:
        rent.schedule_end(
            actor=bureau,
            schedule=schedule,
            reason=RentEndReason.BOUGHT_HOME,
            note="已购房，转申请购房补贴（演示）",
            day=today,
        )
    for schedule in to_pause:
        rent.schedule_pause(actor=bureau, schedule=schedule, reason="核查在莞居住情况（演示）")
    rent.rent_pay_month(day=today)


def _demo_file(name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo proof\n", content_type="application/pdf")


def _current_call(
    rng: random.Random, bureau: Any, applicants: list[Any], experts: list[tuple[Any, Any]], demo_worker: Any
) -> None:
    """2025: a call under review; the demo worker is on its panel with sheets to fill in."""
    from skillcity.talents.models.leading import LeadingApplication
    from skillcity.talents.services import leading

    call = leading.call_create(
        actor=bureau,
        year=2025,
        title="2025年东莞市技能领军人才认定",
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date(2025, 4, 30),
        quota=30,
    )
    members = [leading.panel_member_add(actor=bureau, call=call, worker=w) for w, _u in experts[:3]]
    if demo_worker is not None:
        members.append(leading.panel_member_add(actor=bureau, call=call, worker=demo_worker))
    for i, worker in enumerate(applicants):
        records = leading.applicant_records(worker)
        app = LeadingApplication.objects.create(
            call=call,
            worker=worker,
            unit=worker.employer,
            grounds="申报理由（演示）",
            records=records,
            route=leading.title_route(records),
            created_by=bureau,
        )
        if i % 3 == 0:
            continue  # awaiting the formal check
        leading.formal_check(actor=bureau, application=app, passed=True)
        for m in members:
            if not leading.conflict_reason(m, app):
                leading.assign(actor=bureau, application=app, member=m)


def _exceptional(rng: random.Random, bureau: Any, stdout: Any) -> int:
    from skillcity.accounts.models import Role, User
    from skillcity.certification import services as certification
    from skillcity.certification.models import Evaluator, EvaluatorScope, ExceptionalGrounds, Session
    from skillcity.certification.selectors import candidate_workers
    from skillcity.core.errors import DomainError
    from skillcity.registry.models import SkillRecord
    from skillcity.talents.services import exceptional, leading

    made = 0
    grounds = list(ExceptionalGrounds.values)
    day = leading.today() + datetime.timedelta(days=20)
    # Promotion sessions at 技师 (2) or 三级 (3) with a holder two steps below: one per scope line found.
    found: list[tuple[Any, int]] = []
    scopes = EvaluatorScope.objects.filter(
        evaluator__state=Evaluator.State.ACTIVE, highest_level__lte=3, lowest_level__gte=4
    ).select_related("evaluator", "occupation")[:40]
    for scope in scopes:
        level = max(scope.highest_level, 2)
        session = Session(evaluator=scope.evaluator, occupation=scope.occupation, level=level)
        holders = (
            SkillRecord.objects.filter(
                kind="skill_level",
                occupation=scope.occupation,
                level=level + 2,
                worker__in=candidate_workers(session),
            )
            .values_list("worker", flat=True)
            .distinct()[:1]
        )
        if holders:
            made_session = certification.session_create(
                evaluator=scope.evaluator,
                occupation=scope.occupation,
                level=level,
                kind=Session.Kind.PROMOTION,
                date=day,
                site="破格晋升考评（演示）",
                actor=bureau,
            )
            found.append((made_session, holders[0]))
        if len(found) >= 8:
            break
    for session, worker_id in found:
        user = User.objects.filter(worker_id=worker_id).first()
        if user is None:
            user = User(username=f"exc{worker_id}", role=Role.WORKER, worker_id=worker_id)
            user.set_unusable_password()
            user.save()
        state = made % 4
        try:
            app = exceptional.exceptional_apply(
                actor=user,
                occupation=session.occupation,
                target_level=session.level,
                grounds=grounds[made % len(grounds)],
                statement="主持攻关，解决了关键工序的质量难题，成果获省级奖项。（演示）",
                uploads=[_demo_file("证明材料.pdf")],
            )
        except DomainError:  # holds that level already by another record: not a candidate
            continue
        if state == 1:
            exceptional.exceptional_review(
                actor=bureau, application=app, admit=False, note="证明材料不足以证明业绩突出（演示）"
            )
        elif state in (2, 3):
            exceptional.exceptional_review(
                actor=bureau, application=app, admit=True, note="事实清楚，同意破格（演示）"
            )
            if state == 3:
                exceptional.exceptional_place(actor=bureau, application=app, session=session)
        made += 1
        if made >= 8:
            break
    return made


def leading_demo(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.grants.flows import FINANCE_GROUP
    from skillcity.registry.models import Worker
    from skillcity.talents.models.leading import LeadingCall
    from skillcity.talents.services import leading

    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        stdout.write("  leading talents: no bureau account, skipped\n")
        return
    if LeadingCall.objects.exists():
        return
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    rng = random.Random(seed + 16)
    demo_user = User.objects.filter(username="worker").select_related("worker").first()
    demo_worker = demo_user.worker if demo_user else None
    taken: set[int] = {demo_worker.pk} if demo_worker else set()
    with transaction.atomic():
        expert_workers = list(
            Worker.objects.filter(highest_level__lte=2, employer__isnull=False)
            .exclude(pk__in=taken)
            .order_by("id")[:200]
        )
        by_unit: dict[int | None, Any] = {}
        for w in expert_workers:
            by_unit.setdefault(w.employer_id, w)
        experts = [(w, _expert_user(w)) for w in list(by_unit.values())[:PANEL_SIZE]]
        taken.update(w.pk for w, _u in experts)
        recognitions = []
        # The demo unit's own talent, brought in by it (2022), and the demo worker (2023): both recognised.
        enterprise = User.objects.filter(username="enterprise").values_list("organisation", flat=True).first()
        own = (
            Worker.objects.filter(employer_id=enterprise).exclude(pk__in=taken).order_by("id").first()
            if enterprise
            else None
        )
        featured = {2022: own, 2023: demo_worker if demo_worker and demo_worker.employer_id else None}
        for year, n, recognised in YEARS:
            applicants = _pick_workers(rng, n, taken)
            star = featured[year]
            if star is not None:
                taken.add(star.pk)
                applicants[:1] = [star]  # index 0: applied by its unit, which brought them in
            recognitions += _call_year(
                rng, bureau, year, applicants, recognised, experts, frozenset({star.pk} if star else ())
            )
        _subsidies(rng, bureau, recognitions, leading.today(), demo_worker.pk if demo_worker else None)
        _current_call(rng, bureau, _pick_workers(rng, 9, taken), experts, demo_worker)
        promoted = _exceptional(rng, bureau, stdout)
    stdout.write(
        f"  leading talents: {len(recognitions)} recognised 2022–2023, {promoted} exceptional promotions\n"
    )
