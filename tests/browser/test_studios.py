"""Issue 17 §1: from a studio application to its grant paid and its lead's talent-card eligibility — the
enterprise files on its page, the bureau reviews and recognises on the studio's page, the grant goes the
grants path to paid, the lead sees the card eligible on the phone because of the studio; the public list
shows it; closing it takes the basis away."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from skillcity.accounts.models import Role
from skillcity.grants.models import Application
from skillcity.platforms.models import Studio
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.factories import UserFactory
from tests.platforms.studios_setup import pay, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1366, "height": 900}


def _both(page, name: str) -> None:
    """Screenshots at desk and phone widths, and no serious WCAG 2.1 AA violation at either."""
    for size, width in ((DESK, "desk"), (PHONE, "phone")):
        page.set_viewport_size(size)
        screenshot(page, f"{name}-{width}")
        found = serious(axe_violations(page))
        assert not found, describe(f"{name} @{width}", found)
    page.set_viewport_size(DESK)


def test_a_studio_application_to_its_grant_paid_and_the_leads_talent_card(live_server, page):
    cache.clear()
    w = world()
    w["lead"].highest_level = 3  # on its own not enough for the card: the studio is the basis
    w["lead"].save()
    UserFactory(username="studio_lead", role=Role.WORKER, worker=w["lead"])

    # The enterprise files the application, a registry worker as its lead; a missing name is shown at its field.
    login(page, live_server.url, "studio_unit")
    page.goto(f"{live_server.url}/platforms/studios/")
    page.select_option("#id_apply-lead", str(w["lead"].pk))
    page.fill("#id_apply-occupation", "模具工")
    page.fill("#id_apply-summary", "带徒传技、攻关模具精度")
    page.click("#studio-apply-submit")
    assert "工作室名称" in page.inner_text("#error-apply-name")
    _both(page, "studio-apply-errors")
    page.fill("#id_apply-name", "长安精密模具技能大师工作室")
    page.click("#studio-apply-submit")
    page.wait_for_selector("#studio-state")
    assert page.get_attribute("#studio-state", "data-state") == "submitted"
    studio = Studio.objects.get()

    # The bureau reviews and recognises it; an amount over the cap is refused next to its field.
    login(page, live_server.url, "studio_bureau")
    page.goto(f"{live_server.url}/platforms/studios/{studio.pk}/")
    page.check("#id_review-decision_0")
    page.click("#studio-review-submit")
    page.wait_for_selector("#studio-recognise")
    page.fill("#id_recognise-amount", "480000")
    page.fill("#id_recognise-recognised_on", "2024-03-01")
    page.click("#studio-recognise-submit")
    assert page.get_attribute("#studio-state", "data-state") == "recognised"
    grant = Application.objects.get(source_key=f"platforms.studios.{studio.pk}:new_city")
    assert grant.requested_amount == 480000

    # The grant goes the one grants path to paid; the studio's page shows it.
    pay(w, grant)
    page.goto(f"{live_server.url}/platforms/studios/{studio.pk}/")
    assert page.get_attribute("#studio-grants tr[data-kind=new_city] td[data-state]", "data-state") == "paid"
    _both(page, "studio-detail-recognised")
    page.goto(f"{live_server.url}/platforms/studios/")
    assert "2021–2025年已新建 1 个" in page.inner_text("#studio-progress")
    _both(page, "studio-list-bureau")

    # The lead, on the phone: the card is open to them because of the studio.
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "studio_lead")
    page.goto(f"{live_server.url}/talents/card/")
    assert page.get_attribute("#card-eligibility", "data-eligible") == "yes"
    assert "市级" in page.inner_text("#card-reasons")
    screenshot(page, "studio-lead-card-phone")

    # The public list (no login) shows the studio with the lead's name masked.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/platforms/public/")
    assert "长安精密模具技能大师工作室" in page.inner_text("#public-studio-table")
    assert "陈*师" in page.inner_text("#public-studio-table") and "陈大师" not in page.content()
    _both(page, "studio-public")

    # The bureau closes it with the reason: the lead's card basis is gone.
    login(page, live_server.url, "studio_bureau")
    page.goto(f"{live_server.url}/platforms/studios/{studio.pk}/")
    page.fill("#id_close-reason", "企业搬迁")
    page.fill("#id_close-ended_on", "2025-06-01")
    page.click("#studio-close-submit")
    assert "企业搬迁" in page.inner_text("#studio-end")
    _both(page, "studio-detail-closed")
    login(page, live_server.url, "studio_lead")
    page.goto(f"{live_server.url}/talents/card/")
    assert page.get_attribute("#card-eligibility", "data-eligible") == "no"
