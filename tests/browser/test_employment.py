"""Issue 19 §2–3 in the browser: the bureau imports contribution records (a bad file refused with
every row listed next to the form, then a good one) and sees a worker's spells; the worker sees their
own on the phone; a private school opens its graduates' cohort and applies for every eligible one in one
action. Desk and phone widths, no serious WCAG 2.1 AA violation."""

from __future__ import annotations

import datetime

import pytest

from skillcity.accounts.models import Role
from skillcity.employment.services import COLUMNS
from skillcity.grants.models import Application
from skillcity.registry.models import OrganisationCategory
from skillcity.schools.models import ClassKind, IndustryFit, Ownership
from skillcity.schools.services import graduation_record, major_create, school_register
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.employment.helpers import contribute
from tests.factories import OrganisationFactory, TownFactory, UserFactory, WorkerFactory
from tests.schools.conftest import xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1366, "height": 900}


def no_serious_violations(page, where: str) -> None:
    found = serious(axe_violations(page))
    assert not found, describe(where, found)


def row(worker, employer, month, base="4500"):
    return [worker.id_number, worker.name, employer.uscc, employer.name, month, "441900", base, ""]


def test_contributions_imported_spells_seen_and_a_cohort_applied_for(live_server, page):
    town = TownFactory(name="长安镇")
    employer = OrganisationFactory(town=town, name="东莞市长安精密制造有限公司")
    bureau = UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    worker = WorkerFactory(town=town, name="陈就业")
    UserFactory(username="worker_user", role=Role.WORKER, worker=worker)

    # The bureau: a bad file is refused whole, every bad row listed; then the good one.
    page.set_viewport_size(DESK)
    login(page, live_server.url, "bureau_officer")
    page.goto(f"{live_server.url}/employment/")
    bad = xlsx([list(COLUMNS), row(worker, employer, "2025-01"), row(worker, employer, "2025-13", base="x")])
    page.set_input_files(
        "#contributions-import input[type=file]",
        files=[{"name": "缴费.xlsx", "mimeType": "application/octet-stream", "buffer": bad}],
    )
    page.click("#contributions-import button[type=submit]")
    page.wait_for_selector("#import-errors")
    errors = page.inner_text("#import-errors")
    assert "缴费月份" in errors and "缴费基数" in errors
    screenshot(page, "employment-import-errors-desk")
    good = xlsx([list(COLUMNS), *(row(worker, employer, f"2025-{m:02d}") for m in range(1, 7))])
    page.set_input_files(
        "#contributions-import input[type=file]",
        files=[{"name": "缴费.xlsx", "mimeType": "application/octet-stream", "buffer": good}],
    )
    page.click("#contributions-import button[type=submit]")
    page.wait_for_selector("text=导入成功：写入 6 条")
    no_serious_violations(page, "/employment/")
    page.goto(f"{live_server.url}/registry/workers/{worker.pk}/")
    page.click("#employment-spells-link")
    assert "2025-01 — 2025-06" in page.inner_text("#spells")

    # The worker, on the phone.
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "worker_user")
    page.goto(f"{live_server.url}/employment/mine/")
    spells = page.inner_text("#spells")
    assert "东莞市长安精密制造有限公司" in spells and "6" in spells
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_serious_violations(page, "/employment/mine/")
    screenshot(page, "employment-mine-phone")

    # A private school's cohort: each graduate with why, one action for the eligible.
    org = OrganisationFactory(
        town=town, name="东莞市长安技工学校", category=OrganisationCategory.TECHNICAL_SCHOOL
    )
    school = school_register(actor=bureau, organisation=org, ownership=Ownership.PRIVATE)
    school_user = UserFactory(username="school_user", role=Role.ORGANISATION_USER, organisation=org)
    major = major_create(
        actor=bureau, school=school, name="数控技术应用", industry_fit=IndustryFit.STRATEGIC_EMERGING
    )
    for name, start, months in (("甲毕业", "2024-07", 6), ("乙毕业", "2024-08", 3)):
        graduate = WorkerFactory(town=town, name=name)
        graduation_record(
            actor=school_user,
            major=major,
            worker=graduate,
            class_kind=ClassKind.ADVANCED,
            graduated_on=datetime.date(2024, 6, 30),
        )
        contribute(graduate, employer, start, months)
    for size, name in ((DESK, "desk"), (PHONE, "phone")):
        page.set_viewport_size(size)
        login(page, live_server.url, "school_user")
        page.goto(f"{live_server.url}/schools/{school.pk}/")
        page.click("#grad-retention-link")
        page.goto(f"{live_server.url}/schools/{school.pk}/grad-retention/?year=2024")
        table = page.inner_text("#cohort-table")
        assert "符合条件，可申请" in table or "已申请" in table
        assert "未满 6 个月" in table
        no_serious_violations(page, f"/schools/{school.pk}/grad-retention/ ({name})")
        screenshot(page, f"employment-cohort-{name}")
        if name == "desk":
            page.click("#cohort-apply button[type=submit]")
            page.wait_for_selector("text=已为 1 名毕业生生成补贴申请")
    assert Application.objects.filter(rule_id="EDU-GRAD-RETENTION").count() == 1
