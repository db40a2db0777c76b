"""Issue 17 §6: a school's user imports its rolls (a bad file refused with every row listed, then a good
one), records a graduate whose profile then shows EDU-EQUIV from the record, and applies for the
demonstration-major funds from its records; the bureau's list with T-TECH-SCHOOLS. Desk and phone
widths, no serious WCAG 2.1 AA violation."""

from __future__ import annotations

import pytest

from skillcity.accounts.models import Role
from skillcity.grants.models import Application
from skillcity.registry.models import OrganisationCategory
from skillcity.schools.models import IndustryFit, Ownership
from skillcity.schools.services import major_create, major_set_demonstration, school_register
from skillcity.schools.services.rolls import COLUMNS
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.factories import OrganisationFactory, TownFactory, UserFactory, WorkerFactory
from tests.schools.conftest import xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1366, "height": 900}


def no_serious_violations(page, where: str) -> None:
    found = serious(axe_violations(page))
    assert not found, describe(where, found)


def upload(page, content: bytes) -> None:
    page.set_input_files(
        "#rolls-import input[type=file]",
        files=[{"name": "rolls.xlsx", "mimeType": "application/octet-stream", "buffer": content}],
    )
    page.fill("#rolls-import input[name=year]", "2024")
    page.click("#rolls-import button[type=submit]")
    page.wait_for_load_state()


def test_a_school_imports_rolls_records_a_graduate_and_applies_from_records(live_server, page):
    town = TownFactory(name="长安镇")
    org = OrganisationFactory(
        town=town, name="东莞市长安技工学校", category=OrganisationCategory.TECHNICAL_SCHOOL
    )
    bureau = UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    school = school_register(actor=bureau, organisation=org, ownership=Ownership.PRIVATE)
    UserFactory(username="school_user", role=Role.ORGANISATION_USER, organisation=org)
    major = major_create(
        actor=bureau, school=school, name="数控技术应用", industry_fit=IndustryFit.STRATEGIC_EMERGING
    )
    major_set_demonstration(actor=bureau, major=major, demonstration=True)
    graduate = WorkerFactory(town=town, name="李毕业")

    page.set_viewport_size(DESK)
    login(page, live_server.url, "school_user")
    page.goto(f"{live_server.url}/schools/")
    page.wait_for_selector("#majors")
    upload(page, xlsx([list(COLUMNS), ["数控技术应用", 1, "中级工班", 100], ["焊接", 9, "快班", "x"]]))
    errors = page.inner_text("#import-errors")
    assert "第3行" in errors and "班级类型" in errors and "年级" in errors
    screenshot(page, "schools-rolls-errors-desk")
    upload(
        page,
        xlsx(
            [
                list(COLUMNS),
                ["数控技术应用", 1, "中级工班", 100],
                ["数控技术应用", 2, "高级工班", 60],
                ["数控技术应用", 1, "高级工班及以上（招收高中毕业生）", 20],
            ]
        ),
    )
    assert "2024年度在校生 180 人" in page.inner_text("#school-facts")

    page.fill("#graduation-add input[name=id_number]", graduate.id_number)
    page.fill("#graduation-add input[name=name]", graduate.name)
    page.select_option("#graduation-add select[name=major]", str(major.pk))
    page.select_option("#graduation-add select[name=class_kind]", "preparatory_technician")
    page.fill("#graduation-add input[name=graduated_on]", "2024-06-30")
    page.click("#graduation-add button[type=submit]")
    page.wait_for_selector("#graduation-table >> text=李毕业")
    assert "本科" in page.inner_text("#graduation-table")

    page.click(f"[data-major='{major.pk}'] form[action$='apply-demo/'] button")
    page.wait_for_selector("#grant-table a")
    app = Application.objects.get(rule_id="EDU-DEMO-MAJOR")
    assert app.facts["students_year1"] == 120 and app.facts["excluded_hs_advanced"] == 20
    no_serious_violations(page, "school page (desk)")
    screenshot(page, "schools-detail-desk")
    page.set_viewport_size(PHONE)
    no_serious_violations(page, "school page (phone)")
    screenshot(page, "schools-detail-phone")

    login(page, live_server.url, "bureau_officer")
    page.goto(f"{live_server.url}/schools/?year=2024")
    assert "180" in page.inner_text("#school-table") and "技工院校在校生" in page.inner_text("#progress")
    no_serious_violations(page, "school list (phone)")
    page.goto(f"{live_server.url}/registry/workers/{graduate.pk}/")
    records = page.inner_text("#graduation-records")
    assert "东莞市长安技工学校" in records and "本科" in records
    page.set_viewport_size(DESK)
    no_serious_violations(page, "worker profile (desk)")
    screenshot(page, "schools-worker-profile-desk")
