"""Demo steps: a fund for every money rule and year, and applications in every state across towns.

Applications need the policy engine; rules it cannot evaluate with the sample facts are skipped and
named in the output, so the step never breaks `skillcity demo`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from skillcity.core.errors import DomainError

# Rules that decide who or whether, and grant no money: no budget.
NO_MONEY_RULES = {"TRN-PAYEE", "CMP-TITLE", "TAL-CARD"}
FUND_YEARS = range(2022, 2027)
# A year's budget per rule (yuan). The documents set none except EDU-BASE's special fund (D003 §二(一), from
# the engine's parameter): these are demo values, and each fund's name says so.
FUND_TOTALS = {
    "TRN-PROJECT": Decimal("20000000"),
    "TRN-UPSKILL": Decimal("30000000"),
    "TRN-VOUCHER": Decimal("10000000"),
    "CRT-ENT": Decimal("10000000"),
    "TAL-LEADING": Decimal("10000000"),
    "PLT-STUDIO": Decimal("5000000"),
    "CMP-WORLDSKILLS": Decimal("5000000"),
    "EDU-MAJOR-BUILD": Decimal("5000000"),
}
FUND_TOTAL_DEFAULT = Decimal("3000000")

# Every rule applied for here (EDU-*, CMP-*, PLT-*, CRT-ENT, TAL-*), with catalog §13 facts, the date of
# the event (inside the rule's validity), the state the application is walked to ("notice_ended": in notice,
# the notice over with no objection, waiting for approval), and who applies:
# "enterprise" (长安), "humen_unit" (an enterprise in 虎门), "school" (a technical school or college),
# "worker" (the demo worker, for themselves), "certifier" (an enterprise that certifies its staff),
# "technician" (a worker at 技师 level or higher).
SAMPLES: list[tuple[str, dict[str, Any], str, str, str]] = [
    ("EDU-BASE", {"recognised": True}, "2023-03-01", "paid", "school"),
    ("EDU-DEMO-MAJOR", {"school_is_private": True, "major_is_demonstration": True, "students_year1": 45,
                        "students_year2": 40, "students_year3": 38, "excluded_hs_advanced": 6},
     "2023-09-01", "approved", "school"),
    ("EDU-INTL-CLASS", {"international_class_students": 30, "actual_cost": "128000"}, "2024-03-01", "in_notice", "school"),
    ("EDU-INTL-CERT", {"obtained_international_certificate": True}, "2024-06-20", "reviewed", "worker"),
    ("EDU-MAJOR-BUILD", {"industry_fit": "strategic_emerging", "requested": "450000", "already_funded": False},
     "2023-05-01", "in_review", "school"),
    ("EDU-GRAD-RETENTION", {"school_is_private": True, "major_fits_industry": True, "graduation_date": "2023-07-01",
                            "employment_start": "2023-08-01", "employer_in_dongguan": True,
                            "same_employer_continuous_insured_months": 8}, "2024-03-01", "draft", "school"),
    ("EDU-SOCIAL-TRAINING", {"income": "100000", "costs": "40000"}, "2023-12-31", "reviewed", "school"),
    ("EDU-UPGRADE", {"achievement": "provincial_title"}, "2024-01-15", "returned", "school"),
    # The competition awards (CMP-*) are made from the competitions demo's records, never typed here.
    ("PLT-STANDARD", {"requested": "60000"}, "2023-06-01", "in_notice", "enterprise"),
    ("PLT-STUDIO", {"recognition": "new_city", "requested": "200000"}, "2024-04-01", "paid", "humen_unit"),
    ("EDU-INTL-CERT", {"obtained_international_certificate": True}, "2023-11-01", "paid", "worker"),
    ("PLT-STANDARD", {"requested": "80000"}, "2024-09-01", "objection", "enterprise"),
    ("PLT-STUDIO", {"recognition": "new_city", "requested": "380000"}, "2023-05-01", "paid", "enterprise"),
    ("PLT-STUDIO", {"recognition": "provincial"}, "2024-06-01", "in_review", "humen_unit"),
    ("PLT-STANDARD", {"requested": "100000"}, "2023-10-01", "returned", "enterprise"),
    ("PLT-STANDARD", {"requested": "45000"}, "2022-09-01", "approved", "school"),
    ("CRT-ENT", {"filed_and_certifying": True, "qbank_filed": True, "shortage_certification": False,
                 "year_new_certificates": 320, "year_new_certificates_level2_or_higher": 12,
                 "provincial_social_org": False, "already_received": "0"}, "2024-12-01", "in_review", "certifier"),
    ("TAL-LEADING", {}, "2023-07-01", "in_notice", "worker"),
    ("TAL-LEADING-EMPLOYER", {"requested": "500000", "already_received_this_year": "0"}, "2023-09-01",
     "rejected", "enterprise"),
    ("TAL-CARD", {"titles": ["dongguan_technical_expert"], "studio_lead_level": None, "highest_skill_level": 3},
     "2024-02-01", "reviewed", "technician"),
    # Its notice ended with no objection: waiting for the bureau's approval.
    ("PLT-STUDIO", {"recognition": "provincial"}, "2025-08-01", "notice_ended", "humen_unit"),
    ("PLT-STUDIO", {"recognition": "new_city", "requested": "300000"}, "2025-03-01", "notice_ended", "enterprise"),
    ("EDU-INTL-CERT", {"obtained_international_certificate": True}, "2025-10-01", "withdrawn", "worker"),
]  # fmt: skip


def money_rules() -> list[Any]:
    """The policy rules that pay money (a payee, and not one of the rules that only decide)."""
    from skillcity.policy.engine import load_rules

    return [rule for rule in load_rules().values() if rule.payees and rule.id not in NO_MONEY_RULES]


def demo_funds(seed: int, stdout: Any) -> None:
    """A fund for every money rule and every year 2022–2026, so that every payment books against one.
    Runs before the programmes' steps (their settlements and payments need it); idempotent."""
    from skillcity.accounts.models import User
    from skillcity.grants import services

    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        stdout.write("  funds: no bureau account, skipped\n")
        return
    made = 0
    with transaction.atomic():
        # D003 §二(一): one 25,000,000 special fund for every EDU-BASE base, from the engine's parameter.
        if services.fund_from_policy(
            actor=bureau, programme="EDU-BASE", parameter="EDU-BASE.fund", name="高水平校企合作基地专项资金"
        ):
            made += 1
        for rule in money_rules():
            for year in FUND_YEARS:
                if services.funds_covering(rule.id, year, year).exists():
                    continue
                services.fund_create(
                    actor=bureau,
                    programme=rule.id,
                    year=year,
                    name=f"{rule.title}年度预算（演示值）",
                    total=FUND_TOTALS.get(rule.id, FUND_TOTAL_DEFAULT),
                )
                made += 1
    stdout.write(
        f"  funds: {made} created for {len(money_rules())} money rules, {FUND_YEARS[0]}–{FUND_YEARS[-1]}\n"
    )


def demo_grants(seed: int, stdout: Any) -> None:
    from django.contrib.auth.models import Group

    from skillcity.accounts.models import User
    from skillcity.grants import services
    from skillcity.grants.flows import FINANCE_GROUP
    from skillcity.grants.models import Application

    bureau = User.objects.filter(username="bureau").first()
    applicant = User.objects.filter(username="enterprise").first()
    if bureau is None or applicant is None or applicant.organisation is None:
        stdout.write("grants: demo accounts missing, skipped\n")
        return
    demo_funds(seed, stdout)  # done already when the funds step ran: nothing twice
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])  # the demo bureau also pays
    # Built once: the settlements' entitlements (made by the training step) do not count.
    if Application.objects.exclude(fact_sources__has_key="settlement_id").exists():
        return
    applicants = _applicants(applicant)
    made, skipped = 0, []
    for i, (rule, facts, day, target, who) in enumerate(SAMPLES):
        user = applicants.get(who)
        if user is None:
            skipped.append(f"{rule}: no {who} applicant in the demo city")
            continue
        officer = _town_officer(user)
        try:
            with transaction.atomic():
                _walk(
                    services, rule, facts, datetime.date.fromisoformat(day), target, user, officer, bureau, i
                )
            made += 1
        except DomainError as exc:
            skipped.append(f"{rule}: {exc.message}")
    stdout.write(f"grants: {made} demo applications, {len(skipped)} skipped\n")
    for line in skipped:
        stdout.write(f"  skipped {line}\n")


def _applicants(enterprise_user: Any) -> dict[str, Any]:
    """The demo's applicants: the named enterprise and worker accounts, and users created here without a
    password (they exist to fill the lists): an enterprise in 虎门, a school, the enterprise evaluator that
    certified most in 2024 (so CRT-ENT's facts come from real certificates), and a technician."""
    from django.db.models import Count

    from skillcity.accounts.models import User
    from skillcity.accounts.services import user_create
    from skillcity.registry.models import Organisation, OrganisationCategory, Worker

    found: dict[str, Any] = {
        "enterprise": enterprise_user,
        "worker": User.objects.filter(username="worker").first(),
    }
    certifier = None
    try:
        from skillcity.certification.models import Certificate

        top = (
            Certificate.objects.filter(issued_on__year=2024, evaluator__organisation__category="enterprise")
            .values("evaluator__organisation")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        certifier = Organisation.objects.filter(pk=top["evaluator__organisation"]).first() if top else None
    except ImportError:  # certification not installed in this build
        pass
    organisations = {
        "humen_unit": Organisation.objects.filter(
            category=OrganisationCategory.ENTERPRISE, town__name="虎门镇"
        )
        .order_by("id")
        .first(),
        "school": Organisation.objects.filter(
            category__in=[OrganisationCategory.TECHNICAL_SCHOOL, OrganisationCategory.VOCATIONAL_COLLEGE]
        )
        .order_by("id")
        .first(),
        "certifier": certifier,
    }
    for key, organisation in organisations.items():
        user = User.objects.filter(username=f"demo_{key}").first()
        if user is None and organisation is not None:
            user = user_create(
                username=f"demo_{key}",
                password=None,
                role="organisation_user",
                actor="demo",
                display_name=f"{organisation.name} 经办人",
                organisation=organisation,
            )
        found[key] = user
    technician = User.objects.filter(username="demo_technician").first()
    if technician is None:
        skilled = Worker.objects.filter(highest_level__lte=2, user__isnull=True).order_by("id").first()
        if skilled is not None:
            technician = user_create(
                username="demo_technician", password=None, role="worker", actor="demo", worker=skilled
            )
    found["technician"] = technician
    return found


def _town_officer(user: Any) -> Any:
    """The reviewer of the applicant's town."""
    return town_officer_for((user.organisation or user.worker).town)


def town_officer_for(town: Any) -> Any:
    """A town's reviewer: the demo's own officers, or one created for that town."""
    from skillcity.accounts.models import User
    from skillcity.accounts.services import user_create

    officer = User.objects.filter(role="town_officer", town=town).order_by("id").first()
    if officer is None:
        officer = user_create(
            username=f"demo_officer_{town.code}",
            password=None,
            role="town_officer",
            actor="demo",
            display_name=f"{town.name} 审核专员",
            town=town,
        )
    return officer


def _walk(
    services: Any,
    rule: str,
    facts: dict[str, Any],
    event: datetime.date,
    target: str,
    applicant: Any,
    town: Any,
    bureau: Any,
    i: int,
) -> None:
    from skillcity.grants import flows

    app = services.application_create(actor=applicant, rule_id=rule, event_date=event, facts=facts)
    if target == "draft":
        return
    app = services.application_submit(application=app, actor=applicant)
    if target == "in_review":
        return
    if target == "withdrawn":
        services.application_withdraw(application=app, actor=applicant, reason="材料准备不全，暂不申报")
        return
    if target in ("returned", "rejected"):
        reviewer = town if flows.stages_for(rule)[0].role == "town_officer" else bureau
        if target == "returned":
            services.application_return(application=app, actor=reviewer, reason="请补充证明材料")
        else:
            services.application_reject(application=app, actor=reviewer, reason="不符合申报条件")
        return
    for stage in flows.stages_for(rule):
        app = services.application_review_pass(
            application=app, actor=town if stage.role == "town_officer" else bureau
        )
    if target == "reviewed":
        return
    running = target in ("in_notice", "objection")
    if target == "notice_ended":
        # Published a month after the event; the notice ran its days long ago and drew no objection.
        services.notice_start(application=app, actor=bureau, start=event + datetime.timedelta(days=30))
        return
    notice = services.notice_start(application=app, actor=bureau, start=None if running else event)
    if target == "objection":
        services.objection_lodge(
            notice=notice, actor=bureau, text="获奖名单与赛事公布名单不一致，请核实", contact="12333"
        )
    if running:
        return
    outcome = app.outcome
    amount = None
    if outcome.get("basis") == "case_by_case":
        amount = "100000"
    elif outcome.get("basis") == "range":
        amount = outcome.get("min")
    app = services.application_approve(
        application=app,
        actor=bureau,
        amount=amount,
        reason="按区间下限核定" if amount else "",
        today=event + datetime.timedelta(days=30),
    )
    if target == "paid":
        services.payment_make(application=app, actor=bureau, idempotency_key=f"demo-{rule}-{i}")
