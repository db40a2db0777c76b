"""Leading talents in a real browser: a panel member scores on a phone (an out-of-range point named next
to its criterion, then the sheet submitted), and the bureau sees the sheet on the application."""

from __future__ import annotations

import pytest

from skillcity.talents.services import leading
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.talents.leading_helpers import DAY, call, expert, funds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_a_panel_member_scores_on_a_phone(live_server, page, bureau_officer, worker_user, changan):
    funds(bureau_officer)
    the_call = call(bureau_officer)
    app = leading.application_submit(
        actor=worker_user, call=the_call, grounds="主持解决精密模具难题", day=DAY
    )
    leading.formal_check(actor=bureau_officer, application=app, passed=True)
    ew, eu = expert(changan)
    assignment = leading.assign(
        actor=bureau_officer,
        application=app,
        member=leading.panel_member_add(actor=bureau_officer, call=the_call, worker=ew),
    )
    page.set_viewport_size({"width": 375, "height": 800})
    _login(page, live_server.url, eu.username)
    page.goto(f"{live_server.url}/talents/leading/panel/")
    page.click("#assignments a")
    page.wait_for_url(f"**/talents/leading/panel/{assignment.pk}/")
    assert "主持解决精密模具难题" in page.inner_text("main")
    page.fill("#id_skill", "35")
    page.fill("#id_contribution", "25")
    page.fill("#id_honours", "18")
    page.fill("#id_mentoring", "17.5")
    page.click("#score-form button[type=submit]")
    assert "技能水平与绝技绝活" in page.inner_text("#error-skill")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "leading-score-sheet-375")
    page.fill("#id_skill", "28")
    page.click("#score-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/talents/leading/panel/")
    assert "已提交" in page.inner_text("#assignments")

    page.set_viewport_size({"width": 1366, "height": 900})
    _login(page, live_server.url, bureau_officer.username)
    page.goto(f"{live_server.url}/talents/leading/applications/{app.pk}/")
    assert "88.5" in page.inner_text("#scores")
    screenshot(page, "leading-application-1366")
