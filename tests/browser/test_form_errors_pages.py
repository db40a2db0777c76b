"""The converted forms in a browser: errors sent back next to their fields, no serious accessibility
violation, no sideways scrolling at phone width."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skillcity.certification import services
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login
from tests.certification import conftest as certification
from tests.certification.conftest import make_session

SHOTS = os.environ.get("SC_SHOTS_DIR", "")
# The certification tests' fixtures, used here too.
evaluator = certification.evaluator
lathe = certification.lathe


def _look(page, name: str, failures: list[str]) -> None:
    failures.extend(describe(name, [v]) for v in serious(axe_violations(page)))
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"):
            failures.append(f"{name} at {width}px: the page scrolls sideways")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_certification_forms_show_their_errors_next_to_the_fields(
    live_server, page, evaluator, lathe, enterprise_user, changan_worker
):
    session = make_session(evaluator, lathe, enterprise_user)
    services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    base = live_server.url
    login(page, base, enterprise_user.username)
    failures: list[str] = []
    page.goto(f"{base}/certification/sessions/{session.pk}/")
    page.fill("input[name=theory_score]", "abc")
    page.fill("input[name=practical_score]", "101")
    page.click(".sc-score-form button")
    assert "成绩应为数字" in page.locator("#candidate-list .errorlist").first.inner_text()
    _look(page, "session-scores", failures)
    page.click("#candidate-form button")
    assert "请填写“身份证号码”" in page.locator("#candidate-form .errorlist").inner_text()
    _look(page, "session-candidate", failures)
    page.goto(f"{base}/certification/evaluators/{evaluator.pk}/")
    page.fill("#id_site", " ")
    page.click("#session-form button[type=submit]")
    assert "请填写“考核地点”" in page.locator("#error-site").inner_text()
    _look(page, "evaluator-session", failures)
    assert not failures, "\n".join(failures)
