"""Issue 6 item 8: one application in a real browser, from submission to payment, with the real engine."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group

from skillcity.accounts.models import Role
from skillcity.grants.flows import FINANCE_GROUP
from skillcity.grants.models import Application, PublicNotice
from tests.browser.conftest import login, screenshot
from tests.factories import OrganisationFactory, TownFactory, UserFactory
from tests.platforms.experts_helpers import make_expert, make_pool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_application_goes_from_the_facts_form_to_payment(live_server, page):
    changan = TownFactory(name="长安镇")
    studio = OrganisationFactory(town=changan, name="东莞市长安精工模具有限公司")
    UserFactory(username="applicant", role=Role.ORGANISATION_USER, organisation=studio)
    UserFactory(username="changan", role=Role.TOWN_OFFICER, town=changan)
    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])  # the bureau officer also pays
    base = live_server.url

    # The applicant chooses the rule; the form is built from its facts; the engine's outcome appears.
    login(page, base, "applicant")
    page.goto(f"{base}/grants/apply/")
    # A studio's grant is made from its recognition records, so the chooser does not offer it; a case no
    # record holds is still applied for by its address, and the form says where the records make it.
    assert page.locator("#rule option[value='PLT-STUDIO']").count() == 0
    page.goto(f"{base}/grants/apply/?rule=PLT-STUDIO")
    assert "技能大师工作室" in page.inner_text("#from-records")
    page.fill("#event_date", "2024-05-01")
    page.select_option("#id_recognition", "new_city")
    page.fill("#id_requested", "420000")
    page.locator("#outcome-amount").wait_for()
    assert page.inner_text("#outcome-amount") == "420,000.00"
    assert page.inner_text("#outcome-max") == "500,000.00"
    assert "D003" in page.inner_text("#outcome-panel")
    screenshot(page, "grants-apply")
    page.click("#save")
    page.wait_for_selector("#submit")
    page.click("#submit")
    assert page.inner_text("#state") == "审核中"
    app = Application.objects.get()

    # The town stage, then the bureau stage.
    login(page, base, "changan")
    page.goto(f"{base}/grants/{app.pk}/")
    page.click("#pass")
    login(page, base, "bureau")
    page.goto(f"{base}/grants/{app.pk}/")
    # The bureau draws the reviewers from the expert pool on the application's page: the applicant's own
    # staff are passed over without anyone naming the unit.
    own = make_expert(bureau, "services", organisation=studio)
    pool = make_pool(bureau, {"services": 2})
    page.fill("#expert-draw-size", "2")
    page.click("#expert-draw-grant button[type=submit]")
    assert "已从专家库抽取" in page.inner_text(".alert-success")
    drawn = page.inner_text(".alert-success")
    assert all(e.worker.name in drawn for e in pool) and own.worker.name not in drawn
    assert "抽取记录第" in page.inner_text("#grant-review-experts")
    screenshot(page, "grants-expert-draw")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "grants-expert-draw-phone")
    page.set_viewport_size({"width": 1366, "height": 800})
    page.click("#pass")
    assert page.inner_text("#state") == "审核通过待公示"
    page.click("#notice")
    assert page.inner_text("#state") == "公示中"

    # The public notice ran its five working days with no objection (the test moves it into the past).
    PublicNotice.objects.filter(application=app).update(
        start=datetime.date(2024, 6, 3), end=datetime.date(2024, 6, 7)
    )
    page.goto(f"{base}/grants/{app.pk}/")
    # No PLT-STUDIO fund for 2024 yet: refused, naming the fund, with a link to create it.
    page.fill("form[action$='/approve/'] input[name=amount]", "400000")
    page.click("#approve")
    assert "没有 2024 年度的资金" in page.content()
    page.click("a[href*='/grants/funds/new/?programme=PLT-STUDIO']")
    page.fill("#f-total", "2000000")
    page.fill("#f-name", "技能大师工作室资助 2024")
    page.click("#fund-save")
    assert "已新建资金" in page.content()
    page.goto(f"{base}/grants/{app.pk}/")
    page.fill("form[action$='/approve/'] input[name=amount]", "520000")  # above the cap: refused
    page.click("#approve")
    assert "500000" in page.content()
    app.refresh_from_db()
    assert app.state == "in_notice"
    page.fill("form[action$='/approve/'] input[name=amount]", "400000")
    page.click("#approve")
    assert page.inner_text("#state") == "已核准"
    page.click("#pay")
    # The confirmation: one recipient and the amount; then the treasury reference.
    assert "将向 1 个收款方" in page.inner_text("#pay-summary") and "400,000.00" in page.inner_text(
        "#pay-summary"
    )
    page.fill("#treasury-reference", "GK2024-0007")
    page.click("#confirm-pay")
    assert page.inner_text("#state") == "已拨付"
    assert (
        "已向 东莞市长安精工模具有限公司 拨付 400,000.00 元（国库支付凭证号 GK2024-0007）" in page.content()
    )
    screenshot(page, "grants-paid")

    # The applicant sees it paid, once.
    login(page, base, "applicant")
    page.goto(f"{base}/grants/{app.pk}/")
    assert page.inner_text("#state") == "已拨付"
    app.refresh_from_db()
    assert app.payment.amount == 400000


def test_the_bureau_page_shows_the_edu_base_special_fund_with_its_years_and_clause(live_server, page):
    from skillcity.grants import services

    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    services.fund_from_policy(
        actor=bureau, programme="EDU-BASE", parameter="EDU-BASE.fund", name="高水平校企合作基地专项资金"
    )
    login(page, live_server.url, "bureau")
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/grants/bureau/")
        row = page.inner_text("#funds tbody")
        assert "2022–2025" in row and "依据：D003 §二(一)" in row
        screenshot(page, f"grants-bureau-fund-{width}")
