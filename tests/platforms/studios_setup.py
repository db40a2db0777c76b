"""Shared setup of the master-studio tests: an enterprise with a high-skilled worker, the bureau, a
finance officer, and a studio brought to a given state through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group

from skillcity.accounts.models import Role
from skillcity.grants import services as grants
from skillcity.grants.flows import FINANCE_GROUP
from skillcity.platforms.models import Studio
from skillcity.platforms.services import studios as services
from tests.factories import OrganisationFactory, TownFactory, UserFactory, WorkerFactory

RECOGNISED_ON = datetime.date(2024, 3, 1)


def world():
    town = TownFactory(name="长安镇")
    enterprise = OrganisationFactory(town=town, name="东莞市长安精密制造有限公司")
    other = OrganisationFactory(town=TownFactory(name="虎门镇"), name="东莞市虎门服装有限公司")
    lead = WorkerFactory(town=town, employer=enterprise, name="陈大师", highest_level=2)
    unit = UserFactory(username="studio_unit", role=Role.ORGANISATION_USER, organisation=enterprise)
    other_unit = UserFactory(username="other_unit", role=Role.ORGANISATION_USER, organisation=other)
    bureau = UserFactory(username="studio_bureau", role=Role.BUREAU_OFFICER)
    finance = UserFactory(username="studio_finance", role=Role.BUREAU_OFFICER)
    finance.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    return {
        "town": town,
        "enterprise": enterprise,
        "other": other,
        "lead": lead,
        "unit": unit,
        "other_unit": other_unit,
        "bureau": bureau,
        "finance": finance,
    }


def applied(w) -> Studio:
    return services.studio_apply(
        actor=w["unit"],
        lead=w["lead"],
        name="长安精密模具技能大师工作室",
        occupation="模具工",
        summary="带徒传技、攻关模具精度",
    )


def recognised(w, amount: str = "400000", day: datetime.date = RECOGNISED_ON):
    studio = applied(w)
    studio = services.studio_review(actor=w["bureau"], studio=studio, passed=True)
    return services.studio_recognise(actor=w["bureau"], studio=studio, amount=amount, recognised_on=day)


def pay(w, app, amount: Decimal | None = None, notice_on: datetime.date = datetime.date(2024, 3, 4)):
    """Take a studio's grant application the whole grants path to paid."""
    town_officer = UserFactory(role=Role.TOWN_OFFICER, town=app.town)
    while app.state == "in_review":
        reviewer = w["bureau"] if grants.current_stage(app).role == "bureau_officer" else town_officer
        app = grants.application_review_pass(application=app, actor=reviewer, amount=amount)
    grants.notice_start(application=app, actor=w["bureau"], start=notice_on)
    app.refresh_from_db()
    year = app.event_date.year
    try:
        app = grants.application_approve(
            application=app, actor=w["bureau"], today=notice_on + datetime.timedelta(days=30)
        )
    except grants.FundMissing:
        grants.fund_create(
            actor=w["bureau"],
            programme=app.rule_id,
            year=year,
            name="技能大师工作室补贴",
            total=Decimal("5000000"),
        )
        app = grants.application_approve(
            application=app, actor=w["bureau"], today=notice_on + datetime.timedelta(days=30)
        )
    grants.payment_make(
        application=app,
        actor=w["finance"],
        idempotency_key=f"studio-{app.pk}",
        treasury_reference=f"GK-{app.pk}",
    )
    app.refresh_from_db()
    return app
