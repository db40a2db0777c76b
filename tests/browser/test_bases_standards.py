"""A school files a school–enterprise base on the page with its partner; the bureau passes it and
recognises it with the date, sees the fund's remaining amount, and the public list shows it. A certified
standard is listed publicly without signing in."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.accounts.models import Role
from skillcity.platforms.services import standards as standard_services
from tests.browser.conftest import login
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory
from tests.platforms.bases_helpers import edu_fund, school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_school_files_a_base_the_bureau_recognises_it_and_the_public_sees_it(live_server, page):
    town = TownFactory(name="松山湖")
    the_school = school(town, "东莞市技师学院")
    partner = OrganisationFactory(town=town, name="东莞市精工机械有限公司")
    UserFactory(username="school_user", role=Role.ORGANISATION_USER, organisation=the_school)
    bureau = UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    edu_fund(bureau)
    base = live_server.url

    login(page, base, "school_user")
    page.goto(f"{base}/platforms/bases/apply/")
    page.fill("#id_name", "精密制造校企合作基地")
    page.fill("#id_field", "数控技术")
    page.fill("#id_plan", "共建实训车间")
    page.fill("#id_partners", "91441900XXXXXXXXX1 设备")
    page.click("main button[type=submit]")
    assert "91441900XXXXXXXXX1" in page.inner_text("#error-partners")
    page.fill("#id_partners", f"{partner.uscc} 提供设备")
    page.click("main button[type=submit]")
    assert page.inner_text("#base-state") == "待审核"
    detail = page.url

    login(page, base, "bureau_officer")
    page.goto(detail)
    page.click("#base-review button[value=pass]")
    assert page.inner_text("#base-state") == "已立项建设"
    assert "25,000,000.00" in page.inner_text("#base-fund")
    page.fill("#id_recognised_on", "2024-03-01")
    page.click("#base-recognise button[value=recognise]")
    assert page.inner_text("#base-state") == "已认定"
    assert "审核中" in page.inner_text("#base-grant")
    page.goto(f"{base}/platforms/bases/")
    assert "已认定 1 / 50 个" in page.inner_text("#base-progress-total")
    assert page.inner_text("#fund-available").startswith("24,000,000.00")

    page.context.clear_cookies()
    page.goto(f"{base}/platforms/public/bases/")
    assert "精密制造校企合作基地" in page.inner_text("#base-public")


def test_the_public_sees_certified_standards(live_server, page):
    town = TownFactory(name="长安镇")
    developer = OrganisationFactory(town=town, name="东莞市模具协会")
    bureau = UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    s = standard_services.standard_file(
        actor=bureau,
        developer=developer,
        occupation=OccupationFactory(),
        kind="evaluation",
        title="模具工评价标准",
        plan="p",
        planned_completion=datetime.date(2024, 9, 1),
        requested=Decimal("100000"),
        day=datetime.date(2024, 2, 1),
    )
    standard_services.standard_submit(actor=bureau, standard=s)
    standard_services.standard_accept(actor=bureau, standard=s, passed=True)
    for n in range(3):
        member = standard_services.standard_panel_add(
            actor=bureau, standard=s, worker=WorkerFactory(town=town, name=f"评委{n}")
        )
        standard_services.standard_panel_score(actor=bureau, member=member, score=Decimal("82"))
    standard_services.standard_certify(actor=bureau, standard=s, day=datetime.date(2024, 6, 1))
    page.goto(f"{live_server.url}/platforms/public/standards/")
    assert "模具工评价标准" in page.inner_text("#standard-public")
    assert "DGBZ-2024-001" in page.inner_text("#standard-public")
