"""Issue 16: from a worker's card application on the phone to the public verification of the card; the
bureau's card pages at desk and phone widths."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from skillcity.accounts.models import Role
from skillcity.registry.models import SkillRecord
from skillcity.registry.services import skill_record_add
from skillcity.talents.models import HonourList, StudioLead
from skillcity.talents.services import cards, honours
from tests.browser.conftest import login, screenshot
from tests.factories import OrganisationFactory, TownFactory, UserFactory, WorkerFactory
from tests.talents.conftest import xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1366, "height": 900}


def test_a_worker_applies_on_the_phone_and_the_public_verifies_the_card(live_server, page):
    cache.clear()
    changan = TownFactory(name="长安镇")
    enterprise = OrganisationFactory(town=changan, name="东莞市长安精密制造有限公司")
    holder = WorkerFactory(town=changan, employer=enterprise, name="陈长安", highest_level=3)
    UserFactory(username="worker_user", role=Role.WORKER, worker=holder)
    bureau = UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    skill_record_add(
        worker=holder,
        kind=SkillRecord.Kind.HONOUR,
        actor=bureau,
        obtained_on=datetime.date(2024, 3, 1),
        honour="dongguan_craftsman",
        name="莞邑工匠",
    )
    StudioLead.objects.create(
        worker=holder,
        studio_name="长安精密模具技能大师工作室",
        level="provincial",
        recognised_on=datetime.date(2024, 1, 1),
    )
    cards.card_service_save(
        actor=bureau, name="人才子女入学协调", provider="市教育局", description="按政策协调安排", demo=True
    )
    cards.card_service_save(actor=bureau, name="公共交通优惠", provider="市交通运输局", demo=True)

    page.set_viewport_size(PHONE)
    login(page, live_server.url, "worker_user")
    page.goto(f"{live_server.url}/talents/card/")
    assert page.get_attribute("#card-eligibility", "data-eligible") == "yes"
    reasons = page.inner_text("#card-reasons")
    assert "莞邑工匠" in reasons and "省级" in reasons
    screenshot(page, "talent-card-apply-phone")
    page.click("#card-apply")
    page.wait_for_selector("#talent-card")
    number = page.inner_text("#card-number")
    assert number.startswith("YCK")
    assert page.query_selector("#talent-card svg") is not None
    assert "演示数据，文件未列明" in page.inner_text("#card-services")
    screenshot(page, "talent-card-mine-phone")
    link = page.get_attribute("#card-verify-link", "href")

    # The public (no login) opens the QR's link.
    page.context.clear_cookies()
    page.goto(link)
    assert page.get_attribute("#verify-status", "data-status") == "valid"
    assert number in page.inner_text("[data-testid=card-facts]")
    assert page.inner_text("[data-testid=holder]") == "陈*安"
    assert holder.id_number not in page.content()
    screenshot(page, "talent-card-verify-phone")
    page.set_viewport_size(DESK)
    screenshot(page, "talent-card-verify-desk")

    # A forged link.
    forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    page.goto(forged)
    assert page.get_attribute("#verify-status", "data-status") == "tampered"

    # The bureau revokes it; the same link then says so.
    honours.honours_import(
        award="五一劳动奖章",
        year=2025,
        filename="h.xlsx",
        content=xlsx([["姓名", "身份证号码", "工作单位"], ["陈长安", holder.id_number, enterprise.name]]),
        actor=bureau,
    )
    login(page, live_server.url, "bureau_officer")
    for url, name in (
        ("/talents/pool/", "talent-pool"),
        ("/talents/services/", "talent-services"),
        ("/talents/imports/", "talent-imports"),
        (f"/talents/honours/{HonourList.objects.get().pk}/", "talent-honour-share"),
        (f"/registry/workers/{holder.pk}/", "talent-edu-equiv"),
        ("/talents/cards/", "talent-cards"),
    ):
        page.set_viewport_size(DESK)
        page.goto(f"{live_server.url}{url}")
        screenshot(page, f"{name}-desk")
        page.set_viewport_size(PHONE)
        screenshot(page, f"{name}-phone")
    # A titles file with a bad row: nothing written, the row and the column named.
    page.set_viewport_size(DESK)
    page.goto(f"{live_server.url}/talents/imports/")
    bad = xlsx(
        [["身份证号码", "姓名", "称号", "授予日期"], [holder.id_number, "陈长安", "劳动模范", "2025-01-01"]]
    )
    page.set_input_files(
        "#titles-file", files=[{"name": "titles.xlsx", "mimeType": "application/octet-stream", "buffer": bad}]
    )
    page.click("#import-titles button[type=submit]")
    page.wait_for_selector("#import-errors")
    assert "第2行" in page.inner_text("#import-errors") and "称号" in page.inner_text("#import-errors")
    screenshot(page, "talent-imports-errors-desk")
    page.goto(f"{live_server.url}/talents/cards/")
    page.fill("#card-table input[name=reason]", "本人申请注销")
    page.click("#card-table button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.context.clear_cookies()
    cache.clear()
    page.goto(link)
    assert page.get_attribute("#verify-status", "data-status") == "revoked"
    assert "本人申请注销" in page.inner_text("#verify-status")
