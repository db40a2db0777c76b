"""Demo step: funds per programme and year, and applications in several states across towns.

Applications need the policy engine; rules it cannot evaluate with the sample facts are skipped and
named in the output, so the step never breaks `skillcity demo`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from skillcity.core.errors import DomainError

FUNDS = [
    ("EDU-BASE", 2023, "校企合作高技能人才培养基地经费", Decimal("25000000")),
    ("CMP-HOST", 2023, "职业技能竞赛承办经费", Decimal("3000000")),
    ("PLT-STUDIO", 2023, "技能大师工作室资助", Decimal("5000000")),
    ("CRT-ENT", 2023, "企业技能等级认定补贴", Decimal("10000000")),
]

# rule -> sample facts (catalog §13); the final state each demo application is walked to.
SAMPLES: list[tuple[str, dict[str, Any], str]] = [
    ("EDU-BASE", {"recognised": True}, "paid"),
    ("CMP-HOST", {"competition_level": "city_class1"}, "in_notice"),
    ("PLT-STUDIO", {"recognition": "provincial"}, "in_review"),
    ("PLT-STANDARD", {"requested": "100000"}, "returned"),
    ("CMP-TEAM", {"competition_level": "provincial_class1"}, "approved"),
    ("EDU-SOCIAL-TRAINING", {"income": "100000", "costs": "40000"}, "reviewed"),
    ("TAL-LEADING-EMPLOYER", {"requested": "500000", "already_received_this_year": "0"}, "rejected"),
]


def demo_grants(seed: int, stdout: Any) -> None:
    from django.contrib.auth.models import Group

    from skillcity.accounts.models import User
    from skillcity.grants import services
    from skillcity.grants.flows import FINANCE_GROUP
    from skillcity.grants.models import Application, Fund

    bureau = User.objects.filter(username="bureau").first()
    applicant = User.objects.filter(username="enterprise").first()
    if bureau is None or applicant is None or applicant.organisation is None:
        stdout.write("grants: demo accounts missing, skipped\n")
        return
    for programme, year, name, total in FUNDS:
        if not Fund.objects.filter(programme=programme, year=year).exists():
            services.fund_create(actor=bureau, programme=programme, year=year, name=name, total=total)
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])  # the demo bureau also pays
    if Application.objects.exists():
        return
    town_officer = User.objects.filter(role="town_officer", town=applicant.organisation.town).first()
    made, skipped = 0, []
    for i, (rule, facts, target) in enumerate(SAMPLES):
        try:
            _walk(services, rule, facts, target, applicant, town_officer, bureau, i)
            made += 1
        except DomainError as exc:
            skipped.append(f"{rule}: {exc.message}")
        except Exception as exc:  # the engine refusing sample facts must not break the demo
            skipped.append(f"{rule}: {exc}")
    stdout.write(f"grants: {made} demo applications, {len(skipped)} skipped\n")
    for line in skipped:
        stdout.write(f"  skipped {line}\n")


def _walk(
    services: Any,
    rule: str,
    facts: dict[str, Any],
    target: str,
    applicant: Any,
    town: Any,
    bureau: Any,
    i: int,
) -> None:
    from skillcity.grants import flows

    event = datetime.date(2023, 3, 1)
    app = services.application_create(actor=applicant, rule_id=rule, event_date=event, facts=facts)
    if target == "draft":
        return
    app = services.application_submit(application=app, actor=applicant)
    if target == "in_review":
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
    services.notice_start(
        application=app, actor=bureau, start=None if target == "in_notice" else datetime.date(2023, 4, 3)
    )
    if target == "in_notice":
        return
    app = services.application_approve(application=app, actor=bureau, today=datetime.date(2023, 5, 1))
    if target == "paid":
        services.payment_make(application=app, actor=bureau, idempotency_key=f"demo-{rule}-{i}")
