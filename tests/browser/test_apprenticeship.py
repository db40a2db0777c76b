"""Issue 19 §1 in the browser: an enterprise's user enrols an employee as a new-style apprentice (a
contract under a year refused with the error next to its field, then accepted), sees the record with the
mentor's level, and the apprentice list on the phone. Desk and phone widths, no serious WCAG 2.1 AA
violation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from skillcity.accounts.models import Role
from skillcity.apprenticeship.models import Apprenticeship
from skillcity.apprenticeship.services import one_year_after
from skillcity.registry.models import OrganisationCategory, SkillRecord
from skillcity.registry.services import skill_record_add
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1366, "height": 900}


def no_serious_violations(page, where: str) -> None:
    found = serious(axe_violations(page))
    assert not found, describe(where, found)


def test_an_enterprise_enrols_an_apprentice(live_server, page):
    town = TownFactory(name="长安镇")
    enterprise = OrganisationFactory(town=town, name="东莞市长安精密制造有限公司")
    school = OrganisationFactory(
        town=town, name="东莞市长安技工学校", category=OrganisationCategory.TECHNICAL_SCHOOL
    )
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    bureau = UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    UserFactory(username="enterprise_user", role=Role.ORGANISATION_USER, organisation=enterprise)
    mentor = WorkerFactory(town=town, employer=enterprise, name="李师傅")
    skill_record_add(
        worker=mentor,
        kind=SkillRecord.Kind.SKILL_LEVEL,
        actor=bureau,
        obtained_on=datetime.date(2018, 6, 1),
        occupation=lathe,
        level=2,
    )
    apprentice = WorkerFactory(town=town, employer=enterprise, name="陈学徒")
    start = timezone.localdate() - datetime.timedelta(days=10)
    end = one_year_after(start) + datetime.timedelta(days=180)

    page.set_viewport_size(DESK)
    login(page, live_server.url, "enterprise_user")
    page.click("nav .dropdown-toggle:has-text('职业培训')")  # the employment loop is in this menu
    page.click("a[href='/apprenticeship/']")
    page.click("#enrol-link")
    page.fill("#id_id_number", apprentice.id_number)
    page.fill("#id_name", "陈学徒")
    page.select_option("#id_school", str(school.pk))
    page.select_option("#id_occupation", str(lathe.pk))
    page.select_option("#id_level", "4")
    page.fill("#id_contract_start", start.isoformat())
    page.fill("#id_contract_end", (start + datetime.timedelta(days=200)).isoformat())  # under a year
    page.fill("#id_registration_number", "XJ2026001")
    page.fill("#id_registration_start", start.isoformat())
    page.fill("#id_registration_end", end.isoformat())
    page.fill("#id_enterprise_mentor", mentor.id_number)
    page.fill("#id_school_mentor", "王老师")
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#error-contract_end")
    assert "学徒合同期限应不少于1年" in page.inner_text("#error-contract_end")
    no_serious_violations(page, "/apprenticeship/new/ (errors)")
    screenshot(page, "apprenticeship-enrol-errors-desk")
    page.fill("#id_contract_end", end.isoformat())
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("text=已登记新型学徒：陈学徒")
    assert "二级/技师（高技能人才）" in page.inner_text("#enterprise-mentor")
    assert "培训中" in page.inner_text("#status")
    no_serious_violations(page, "/apprenticeship/<pk>/")
    screenshot(page, "apprenticeship-detail-desk")
    assert Apprenticeship.objects.filter(worker=apprentice, enterprise=enterprise).count() == 1

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/apprenticeship/")
    rows = page.inner_text("#apprentices")
    assert "陈学徒" in rows and apprentice.id_number not in rows
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_serious_violations(page, "/apprenticeship/ (phone)")
    screenshot(page, "apprenticeship-list-phone")
    page.goto(f"{live_server.url}/apprenticeship/{Apprenticeship.objects.get().pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "apprenticeship-detail-phone")

    # The bureau's statistics toward the baseline, at desk width.
    page.set_viewport_size(DESK)
    login(page, live_server.url, "bureau_officer")
    page.goto(f"{live_server.url}/apprenticeship/")
    page.click("#stats-link")
    assert "平台登记新型学徒 1 名" in page.inner_text("#baseline")
    no_serious_violations(page, "/apprenticeship/statistics/")
    screenshot(page, "apprenticeship-statistics-desk")
