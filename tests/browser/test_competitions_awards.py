"""Issue 15 item 3 in a real browser: the bureau makes a competition's award applications with one
button, a unit sees them, and the application says which record it came from; the pages at desktop
and phone widths."""

from __future__ import annotations

import pytest

from skillcity.accounts.models import Role
from skillcity.grants.models import Application
from tests.browser.conftest import login, screenshot
from tests.competitions.awards_setup import camp_of, project_of, result_of, worker
from tests.factories import OrganisationFactory, TownFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bureau_generates_a_competitions_awards_and_a_unit_sees_them(live_server, page):
    changan = TownFactory(name="长安镇")
    unit = OrganisationFactory(town=changan, name="东莞市长安精密机械有限公司")
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    UserFactory(username="unit", role=Role.ORGANISATION_USER, organisation=unit)
    project = project_of("provincial_class1", external=True, name="数控车")
    result_of(project, "gold", unit=unit, players=[worker(name="陈金牌", town=changan)],
              coach=worker(name="林教练", town=changan), prize="20000")  # fmt: skip
    result_of(project, "silver", rank=2, players=[worker(name="黄银牌", town=changan)])
    camp_of(project, unit=unit, trainees=[(worker(name="李集训", town=changan), 3)])
    base = live_server.url

    login(page, base, "bureau")
    page.goto(f"{base}/competitions/awards/{project.competition.pk}/")
    assert "陈金牌" in page.inner_text("#claims") and "20,000.00" in page.inner_text("#claims")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "awards-competition-1366")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "awards-competition-375")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("#generate-all")
    page.wait_for_selector(".alert-success")
    made = Application.objects.count()
    assert made >= 6 and Application.objects.filter(state="in_review").count() == made
    assert "审核中" in page.inner_text("#claims")
    screenshot(page, "awards-competition-generated-1366")
    page.click("#claims a[href^='/grants/']")
    assert "来源：" in page.inner_text("#application-source")

    login(page, base, "unit")
    page.goto(f"{base}/competitions/awards/")
    assert "陈金牌" in page.inner_text("#unit-results")
    assert "审核中" in page.inner_text("#unit-applications")
    screenshot(page, "awards-unit-1366")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "awards-unit-375")
    page.goto(f"{base}/competitions/awards/camps/new/")
    screenshot(page, "awards-camp-375")

    login(page, base, "bureau")
    page.goto(f"{base}/competitions/awards/import/")
    screenshot(page, "awards-import-375")
