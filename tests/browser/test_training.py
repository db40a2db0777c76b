"""Issue 5: a provider redeems a voucher by typing its code; the worker sees it redeemed on a phone."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.accounts.models import Role
from skillcity.registry.models import OrganisationCategory
from skillcity.training import services
from skillcity.training.codes import voucher_code_display
from skillcity.training.models import Voucher
from tests.browser.conftest import login, screenshot
from tests.factories import OrganisationFactory, TownFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_provider_redeems_a_typed_code_and_the_worker_sees_it_on_a_phone(live_server, browser):
    changan = TownFactory(name="长安镇")
    school = OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    worker = WorkerFactory(town=changan, name="林学员")
    UserFactory(username="school", role=Role.ORGANISATION_USER, organisation=school)
    UserFactory(username="learner", role=Role.WORKER, worker=worker)
    today = datetime.date.today()
    services.voucher_batch_issue(
        name="2026年职业培训券",
        face_value=Decimal("500"),
        valid_from=today - datetime.timedelta(days=1),
        valid_to=today + datetime.timedelta(days=90),
        workers=type(worker).objects.filter(pk=worker.pk),
        actor="t",
    )
    voucher = Voucher.objects.get()
    base = live_server.url

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    login(desk, base, "school")
    desk.goto(f"{base}/training/")
    desk.click("[data-testid=open-counter]")
    desk.fill("#voucher-code", voucher_code_display(voucher.code).lower())  # typed as on the card, any case
    desk.click("#counter-form button[type=submit]")
    assert "培训券核销成功" in desk.content()
    desk.fill("#voucher-code", voucher_code_display(voucher.code))  # the same voucher again: refused
    desk.click("#counter-form button[type=submit]")
    assert "该培训券已核销" in desk.content()
    screenshot(desk, "training-redeem")

    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 800}, is_mobile=True
    ).new_page()
    login(phone, base, "learner")
    phone.goto(f"{base}/training/")
    badge = phone.locator("[data-state]").first
    assert badge.get_attribute("data-state") == "redeemed"
    assert badge.inner_text() == "已核销"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    screenshot(phone, "training-worker-phone")
