"""Issue 13 item 7: the bureau's finance officer ticks approved applications on the grant list ("select
all approved on this page"), sees what will happen (count, payees, total, by fund), types the treasury
reference, confirms, and reads what was done. Screenshots at 1366 and 375 px of the list and of the
confirmation; axe-core finds no serious or critical violation on either."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from skillcity.accounts.models import Role
from skillcity.grants.flows import FINANCE_GROUP
from skillcity.grants.models import Application, Fund, FundEntry, Payment
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.factories import OrganisationFactory, TownFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1366, 375)


def _approved(fund: Fund, organisation, amount: str, by) -> Application:
    """An application as the approval leaves it: approved, its amount committed against the fund."""
    app = Application.objects.create(
        rule_id="CMP-HOST",
        organisation=organisation,
        town=organisation.town,
        event_date=datetime.date(2024, 3, 1),
        outcome={"rule": "CMP-HOST", "eligible": True, "basis": "cap", "max": "100000.00", "payee": "unit"},
        state="approved",
        decided_amount=Decimal(amount),
        created_by=by,
    )
    FundEntry.objects.create(
        fund=fund, application=app, kind=FundEntry.Kind.COMMITMENT, amount=app.decided_amount
    )
    return app


def _city() -> list[Application]:
    changan = TownFactory(name="长安镇")
    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    fund = Fund.objects.create(
        programme="CMP-HOST", year=2024, name="承办竞赛补助资金", total=Decimal("1000000")
    )
    first = _approved(
        fund, OrganisationFactory(town=changan, name="东莞市长安精密模具有限公司"), "88000", bureau
    )
    second = _approved(
        fund, OrganisationFactory(town=changan, name="东莞市长安电子科技有限公司"), "40000", bureau
    )
    Application.objects.create(  # in review: no checkbox
        rule_id="CMP-HOST",
        organisation=OrganisationFactory(town=changan, name="东莞市长安五金制品厂"),
        town=changan,
        event_date=datetime.date(2024, 3, 1),
        outcome={"rule": "CMP-HOST", "eligible": True, "basis": "cap", "max": "100000.00"},
        state="in_review",
        created_by=bureau,
    )
    return [first, second]


def test_the_bureau_pays_two_approved_applications_at_once(live_server, browser):
    approved = _city()
    base = live_server.url
    for width in WIDTHS:
        page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
        login(page, base, "bureau")
        page.goto(f"{base}/grants/")
        screenshot(page, f"grants-list-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        assert not serious(axe_violations(page)), describe(
            f"grants list {width}", serious(axe_violations(page))
        )
        page.context.close()

    bureau = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    login(bureau, base, "bureau")
    bureau.goto(f"{base}/grants/")
    assert bureau.locator("input[name=ids]").count() == 2  # approved rows only
    bureau.check("#pay-select-all")
    assert all(bureau.is_checked(f"input[name=ids][value='{a.pk}']") for a in approved)
    bureau.click("#pay-batch")
    summary = bureau.inner_text("#pay-summary")
    assert "将拨付 2 件申请，收款方 2 家单位，合计 128,000.00 元" in summary
    assert (
        bureau.inner_text("#pay-batch-count") == "2" and bureau.inner_text("#pay-batch-total") == "128,000.00"
    )
    assert not Payment.objects.exists()
    for width in WIDTHS:
        bureau.set_viewport_size({"width": width, "height": 900})
        screenshot(bureau, f"pay-batch-confirm-{width}")
        assert bureau.evaluate("document.documentElement.scrollWidth") <= width
        found = serious(axe_violations(bureau))
        assert not found, describe(f"pay batch confirmation {width}", found)
    bureau.set_viewport_size({"width": 1366, "height": 900})
    bureau.fill("#treasury-reference", "GK2024-00128")
    bureau.click("#confirm-pay")
    bureau.wait_for_url(f"{base}/grants/")
    assert "已向 2 家单位拨付 128,000.00 元（共 2 笔，国库支付凭证号 GK2024-00128）" in bureau.content()
    assert Payment.objects.count() == 2
    assert set(Payment.objects.values_list("treasury_reference", flat=True)) == {"GK2024-00128"}
    # Going back and sending the confirmation again pays nothing more.
    bureau.go_back()
    if bureau.locator("#confirm-pay").count():
        bureau.fill("#treasury-reference", "GK2024-00128")
        bureau.click("#confirm-pay")
    assert Payment.objects.count() == 2
