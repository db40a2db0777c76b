"""Issue 3 item 6: the public policy calculator in a real browser, and the bureau's policy pages."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, name: str) -> None:
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"{name}-375")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_visitor_computes_an_upskill_subsidy_with_its_demo_value_mark(live_server, page):
    page.goto(f"{live_server.url}/policy/calculator/")
    page.select_option("#id_rule", "TRN-UPSKILL")  # submits the picker
    page.wait_for_selector("#fact-form")
    page.fill("#id_date", "2024-05-01")
    page.select_option("#id_certificate_kind", "skill_level")
    page.fill("#id_level", "3")
    page.select_option("#id_in_shortage_catalog", "true")
    page.click("#fact-form button[type=submit]")
    page.wait_for_selector("#outcome")
    assert page.inner_text("#outcome-amount") == "2,600.00"
    assert page.inner_text("#outcome-basis") == "定额"
    marks = page.locator("#outcome-marks .sc-muted-mark")
    assert any("演示值" in text for text in marks.all_inner_texts())
    assert page.locator("#outcome-marks .sc-muted-mark").first.is_visible()
    assert "补贴标准适当上浮30%" in page.inner_text("[data-testid=clauses]")
    # The result is a link: the address carries the rule, date and facts.
    assert "rule=TRN-UPSKILL" in page.url and "level=3" in page.url
    both_widths(page, "policy-calculator")

    # Components of CRT-ENT, and a rule whose validity ended: the default date is its last day.
    page.goto(
        f"{live_server.url}/policy/calculator/?rule=CRT-ENT&date=2024-05-01&filed_and_certifying=true"
        "&qbank_filed=true&shortage_certification=false&year_new_certificates=1200"
        "&year_new_certificates_level2_or_higher=30&provincial_social_org=false&already_received=0"
    )
    assert page.locator("#outcome-components tbody tr").count() == 5
    screenshot(page, "policy-calculator-crt-ent")
    page.goto(f"{live_server.url}/policy/calculator/?rule=TAL-LEADING")
    # Today by default; out of force, the page names the ended document and offers its last day.
    assert page.input_value("#id_date") == datetime.date.today().isoformat()
    if datetime.date.today() > datetime.date(2025, 12, 31):
        assert "2025-12-31" in page.inner_text("#not-in-force")
        page.click("#use-offered-day")
        assert page.input_value("#id_date") == "2025-12-31"
    page.click("#fact-form button[type=submit]")
    # count() does not wait: let the evaluated page arrive before counting its rows.
    expect(page.locator("#outcome-ranges tbody tr")).to_have_count(3)
    screenshot(page, "policy-calculator-tal-leading")

    # A bad fact: the message sits next to the field.
    page.goto(f"{live_server.url}/policy/calculator/?rule=TRN-PROJECT&date=2024-05-01&project_standard=1.234")
    assert "金额最多两位小数" in page.inner_text("#error-project_standard")
    assert "请选择“" in page.inner_text("#error-completed")


def test_the_bureau_sees_rules_and_runs_a_simulation(live_server, page, bureau_officer):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", bureau_officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/policy/rules/")
    page.click("#rule-TRN-UPSKILL summary")
    assert page.locator('[data-parameter="TRN-UPSKILL.shortage_uplift"]').count() == 2
    both_widths(page, "policy-rules")
    page.locator("#rule-TRN-UPSKILL").screenshot(path=str(ARTIFACTS / "policy-rules-upskill.png"))

    page.goto(f"{live_server.url}/policy/simulate/")
    page.select_option("#id_parameter_0", "TRN-PROJECT.cap")
    page.fill("#id_value_0", "2500")
    page.fill("#id_date_from", "2024-01-01")
    page.fill("#id_date_to", "2024-12-31")
    page.select_option("#id_source", "demo")
    page.click("#simulate-form button[type=submit]")
    page.wait_for_selector("#simulate-result")
    assert page.inner_text("#total-difference").startswith("-")
    # ECharts drew the bars (a canvas inside the chart box), from the vendored file.
    page.wait_for_selector("#chart-by-rule canvas")
    both_widths(page, "policy-simulate")
