"""Issue 13 item 7: the provider settles from the page (a background job with a progress bar); the bureau
approves, confirms — the confirmation shows the number of recipients and the total — and pays under a
treasury reference. Screenshots at 1366 and 375 px of the progress, the confirmation and the fund page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from skillcity.accounts.models import Role
from skillcity.grants.flows import FINANCE_GROUP
from skillcity.grants.models import Fund, Payment
from skillcity.registry.models import OrganisationCategory
from skillcity.training import services
from skillcity.training.models import Settlement
from tests.browser.conftest import login, screenshot
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1366, 375)


def _city() -> None:
    changan = TownFactory(name="长安镇")
    school = OrganisationFactory(
        town=changan, category=OrganisationCategory.TRAINING_INSTITUTION, name="东莞市长安职业培训学校"
    )
    UserFactory(username="school", role=Role.ORGANISATION_USER, organisation=school)
    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    Fund.objects.create(
        programme="TRN-PROJECT", year=2025, name="项目制培训补贴资金", total=Decimal("1000000")
    )
    project = services.project_create(
        provider=school, name="数控车工中级班", occupation=OccupationFactory(name="车工"), level=4,
        per_person_standard=Decimal("2500"), capacity=30, start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2025, 5, 31), actor="t",
    )  # fmt: skip
    klass = services.class_create(
        project=project, name="一班", start_date=project.start_date, end_date=project.end_date, actor="t"
    )
    for _ in range(3):
        e = services.enrolment_create(
            training_class=klass,
            worker=WorkerFactory(town=changan),
            enrolled_on=project.start_date,
            actor="t",
        )
        services.enrolment_complete(enrolment=e, completed_on=datetime.date(2025, 5, 31), passed=True,
                                    assessment_score=None, certified_level=None, actor="t")  # fmt: skip


def _shots(browser, base: str, user: str, path: str, name: str) -> None:
    for width in WIDTHS:
        page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
        login(page, base, user)
        page.goto(f"{base}{path}")
        screenshot(page, f"{name}-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        page.context.close()


def test_the_provider_settles_and_the_bureau_confirms_and_pays(live_server, browser):
    _city()
    base = live_server.url
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    login(desk, base, "school")
    desk.goto(f"{base}/training/")
    desk.click("#settlements-link")
    desk.select_option("#settle-period", "2025H1")
    desk.click("#settle-start")
    desk.wait_for_selector("progress.sc-progress")
    assert "正在结算：已处理 0 / 3 人次" in desk.content()
    settlement = Settlement.objects.get()
    _shots(browser, base, "school", f"/training/settlements/{settlement.pk}/", "settlement-progress")
    # The task worker runs the queued job; the page, polling, shows the statement when it is done.
    call_command("db_worker", batch=True, interval=0)
    desk.wait_for_selector("#statement-total")
    assert (
        desk.inner_text("#statement-total") == "7,500.00"
        and desk.inner_text("#settlement-status") == "待审批"
    )

    bureau = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    login(bureau, base, "bureau")
    bureau.goto(f"{base}/training/settlements/{settlement.pk}/")
    bureau.click("#approve")
    assert "核定 7,500.00 元" in bureau.content()
    bureau.goto(f"{base}/training/settlements/")
    bureau.check(f"input[name=ids][value='{settlement.pk}']")
    bureau.click("#pay-chosen")
    summary = bureau.inner_text("#pay-summary")
    assert "将向 1 家单位拨付，合计 7,500.00 元" in summary and not Payment.objects.exists()
    for width in WIDTHS:
        bureau.set_viewport_size({"width": width, "height": 900})
        screenshot(bureau, f"settlement-confirm-{width}")
    bureau.fill("#treasury-reference", "GK2025-00042")
    bureau.click("#confirm-pay")
    assert "已向 1 家单位拨付 7,500.00 元（国库支付凭证号 GK2025-00042）" in bureau.content()
    assert Payment.objects.get().treasury_reference == "GK2025-00042"
    assert Settlement.objects.get().status == "paid"
    fund = Fund.objects.get()
    _shots(browser, base, "bureau", "/grants/funds/", "funds")
    _shots(browser, base, "bureau", f"/grants/funds/{fund.pk}/", "fund-detail")
