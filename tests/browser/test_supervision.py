# ruff: noqa: F811  (the fixtures imported from tests.grants.conftest and workflow_helpers are named as the tests' arguments)
"""Issue 20 §2 in the browser: a Changan officer opens an alert from the list, starts the investigation,
confirms it (a missing reason shown next to its field first), records a recovery from the paid
application, and sees it on the alert and on the application page — at 1366 px, then the same alert on
the phone at 375 px with nothing scrolling sideways. No serious WCAG 2.1 AA violation."""

from __future__ import annotations

import pytest

from skillcity.grants.models import Recovery
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.grants.conftest import default_funds, fake_engine, finance_officer  # noqa: F401
from tests.supervision.workflow_helpers import grants_check, paid, raise_alert  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1366, "height": 900}


def no_serious_violations(page, where: str) -> None:
    found = serious(axe_violations(page))
    assert not found, describe(where, found)


def test_from_an_alert_to_a_confirmed_recovery(
    live_server, page, grants_check, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    app = paid(enterprise_user, changan_officer, bureau_officer, finance_officer)
    alert = raise_alert()

    page.set_viewport_size(DESK)
    login(page, live_server.url, "changan_officer")
    page.goto(f"{live_server.url}/supervision/")
    assert "测试：已核准的承办补贴" in page.inner_text("#alerts")
    no_serious_violations(page, "/supervision/")
    screenshot(page, "supervision-alerts-desk")
    page.click(f"#alerts a[href='/supervision/alerts/{alert.pk}/']")
    assert alert.message in page.inner_text("#alert-message")
    assert page.locator(f"#alert-records a[href='/grants/{app.pk}/']").count() == 1
    page.click("#form-investigate button[type=submit]")
    page.wait_for_selector("text=已开始核查")
    page.click("#form-confirm button[type=submit]")
    page.wait_for_selector("#form-confirm [data-error=reason]")
    assert "请填写此项" in page.inner_text("#form-confirm")
    page.fill("#f-confirm-reason", "现场核查：承办活动未举办")
    page.click("#form-confirm button[type=submit]")
    page.wait_for_selector("#form-recover")
    assert page.inner_text("#alert-state") == "已确认违规"
    page.fill("#f-amount", "30000")
    page.fill("#f-recover-reason", "虚报承办费用，追回三成")
    page.click("#form-recover button[type=submit]")
    page.wait_for_selector("#recoveries")
    assert "30,000.00" in page.inner_text("#recoveries")
    assert "追回资金" in page.inner_text("#events")
    no_serious_violations(page, f"/supervision/alerts/{alert.pk}/")
    screenshot(page, "supervision-alert-recovered-desk")
    assert Recovery.objects.get().amount == 30000
    page.goto(f"{live_server.url}/grants/{app.pk}/")
    assert "30,000.00" in page.inner_text("#recoveries") and "监管预警" in page.inner_text("#recoveries")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/supervision/alerts/{alert.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_serious_violations(page, f"/supervision/alerts/{alert.pk}/ (phone)")
    screenshot(page, "supervision-alert-phone")
    page.goto(f"{live_server.url}/supervision/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "supervision-alerts-phone")
    page.goto(f"{live_server.url}/supervision/risk/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "supervision-risk-phone")
