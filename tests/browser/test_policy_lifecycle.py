"""Issue 14: a successor version drafted by one bureau officer, approved by another, and answered by
the calculator on a date after every shipped document ended (2025-12-31)."""

from __future__ import annotations

import pytest

from skillcity.accounts.models import Role
from tests.browser.conftest import login, screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, name: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"{name}-375")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_officer_a_drafts_officer_b_approves_and_the_calculator_answers_for_2026(live_server, page):
    UserFactory(username="officer_a", role=Role.BUREAU_OFFICER, display_name="起草人甲")
    UserFactory(username="officer_b", role=Role.BUREAU_OFFICER, display_name="复核人乙")
    base = live_server.url

    # Before: no rule in force in 2026.
    page.goto(
        f"{base}/policy/calculator/?rule=TRN-PROJECT&date=2026-06-01&project_standard=3600&completed=true"
    )
    assert page.locator("#outcome").count() == 0

    login(page, base, "officer_a")
    page.goto(f"{base}/policy/rules/")
    assert page.locator("#none-in-force").is_visible()
    both_widths(page, "policy-rules")
    page.goto(f"{base}/policy/drafts/")
    page.fill("#id_title", "2026年项目制培训补贴延续执行")
    page.click("form:has(input[value=draft]) button[type=submit]")
    page.wait_for_selector("#version-form")

    # A range where one amount is expected: refused next to the field.
    page.select_option("#id_parameter", "TRN-PROJECT.cap")
    page.fill("#id_value", "1000-3000")
    page.fill("#id_effective_from", "2026-01-01")
    page.fill("#id_effective_to", "2026-12-31")
    page.select_option("#id_document", "__new__")
    page.fill("#id_new_key", "D005")
    page.fill("#id_new_title", "关于延续执行项目制培训补贴的通知")
    page.fill("#id_new_issuer", "东莞市人力资源和社会保障局")
    page.fill("#id_new_from", "2026-01-01")
    page.fill("#id_new_to", "2026-12-31")
    page.fill("#id_clause", "第一条")
    page.fill("#id_text", "项目制培训补贴按每个项目每人最高3200元标准执行。")
    page.click("[data-testid=add-version]")
    assert "区间" in page.inner_text("#error-value")
    page.fill("#id_value", "3200")
    page.click("[data-testid=add-version]")
    page.wait_for_selector("#diff tr[data-parameter='TRN-PROJECT.cap']")
    assert "3,200.00" in page.inner_text("#diff") or "3200" in page.inner_text("#diff")
    page.click("[data-testid=submit]")
    page.wait_for_selector("#own-draft")
    assert page.locator("[data-testid=approve]").count() == 0
    draft_url = page.url

    login(page, base, "officer_b")
    page.goto(draft_url)
    assert page.inner_text("[data-testid=draft-state]") == "待复核"
    assert page.locator("#samples").is_visible() and page.locator("#what-if").is_visible()
    both_widths(page, "policy-draft")
    page.fill("#note", "已核对文件原文")
    page.click("[data-testid=approve]")
    page.wait_for_selector("text=已复核通过并发布")
    assert page.inner_text("[data-testid=draft-state]") == "已发布"

    page.goto(
        f"{base}/policy/calculator/?rule=TRN-PROJECT&date=2026-06-01&project_standard=3600&completed=true"
    )
    page.wait_for_selector("#outcome")
    assert page.inner_text("#outcome-amount") == "3,200.00"
    assert "D005" in page.inner_text("[data-testid=clauses]")
    page.goto(f"{base}/policy/rules/")
    assert page.locator("#documents tr[data-key='D005'][data-status='in_force']").count() == 1
