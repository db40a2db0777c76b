"""Demo data for training alliances: 16 alliances across industries, built through the services from
the demo city's organisations, with half-year reports 2020H1–2026H1 (some late, a couple missing)
and varied statuses. Deterministic from the seed; does nothing when alliances already exist."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillcity.alliances import services
from skillcity.alliances.composition import INITIATOR_CATEGORIES
from skillcity.alliances.models import Alliance, AllianceStatus, DocumentKind, Membership
from skillcity.alliances.schedule import clock_at, due_date
from skillcity.alliances.services import UploadedDocument
from skillcity.core.periods import HalfYear
from skillcity.registry.models import Industry, Organisation, OrganisationCategory

ALLIANCE_COUNT = 16
DEMO_USERNAME = "alliance"
FIRST_PERIOD = HalfYear(2020, 1)
LAST_PERIOD = HalfYear(2026, 1)  # the last half year already due on the demo city's today (2026-11-23)
# Index in creation order → the status the alliance ends in (the rest are active).
FINAL_STATUS = {
    3: AllianceStatus.DISSOLVED,
    12: AllianceStatus.FILED,
    13: AllianceStatus.RETURNED,
    14: AllianceStatus.DRAFT,
    15: AllianceStatus.DRAFT,
}
MISSING = {(2, HalfYear(2022, 2)), (6, HalfYear(2026, 1))}  # never submitted
RETURNED_REPORT = (5, HalfYear(2026, 1))


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _document(name: str, title: str, alliance: Alliance, members: list[Organisation]) -> UploadedDocument:
    lines = [f"{alliance.name}{title}（演示文件）", "", "签署成员单位：", *[f"  {o.name}" for o in members]]
    return UploadedDocument(name=name, content="\n".join(lines).encode("utf-8"))


def _pick(pool: list[Organisation], rng: random.Random, used: set[int]) -> Organisation:
    fresh = [o for o in pool if o.pk not in used]
    chosen = rng.choice(fresh or pool)
    used.add(chosen.pk)
    return chosen


def _report_figures(rng: random.Random, organisation: Organisation) -> dict[str, int]:
    scale = 3 if organisation.category == OrganisationCategory.ENTERPRISE else 5
    trained = rng.randint(10, 60) * scale
    shares = [rng.random() for _ in range(7)]
    total_share = sum(shares) * rng.uniform(1.0, 1.6)  # part of the trained are on level courses
    parts = [int(trained * s / total_share) for s in shares]
    names = [
        "trained_general",
        "trained_level1",
        "trained_level2",
        "trained_level3",
        "trained_level4",
        "trained_level5",
        "trained_special_ability",
    ]
    return {
        "trained": trained,
        **dict(zip(names, parts, strict=True)),
        "new_occupations": rng.choice([0, 0, 0, 1, 2]),
        "new_special_abilities": rng.choice([0, 0, 1]),
    }


def alliances_demo(seed: int, stdout: Any) -> None:
    if Alliance.objects.exists():
        return
    with transaction.atomic():
        _build(seed, stdout)


def _build(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import Role, User
    from skillcity.accounts.services import user_create
    from skillcity.demo import DEMO_PASSWORD

    rng = random.Random(seed * 104_729 + 7)
    actor = "demo"
    by_category: dict[str, list[Organisation]] = {}
    for o in Organisation.objects.select_related("industry").order_by("id"):
        by_category.setdefault(o.category, []).append(o)
    industries = list(Industry.objects.order_by("sort_order", "code"))
    if not industries or not by_category.get(OrganisationCategory.ENTERPRISE):
        stdout.write("  no registry to build alliances from; skipped")
        return
    research = by_category.setdefault(OrganisationCategory.RESEARCH_INSTITUTE, [])
    initiator_pool = [
        o
        for c in INITIATOR_CATEGORIES
        if c != OrganisationCategory.RESEARCH_INSTITUTE
        for o in by_category.get(c, [])
    ]
    trainers = [
        o
        for c in (
            OrganisationCategory.VOCATIONAL_COLLEGE,
            OrganisationCategory.TECHNICAL_SCHOOL,
            OrganisationCategory.TRAINING_INSTITUTION,
        )
        for o in by_category.get(c, [])
    ]
    used_initiators: set[int] = set()
    used_research: set[int] = set()
    today = timezone.localdate()
    reports = 0
    for index in range(ALLIANCE_COUNT):
        industry = industries[index % len(industries)]
        enterprises = sorted(
            (o for o in by_category[OrganisationCategory.ENTERPRISE] if o.industry_id == industry.pk),
            key=lambda o: (-o.total_staff, o.pk),
        )
        if len(enterprises) < 3:
            continue
        initiator = _pick(initiator_pool, rng, used_initiators)
        in_industry = [o for o in research if o.industry_id == industry.pk]
        if not research:
            # A demo city too small to hold research institutes gets one, registered through the service.
            from skillcity.registry.services import organisation_create

            institute = organisation_create(
                actor=actor,
                data={
                    "name": f"东莞{industry.name}技术研究院",
                    "category": OrganisationCategory.RESEARCH_INSTITUTE,
                    "uscc": _demo_uscc(seed, index),
                    "town": initiator.town.code,
                    "industry": industry.code,
                },
            )
            research.append(institute)
            in_industry = [institute]
        institute = _pick(in_industry or research, rng, used_research)
        status = FINAL_STATUS.get(index, AllianceStatus.ACTIVE)
        running = status in (AllianceStatus.ACTIVE, AllianceStatus.DISSOLVED)
        # A timeline in order: drafted, filed a few days before the bureau accepted it (all within
        # 2020H1, the first half year reported); the ones still in review were drafted this autumn.
        if running:
            created = datetime.date(2019, 9, 1) + datetime.timedelta(days=rng.randint(0, 120))
            accepted = datetime.date(2020, 1, 10) + datetime.timedelta(days=rng.randint(0, 150))
            filed = accepted - datetime.timedelta(days=rng.randint(5, 9))
        else:
            created = today - datetime.timedelta(days=rng.randint(40, 90))
            accepted = today  # not accepted; only the running ones use it
            filed = today - datetime.timedelta(days=rng.randint(5, 20))
        with clock_at(_at(created)):
            alliance = services.alliance_create(
                name=f"东莞市{industry.name}职业培训联盟",
                industry=industry,
                initiator=initiator,
                actor=actor,
                description=f"由{initiator.name}发起，{enterprises[0].name}为承担主体，面向{industry.name}产业开展技能人才培养。",
                created_on=created,
            )
            chosen = enterprises[: rng.randint(3, min(10, len(enterprises)))]
            # The smallest enterprise of a larger alliance joins later (Annex 3's 当期加盟成员单位).
            late_joiners = chosen[-1:] if len(chosen) > 4 else []
            members = [institute, *[o for o in chosen if o not in late_joiners]]
            if initiator.category == OrganisationCategory.INDUSTRY_ASSOCIATION and trainers:
                members.insert(0, rng.choice(trainers))
            for organisation in members:
                if organisation.pk != initiator.pk:
                    services.member_add(
                        alliance=alliance, organisation=organisation, actor=actor, joined_on=created
                    )
            lead = Membership.objects.get(alliance=alliance, organisation=chosen[0])
            services.member_set_lead(membership=lead, actor=actor)
            signers = [initiator, *members]
            if status != AllianceStatus.DRAFT or index == 14:
                services.document_upload(
                    alliance=alliance,
                    kind=DocumentKind.CHARTER,
                    actor=actor,
                    upload=_document("联盟章程.txt", "章程", alliance, signers),
                )
                services.document_upload(
                    alliance=alliance,
                    kind=DocumentKind.COOPERATION_AGREEMENT,
                    actor=actor,
                    upload=_document("合作协议.txt", "合作协议", alliance, signers),
                )
            for membership in alliance.memberships.select_related("organisation"):
                if (
                    status == AllianceStatus.DRAFT
                    and membership.organisation_id != initiator.pk
                    and index == 15
                ):
                    continue  # the second draft is still collecting its members' Annex 1
                services.member_annex1_update(membership=membership, data={}, actor=actor)
        if status == AllianceStatus.DRAFT:
            continue
        with clock_at(_at(filed)):
            services.alliance_file(alliance=alliance, actor=actor)
        if status == AllianceStatus.FILED:
            continue
        if status == AllianceStatus.RETURNED:
            with clock_at(_at(min(filed + datetime.timedelta(days=3), today), 15)):
                services.alliance_return(
                    alliance=alliance, actor=actor, reason="章程未附全体成员单位签署页，请补充后重新备案。"
                )
            continue
        with clock_at(_at(accepted, 15)):
            services.alliance_accept(alliance=alliance, actor=actor, accepted_on=accepted)
        for organisation in late_joiners:
            joined = datetime.date(2022, 3, 1) + datetime.timedelta(days=rng.randint(0, 400))
            with clock_at(_at(joined)):
                membership = services.member_add(
                    alliance=alliance, organisation=organisation, actor=actor, joined_on=joined
                )
                services.member_annex1_update(membership=membership, data={}, actor=actor)
        last = HalfYear(2023, 1) if status == AllianceStatus.DISSOLVED else LAST_PERIOD
        reports += _reports(alliance, index, last, rng, actor, today)
        if status == AllianceStatus.DISSOLVED:
            dissolved = datetime.date(2023, 9, 15)
            with clock_at(_at(dissolved)):
                services.alliance_dissolve(
                    alliance=alliance,
                    actor=actor,
                    reason="承担主体业务调整，经成员单位协商解散。",
                    dissolved_on=dissolved,
                )
    first = Alliance.objects.filter(status=AllianceStatus.ACTIVE).order_by("id").first()
    if first is not None and not User.objects.filter(username=DEMO_USERNAME).exists():
        user_create(
            username=DEMO_USERNAME,
            password=DEMO_PASSWORD,
            role=Role.ORGANISATION_USER,
            actor=actor,
            display_name="联盟发起单位 演示经办人",
            organisation=first.initiator,
        )
    run = services.reminders_send(actor=actor, on=today)
    stdout.write(
        f"  {Alliance.objects.count()} alliances, {reports} half-year reports, {len(run.created)} reminders; "
        f"initiator account: {DEMO_USERNAME} ({first.initiator.name if first else '—'})"
    )


def _reports(
    alliance: Alliance, index: int, last: HalfYear, rng: random.Random, actor: str, today: datetime.date
) -> int:
    count = 0
    period = FIRST_PERIOD
    contact = alliance.initiator.contact_person or "联络员"
    phone = alliance.initiator.office_phone or "0769-22110000"
    while period <= last:
        if (index, period) in MISSING:
            period = period.next()
            continue
        due = due_date(period)
        late = rng.random() < 0.12
        submitted = min(
            due + datetime.timedelta(days=rng.randint(3, 40))
            if late
            else due - datetime.timedelta(days=rng.randint(1, 25)),
            today,
        )
        reviewed = min(submitted + datetime.timedelta(days=10), today)
        with clock_at(_at(submitted - datetime.timedelta(days=2))):
            report = services.report_create(alliance=alliance, period=period, actor=actor, on=today)
            lines = {
                line.organisation_id: _report_figures(rng, line.organisation)
                for line in report.lines.select_related("organisation")
            }
            services.report_lines_update(report=report, lines=lines, actor=actor)
        summary = (
            f"{period.year}年度工作总结：联盟成员单位共开展培训{sum(v['trained'] for v in lines.values())}人次（下半年）。"
            if period.half == 2
            else ""
        )
        with clock_at(_at(submitted)):
            services.report_submit(
                report=report,
                actor=actor,
                contact_person=contact,
                contact_phone=phone,
                year_end_summary=summary,
            )
        with clock_at(_at(reviewed, 16)):
            if (index, period) == RETURNED_REPORT:
                services.report_return(
                    report=report,
                    actor=actor,
                    reason="附件3中技能等级培训人数与培训台账不符，请核实后重新报送。",
                )
            elif period < LAST_PERIOD:
                services.report_accept(report=report, actor=actor)
        count += 1
        period = period.next()
    return count


def _demo_uscc(seed: int, index: int) -> str:
    from skillcity.core.validators import USCC_ALPHABET, uscc_check_char

    n = seed * 131 + index + 7_000_000
    body = ""
    for _ in range(9):
        body = USCC_ALPHABET[n % 31] + body
        n //= 31
    first17 = f"12441900{body}"
    return first17 + uscc_check_char(first17)
