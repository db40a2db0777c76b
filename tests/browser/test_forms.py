"""Issue 13 items 2–4 in Chromium: a form shows all its errors at once, each right under its field;
ISO dates survive the round trip through the browser; the public notice list. Screenshots at 1366
and 375 px wide."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SKILLCITY_SHOTS")  # a folder to copy the screenshots into, when set


def _shot(page, name: str) -> None:
    path = screenshot(page, name)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / path.name), full_page=True)


def _below(page, field: str, error: str) -> bool:
    """The error's box starts under the field's box and close to it (next to it, not elsewhere)."""
    f = page.locator(field).bounding_box()
    e = page.locator(error).bounding_box()
    return f is not None and e is not None and f["y"] + f["height"] <= e["y"] + 1 and e["y"] - f["y"] < 160


@pytest.mark.parametrize("width", [1366, 375])
def test_the_calculator_shows_every_error_next_to_its_field(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/policy/calculator/?rule=TRN-SUBBASE-COURSE")
    page.fill("#id_date", "")
    page.fill("#id_trainees", "3.5")
    page.click("#fact-form button[type=submit]")
    page.wait_for_selector("#form-errors")
    assert "请修正以下 4 处错误" in page.inner_text("#form-errors")
    assert page.inner_text("#error-date") == "请填写“事件日期”"
    assert page.inner_text("#error-course_category") == "请选择“课程类别”"
    assert page.inner_text("#error-accepted") == "请选择“课程已完成并通过验收”"
    assert "学员人数" in page.inner_text("#error-trainees")
    for name in ("date", "course_category", "accepted", "trainees"):
        assert _below(page, f"#id_{name}", f"#error-{name}"), name
        assert page.get_attribute(f"#id_{name}", "aria-invalid") == "true"
    # A date input is wide enough for the whole date.
    assert page.locator("#id_date").bounding_box()["width"] >= 150
    # The summary links to the field.
    page.click("#form-errors a[href='#id_trainees']")
    assert page.evaluate("location.hash") == "#id_trainees"
    _shot(page, f"forms-calculator-errors-{width}")


def test_the_simulation_s_iso_dates_survive_the_round_trip(live_server, page, bureau_officer):
    login(page, live_server.url, bureau_officer.username)
    page.goto(f"{live_server.url}/policy/simulate/")
    today = timezone.localdate()
    # The browser kept the values: a locale-formatted value ("2025/01/01") would read back empty.
    assert page.input_value("#id_date_from") == today.replace(month=1, day=1).isoformat()
    assert page.input_value("#id_date_to") == today.isoformat()
    page.fill("#id_date_from", "2024-01-01")
    page.fill("#id_date_to", "2024-12-31")
    page.select_option("#id_parameter_0", "TRN-PROJECT.cap")  # no new value: an error, and a round trip
    page.click("#simulate-form button[type=submit]")
    page.wait_for_selector("#error-value_0")
    assert page.input_value("#id_date_from") == "2024-01-01"
    assert page.input_value("#id_date_to") == "2024-12-31"
    assert "请修正以下 1 处错误" in page.inner_text("#form-errors")
    page.fill("#id_value_0", "2500")
    page.select_option("#id_source", "demo")
    page.click("#simulate-form button[type=submit]")
    page.wait_for_selector("#simulate-result")  # not "both dates are missing"
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        _shot(page, f"forms-simulation-{width}")


def test_the_public_notice_list_reads_in_full_and_answers_an_objection(
    live_server, page, monkeypatch, enterprise_user, worker_user, changan_officer, bureau_officer
):
    from skillcity.grants import outcomes, services
    from tests.grants.conftest import fake_evaluate

    monkeypatch.setattr(outcomes, "evaluate", fake_evaluate)
    for user, amount in ((enterprise_user, Decimal("36000.00")), (worker_user, None)):
        app = services.application_create(
            actor=user, rule_id="CMP-HOST", event_date=datetime.date(2024, 3, 1), facts={}
        )
        app = services.application_submit(application=app, actor=user)
        app = services.application_review_pass(application=app, actor=changan_officer)
        app = services.application_review_pass(application=app, actor=bureau_officer, amount=amount)
        services.notice_start(application=app, actor=bureau_officer, start=timezone.localdate())
    page.goto(f"{live_server.url}/grants/notices/")
    cards = page.locator("article.sc-notice")
    assert cards.count() == 2
    text = page.inner_text("main")
    assert "承办竞赛补助" in text and "36,000.00" in text and "GS-" in text
    assert worker_user.worker.name not in text and "陈*安" in text
    assert "补贴公示" in page.inner_text("ol.breadcrumb")
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        _shot(page, f"forms-notices-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})
    first = cards.first
    first.locator("summary").click()
    first.locator("textarea[name=text]").fill("重复申报")
    first.locator("input[name=contact]").fill("13800000000")
    first.locator("button").click()
    page.wait_for_selector("#receipt-number")
    assert len(page.inner_text("#receipt-number")) >= 8
    _shot(page, "forms-notices-receipt-1366")
