"""Issue 14 §4: a draft and a whole alternative pack as reforms on the what-if page, beside what is in
force, with the charts by rule, town and year drawn (ECharts, no CSP violation)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.test import override_settings

from skillcity.accounts.models import Role
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.factories import UserFactory
from tests.policy.drafting import continuation_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST_PACKS = str(Path(__file__).resolve().parent.parent / "packs")
D2026 = datetime.date(2026, 1, 1)


def _draft(officer):
    return continuation_draft(
        officer,
        title="2026年项目制培训补贴延续执行",
        text="项目制培训补贴按每个项目每人最高3200元标准执行。",
    )


def _run(page, base: str, **reform: str) -> None:
    page.goto(f"{base}/policy/simulate/")
    page.fill("#id_date_from", "2025-01-01")
    page.fill("#id_date_to", "2026-12-31")
    page.select_option("#id_source", "demo")
    for field, value in reform.items():
        page.select_option(f"#id_{field}", value)
    page.click("#simulate-form button.btn-primary")
    page.wait_for_selector("#simulate-result")
    for chart in ("by-rule", "by-town", "by-year"):
        page.wait_for_selector(f"#chart-{chart} canvas")


def _both_widths(page, name: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"{name}-375")
    page.set_viewport_size({"width": 1366, "height": 900})


@override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
def test_a_draft_and_a_pack_as_reforms_with_their_charts(live_server, page):
    officer = UserFactory(username="officer_a", role=Role.BUREAU_OFFICER)
    draft = _draft(officer)
    base = live_server.url
    login(page, base, "officer_a")

    _run(page, base, draft=str(draft.pk))
    assert "2026年项目制培训补贴延续执行" in page.inner_text("#reform-label")
    assert page.locator("#by-year tr[data-key='2026']").count() == 1
    _both_widths(page, "policy-reform-draft")
    found = serious(axe_violations(page))
    assert not found, describe("what-if with a draft", found)

    _run(page, base, pack="testcity")
    assert "CMP-HOST" not in page.inner_text("#by-rule")  # the demo source has training cases only
    assert "testcity" in page.inner_text("#reform-label")
    _both_widths(page, "policy-reform-pack")

    # An unknown pack posted by hand: refused under its field.
    page.goto(f"{base}/policy/simulate/")
    page.evaluate("document.querySelector('#id_pack').add(new Option('atlantis', 'atlantis'))")
    page.select_option("#id_pack", "atlantis")
    page.select_option("#id_source", "demo")
    page.click("#simulate-form button.btn-primary")
    assert "atlantis" in page.inner_text("#error-pack")
