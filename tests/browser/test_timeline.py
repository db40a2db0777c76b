"""Issue 19 §5–6 in the browser: a worker's timeline on the phone (training, its certificate and the job
after it, from the records); an officer's view of it from the registry, masked; the training outcomes
and the employment statistics at desk width. No serious WCAG 2.1 AA violation."""

from __future__ import annotations

import datetime

import pytest

from skillcity.accounts.models import Role
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.certification.conftest import evaluator  # noqa: F401
from tests.employment.helpers import contribute
from tests.factories import UserFactory
from tests.timeline.conftest import certify_on, enrol_and_complete
from tests.training.conftest import institution, lathe, project, training_class  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1366, "height": 900}


def no_serious_violations(page, where: str) -> None:
    found = serious(axe_violations(page))
    assert not found, describe(where, found)


def test_the_timeline_on_the_phone_and_the_outcomes_at_the_desk(
    live_server, page, request, changan_worker, changan_enterprise, bureau_officer, changan_officer
):
    # The training and certification fixtures (imported above) by name: they share names with this module.
    in_class, by, trade = (request.getfixturevalue(name) for name in ("training_class", "evaluator", "lathe"))
    UserFactory(username="worker_user", role=Role.WORKER, worker=changan_worker)
    enrol_and_complete(in_class, changan_worker)
    certify_on(by, trade, changan_worker, bureau_officer, datetime.date(2025, 6, 20))
    contribute(changan_worker, changan_enterprise, "2025-07", 6)

    page.set_viewport_size(PHONE)
    login(page, live_server.url, "worker_user")
    page.goto(f"{live_server.url}/timeline/mine/")
    text = page.inner_text("main")
    assert "参保就业" in text and "培训结业" in text and "此后取得证书：2025-06-20 车工" in text
    assert text.index("参保就业") < text.index("取得职业技能等级证书") < text.index("培训结业")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_serious_violations(page, "/timeline/mine/")
    screenshot(page, "timeline-mine-phone")
    page.check("#source-employment")
    page.click("#timeline-filter button[type=submit]")
    page.wait_for_selector("text=显示全部")
    assert "培训结业" not in page.inner_text("main")

    page.set_viewport_size(DESK)
    login(page, live_server.url, changan_officer.username)
    page.goto(f"{live_server.url}/registry/workers/{changan_worker.pk}/")
    page.click("#timeline-link")
    person = page.inner_text("#timeline-person")
    assert changan_worker.id_number_masked in person and changan_worker.id_number not in person
    screenshot(page, "timeline-officer-desk")

    login(page, live_server.url, bureau_officer.username)
    page.goto(f"{live_server.url}/timeline/outcomes/?year=2025")
    assert "100.0%" in page.inner_text("#outcomes")
    no_serious_violations(page, "/timeline/outcomes/")
    screenshot(page, "timeline-outcomes-desk")
    page.goto(f"{live_server.url}/employment/stats/")
    assert "2025-12" in page.inner_text("#flows")
    no_serious_violations(page, "/employment/stats/")
    screenshot(page, "employment-stats-desk")
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "employment-stats-phone")
