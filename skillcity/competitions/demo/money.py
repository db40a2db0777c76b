"""The money of the demo's competitions: the awards part makes the grants applications from the records
(services.awards.awards_generate, one action per competition), and the one grants path moves them along —
some still in review, some reviewed, some in public notice, some approved, some paid (as grants' own demo
moves its applications)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from skillcity.competitions.demo.base import Demo
from skillcity.grants.demo import town_officer_for

# Applications made for these competitions (by name), and where each one's applications end up, in turn.
# Older ones are paid; the newest spread over the states an official meets.
GENERATED = (
    ("第46届世界技能大赛特别赛", ("paid",)),
    (
        "2024年东莞市“技能莞邑”智能制造职业技能竞赛",
        ("paid", "approved", "in_notice", "reviewed", "in_review"),
    ),
    ("2024年广东省“粤菜师傅”职业技能竞赛", ("paid", "in_notice", "reviewed", "in_review")),
    ("2025年东莞市“技能莞邑”智能制造职业技能竞赛", ("in_notice", "reviewed", "in_review")),
)


def competition_money(demo: Demo) -> None:
    from django.contrib.auth.models import Group

    from skillcity.competitions.models import Competition
    from skillcity.competitions.services.awards import awards_generate
    from skillcity.core.errors import DomainError
    from skillcity.grants.flows import FINANCE_GROUP

    demo.bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])  # the demo bureau also pays

    for name, targets in GENERATED:
        competition = Competition.objects.filter(name=name).first()
        if competition is None:
            continue
        made = awards_generate(competition=competition, actor=demo.bureau)
        demo.count("applications", len(made))
        for i, app in enumerate(made):
            # The demo worker's own prize is paid, so their page shows the whole path.
            mine = demo.demo_worker is not None and app.worker_id == demo.demo_worker.pk
            target = "paid" if mine else targets[i % len(targets)]
            try:
                _advance(demo, app, target, i)
            except DomainError:
                # A rule's fund for that year may be spent: the application stays where it got to.
                demo.count("applications_stopped")


def _advance(demo: Demo, app: Any, target: str, i: int) -> None:
    from skillcity.grants import flows
    from skillcity.grants import services as grants

    if target == "in_review":
        return
    for stage in flows.stages_for(app.rule_id):
        actor = town_officer_for(app.town) if stage.role == "town_officer" else demo.bureau
        app = grants.application_review_pass(application=app, actor=actor)
    if target == "reviewed":
        return
    if target == "in_notice":
        grants.notice_start(application=app, actor=demo.bureau)
        return
    # Published a month after the event; the notice ran its days long ago and drew no objection.
    grants.notice_start(
        application=app, actor=demo.bureau, start=app.event_date + datetime.timedelta(days=30)
    )
    outcome = app.outcome
    amount: Decimal | None = None
    if outcome.get("basis") == "case_by_case":
        amount = Decimal("100000")
    elif outcome.get("basis") == "range":
        amount = Decimal(str(outcome["min"]))
    app = grants.application_approve(
        application=app,
        actor=demo.bureau,
        amount=amount,
        reason="按区间下限核定" if amount else "",
        today=app.event_date + datetime.timedelta(days=60),
    )
    demo.count(target)
    if target == "paid":
        grants.payment_make(application=app, actor=demo.bureau, idempotency_key=f"demo-competitions-{app.pk}")
