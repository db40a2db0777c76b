"""Public training sub-bases in a real browser on a phone: the bureau sets the year's places, an
allocation past them is refused next to the places field naming what remains, and the page fits 375 px."""

from __future__ import annotations

import pytest

from skillcity.platforms.models import CourseAllocation
from skillcity.platforms.services import subbases as services
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.platforms.subbases_helpers import YEAR, recognised_subbase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_an_allocation_past_the_quota_is_refused_on_a_phone(
    live_server, page, bureau_officer, enterprise_user
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    services.quota_set(actor=bureau_officer, year=YEAR, places=3000)
    services.allocation_create(
        actor=bureau_officer, subbase=subbase, year=YEAR, places=2980, course_name="数控车", category="A"
    )
    page.set_viewport_size({"width": 375, "height": 800})
    _login(page, live_server.url, bureau_officer.username)
    page.goto(f"{live_server.url}/platforms/subbases/purchases/?year={YEAR}")
    assert "剩余 20 人" in page.inner_text("#quota-summary")
    page.select_option("#id_allocate-subbase", str(subbase.pk))
    page.fill("#id_allocate-course_name", "工业机器人")
    page.select_option("#id_allocate-category", "B")
    page.fill("#id_allocate-places", "21")
    page.click("#allocate button[type=submit]")
    assert "剩余20个" in page.inner_text("#error-allocate-places")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "subbase-quota-refused-375")
    page.fill("#id_allocate-places", "20")
    page.click("#allocate button[type=submit]")
    page.wait_for_selector("#allocations")
    assert "工业机器人" in page.inner_text("#allocations")
    assert CourseAllocation.objects.count() == 2
