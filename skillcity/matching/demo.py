"""Demo data of matching (issue 19 §7): job needs of demo enterprises, job seekers' needs, matches in
every state, employment service officers with assignments and follow-ups, job fairs (a 2026 春风行动
among them) with vacancies, and hires — some confirmed by the employment demo's ledger.

The hires confirmed are of workers the employment demo already records as insured by that enterprise:
the hire's start month is the first month of their spell. One hire starts months before the spell
(so it is 未确认: the contributions start late) and one names an enterprise other than the one insuring
the worker (未确认: another employer). The confirmation itself is the service's (hires_confirm), run
at the end as the daily job runs it. Rows are written in bulk, with one audit row for the step;
nothing is done when job needs exist.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillcity.core.audit import audit_record
from skillcity.matching.models import (
    Assignment,
    FairEnterprise,
    FollowUp,
    Hire,
    JobFair,
    JobNeed,
    Match,
    SeekerNeed,
)

SEEKERS = 400
ENTERPRISES = 60


def matching_demo(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.employment.selectors import spells_for
    from skillcity.matching import selectors
    from skillcity.matching.services.hires import hires_confirm
    from skillcity.registry.models import Organisation, OrganisationCategory, SkillRecord, Town, Worker

    if JobNeed.objects.exists():
        stdout.write("  matching: already present, skipped\n")
        return
    rng = random.Random(seed * 7_919 + 4)
    today = timezone.localdate()
    enterprises = list(
        Organisation.objects.filter(category=OrganisationCategory.ENTERPRISE)
        .select_related("town")
        .order_by("id")
    )
    if len(enterprises) < 5:
        stdout.write("  matching: too few enterprises, skipped\n")
        return
    by_uscc = {e.uscc: e for e in enterprises}
    towns = list(Town.objects.order_by("sort_order", "id"))
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["bureau", "changan", "humen", "enterprise", "worker"])
    }

    # Job seekers: workers with a skill level in an occupation, the demo worker first.
    skilled = list(
        SkillRecord.objects.filter(
            kind=SkillRecord.Kind.SKILL_LEVEL, occupation__isnull=False, level__isnull=False
        )
        .order_by("worker_id", "level")
        .values_list("worker_id", "occupation_id", "level")[: SEEKERS * 3]
    )
    first_record: dict[int, tuple[int, int]] = {}
    for worker_id, occupation_id, level in skilled:
        if occupation_id is not None and level is not None:
            first_record.setdefault(worker_id, (occupation_id, level))
    demo_worker = users.get("worker")
    seeker_ids = list(first_record)[:SEEKERS]
    if demo_worker and demo_worker.worker_id in first_record and demo_worker.worker_id not in seeker_ids:
        seeker_ids.append(demo_worker.worker_id)
    home_town = dict(Worker.objects.filter(pk__in=seeker_ids).values_list("pk", "town_id"))

    # Workers the employment ledger records as insured by a registered enterprise: their hires confirm.
    spells = spells_for(seeker_ids)
    insured = [
        (w, s)
        for w in seeker_ids
        for s in spells.get(w, [])[:1]
        if s.employer_uscc in by_uscc and s.start >= datetime.date(2024, 1, 1)
    ]

    with transaction.atomic():
        seekers = SeekerNeed.objects.bulk_create(
            SeekerNeed(worker_id=w, occupation_id=first_record[w][0]) for w in seeker_ids
        )
        through = SeekerNeed.towns.through
        through.objects.bulk_create(
            through(seekerneed_id=s.pk, town_id=t)
            for s in seekers
            for t in {home_town[s.worker_id], rng.choice(towns).pk}
        )
        # Fairs: the 2026 春风行动 (after the Spring Festival), last year's, and two coming up.
        fairs = JobFair.objects.bulk_create(
            [
                JobFair(
                    name="2026年东莞市“春风行动”技能人才专场招聘会",
                    kind=JobFair.Kind.SPRING_BREEZE,
                    starts_on=datetime.date(2026, 2, 24),
                    ends_on=datetime.date(2026, 2, 26),
                    town=towns[0],
                    venue="东莞市人力资源市场",
                ),
                JobFair(
                    name="2025年东莞市“春风行动”招聘会",
                    kind=JobFair.Kind.SPRING_BREEZE,
                    starts_on=datetime.date(2025, 2, 11),
                    ends_on=datetime.date(2025, 2, 12),
                    town=towns[0],
                    venue="东莞市人力资源市场",
                ),
                JobFair(
                    name="长安镇“就日服务日”先进制造业专场招聘会",
                    kind=JobFair.Kind.EMPLOYMENT_DAY,
                    starts_on=today + datetime.timedelta(days=12),
                    ends_on=today + datetime.timedelta(days=12),
                    town=next((t for t in towns if t.name == "长安镇"), towns[0]),
                    venue="长安镇人力资源服务中心",
                ),
                JobFair(
                    name="技工院校毕业生校园招聘会",
                    kind=JobFair.Kind.CAMPUS,
                    starts_on=today + datetime.timedelta(days=30),
                    ends_on=today + datetime.timedelta(days=31),
                    town=towns[0],
                    venue="广东省技师学院（东莞）",
                ),
            ]
        )
        spring, upcoming = fairs[0], fairs[2]

        # Job needs: the insured workers' employers first (their hires confirm), the demo enterprise,
        # then enterprises across the city for the seekers' occupations.
        demo_enterprise = users["enterprise"].organisation if "enterprise" in users else None
        occupations = [first_record[w][0] for w in seeker_ids]
        plan: list[tuple[Any, int, int, Any]] = []  # enterprise, occupation, level, fair
        for w, spell in insured[:12]:
            plan.append((by_uscc[spell.employer_uscc], first_record[w][0], first_record[w][1], spring))
        if demo_enterprise is not None:
            occupation = (
                first_record[demo_worker.worker_id][0]
                if demo_worker and demo_worker.worker_id in first_record
                else occupations[0]
            )
            plan += [(demo_enterprise, occupation, 4, None), (demo_enterprise, occupations[1], 3, upcoming)]
        for enterprise in rng.sample(enterprises, min(ENTERPRISES, len(enterprises))):
            plan.append(
                (
                    enterprise,
                    rng.choice(occupations),
                    rng.choice([3, 4, 4, 5]),
                    rng.choice([None, None, upcoming]),
                )
            )
        needs = JobNeed.objects.bulk_create(
            JobNeed(
                enterprise=enterprise,
                occupation_id=occupation,
                level=level,
                town_id=enterprise.town_id,
                head_count=rng.choice([1, 2, 3, 5, 10]),
                wage_min=Decimal(rng.choice([4500, 5000, 5500, 6000, 7000])),
                wage_max=Decimal(rng.choice([8000, 9000, 10000, 12000])),
                start=(fair.starts_on if fair else today) + datetime.timedelta(days=rng.randint(7, 40)),
                fair=fair,
                description="",
            )
            for enterprise, occupation, level, fair in plan
        )
        FairEnterprise.objects.bulk_create(
            {
                (n.fair_id, n.enterprise_id): FairEnterprise(
                    fair_id=n.fair_id, enterprise_id=n.enterprise_id, booth=f"A{i + 1:02d}"
                )
                for i, n in enumerate(needs)
                if n.fair_id
            }.values()
        )

        # Matches, as the service proposes them; then the answers.
        matches: list[Match] = []
        for need in needs:
            matches += [
                Match(need=need, seeker_need=s, worker_id=s.worker_id)
                for s, _why in selectors.seekers_qualifying(need)
            ]
        matches = Match.objects.bulk_create(matches)
        now = timezone.now()
        by_pair = {(m.need_id, m.worker_id): m for m in matches}
        hires: list[Hire] = []
        for i, (w, spell) in enumerate(insured[:12]):
            m = by_pair.get((needs[i].pk, w))
            if m is None:
                continue
            m.state, m.responded_at = Match.State.HIRED, now
            start = spell.start
            if i == 1:  # recorded months before the contributions began: stays unconfirmed (late)
                start = datetime.date(start.year - 1, start.month, 1)
            hires.append(
                Hire(
                    enterprise=needs[i].enterprise,
                    worker_id=w,
                    need=needs[i],
                    match=m,
                    fair=spring,
                    source=Hire.Source.MATCH,
                    start_month=start,
                )
            )
        hired = {(h.enterprise.pk, h.worker_id) for h in hires}
        others = [
            m
            for m in matches
            if m.state == Match.State.PROPOSED and not (demo_worker and m.worker_id == demo_worker.worker_id)
        ]
        for j, m in enumerate(others):
            roll = j % 6
            if roll in (1, 2):
                m.state, m.responded_at = Match.State.ACCEPTED, now
            elif roll == 3:
                m.state, m.responded_at = Match.State.DECLINED, now
            elif roll == 4 and j % 12 == 4 and (m.need.enterprise_id, m.worker_id) not in hired:
                hired.add((m.need.enterprise_id, m.worker_id))
                m.state, m.responded_at = Match.State.HIRED, now
                hires.append(
                    Hire(
                        enterprise=m.need.enterprise,
                        worker_id=m.worker_id,
                        need=m.need,
                        match=m,
                        source=Hire.Source.MATCH,
                        start_month=today.replace(day=1),
                    )
                )
        Match.objects.bulk_update(matches, ["state", "responded_at"])
        # A hire at the fair by an enterprise that does not insure the worker: another employer's.
        if len(insured) > 13:
            w, spell = insured[13]
            other = next(e for e in enterprises if e.uscc != spell.employer_uscc)
            FairEnterprise.objects.get_or_create(fair=spring, enterprise=other, defaults={"booth": "B01"})
            hires.append(
                Hire(
                    enterprise=other,
                    worker_id=w,
                    fair=spring,
                    source=Hire.Source.FAIR,
                    start_month=spell.start,
                )
            )
        Hire.objects.bulk_create(hires)

        # Officers: the Changan and Humen officers and the bureau, each with enterprises and seekers.
        assignments: list[Assignment] = []
        follow_ups: list[FollowUp] = []
        for username in ("changan", "humen", "bureau"):
            officer = users.get(username)
            if officer is None:
                continue
            town_id = officer.town_id
            mine = [e for e in enterprises if town_id is None or e.town_id == town_id][:6]
            seekers_here = [w for w in seeker_ids if town_id is None or home_town[w] == town_id][:6]
            for e in mine:
                assignments.append(
                    Assignment(
                        officer=officer, enterprise=e, town_id=e.town_id, assigned_by=users.get("bureau")
                    )
                )
            for w in seekers_here:
                assignments.append(
                    Assignment(
                        officer=officer, worker_id=w, town_id=home_town[w], assigned_by=users.get("bureau")
                    )
                )
        assignments = Assignment.objects.bulk_create(assignments)
        ways = [FollowUp.Way.PHONE, FollowUp.Way.VISIT, FollowUp.Way.ONLINE, FollowUp.Way.FAIR]
        for k, a in enumerate(assignments):
            if k % 4 == 3:
                continue  # not yet followed up: due
            date = today - datetime.timedelta(days=rng.randint(5, 40))
            follow_ups.append(
                FollowUp(
                    assignment=a,
                    date=date,
                    way=ways[k % 4],
                    done="了解技能岗位用工需求，介绍春风行动招聘会"
                    if a.enterprise_id
                    else "了解求职意向，推荐匹配岗位",
                    next_step="跟进岗位匹配与录用情况",
                    next_date=today + datetime.timedelta(days=rng.randint(-3, 30)),
                    recorded_by=a.officer,
                )
            )
        FollowUp.objects.bulk_create(follow_ups)
        audit_record(
            actor="demo",
            action="matching.demo",
            target_type="matching.jobneed",
            target_id="demo",
            target_label="岗位匹配演示数据",
            after={
                "needs": len(needs),
                "seekers": len(seekers),
                "matches": len(matches),
                "hires": len(hires),
            },
        )
    done = hires_confirm(today=today)
    stdout.write(
        f"  matching: {len(needs)} job needs, {len(seekers)} job seekers, {len(matches)} matches, "
        f"{len(fairs)} fairs, {len(assignments)} assignments, {len(follow_ups)} follow-ups, {len(hires)} hires "
        f"({done['confirmed']} confirmed by the ledger, {done['unconfirmed']} unconfirmed, {done['pending']} pending)\n"
    )
