"""Issue 19 §4 in the browser: an enterprise posts a skilled-job need; the worker, on the phone, sees
the match with its reasons and accepts; the enterprise sees the candidate (masked before, full after
the acceptance) and records the hire; the contributions confirm it and the hire shows on the worker's
timeline. Desk and phone widths, no serious WCAG 2.1 AA violation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from skillcity.accounts.models import Role
from skillcity.employment.services import COLUMNS
from skillcity.matching.models import Hire, Match
from skillcity.matching.tasks import hires_confirm_task
from skillcity.registry.models import SkillRecord
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory
from tests.schools.conftest import xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
THIS_MONTH = timezone.localdate()

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1366, "height": 900}


def no_serious_violations(page, where: str) -> None:
    found = serious(axe_violations(page))
    assert not found, describe(where, found)


def test_a_need_posted_matched_accepted_and_hired(live_server, page):
    town = TownFactory(name="长安镇")
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    employer = OrganisationFactory(town=town, name="东莞市长安精密制造有限公司")
    UserFactory(username="enterprise_user", role=Role.ORGANISATION_USER, organisation=employer)
    worker = WorkerFactory(town=town, name="陈匹配", phone="13912345678")
    SkillRecord.objects.create(
        worker=worker,
        kind=SkillRecord.Kind.SKILL_LEVEL,
        occupation=lathe,
        level=3,
        obtained_on=datetime.date(2022, 6, 1),
    )
    UserFactory(username="worker_user", role=Role.WORKER, worker=worker)

    # The worker records a job need on the phone; the level is read from the records.
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "worker_user")
    page.goto(f"{live_server.url}/matching/")
    page.select_option("#id_occupation", str(lathe.pk))
    page.select_option("#id_towns", [str(town.pk)])
    page.click("#seeker-need-form button[type=submit]")
    page.wait_for_selector("text=求职意向已保存")

    # The enterprise posts a need: a bad wage range first, the error next to the field.
    page.set_viewport_size(DESK)
    login(page, live_server.url, "enterprise_user")
    page.goto(f"{live_server.url}/matching/")
    page.click("#need-new")
    page.select_option("#id_occupation", str(lathe.pk))
    page.select_option("#id_level", "3")
    page.select_option("#id_town", str(town.pk))
    page.fill("#id_head_count", "2")
    page.fill("#id_wage_min", "9000")
    page.fill("#id_wage_max", "6000")
    page.fill("#id_start", "2026-03-01")
    page.click("#need-form button[type=submit]")
    assert "不能小于" in page.inner_text("#error-wage_max")
    page.fill("#id_wage_max", "12000")
    page.click("#need-form button[type=submit]")
    page.wait_for_selector("#candidates")
    candidates = page.inner_text("#candidates")
    assert "持三级证书，工种相符，意向镇街相符" in candidates and "陈*配" in candidates
    assert "陈匹配" not in candidates and "13912345678" not in candidates
    no_serious_violations(page, "need detail")
    screenshot(page, "matching-need-desk")

    # The worker sees the match on the phone and accepts.
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "worker_user")
    page.goto(f"{live_server.url}/matching/")
    assert "持三级证书，工种相符，意向镇街相符" in page.inner_text("#matches")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_serious_violations(page, "/matching/ (worker, phone)")
    screenshot(page, "matching-worker-phone")
    page.click("#matches button[value=accept]")
    page.wait_for_selector("text=已接受")
    assert Match.objects.get().state == Match.State.ACCEPTED

    # The enterprise sees the full contact (audited) and records the hire.
    page.set_viewport_size(DESK)
    login(page, live_server.url, "enterprise_user")
    match = Match.objects.get()
    page.goto(f"{live_server.url}/matching/matches/{match.pk}/")
    page.click("#reveal")
    page.wait_for_selector("text=13912345678")
    assert page.inner_text("#contact-name") == "陈匹配"
    page.fill("#id_start_month", f"{THIS_MONTH:%Y-%m}")  # not before the worker accepted
    page.click("#hire-form button[type=submit]")
    page.wait_for_selector("text=录用已登记")
    no_serious_violations(page, "hire recorded")
    page.goto(f"{live_server.url}/matching/")
    assert "待确认" in page.inner_text("#hires")
    screenshot(page, "matching-enterprise-desk")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/matching/needs/{match.need_id}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "matching-need-phone")
    assert Hire.objects.get().worker == worker

    # The bureau imports this month's contributions: the task worker confirms the hire from the ledger,
    # and the worker's timeline shows the need, the match, the hire and its confirmation.
    UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    page.set_viewport_size(DESK)
    login(page, live_server.url, "bureau_officer")
    page.goto(f"{live_server.url}/employment/")
    november = [
        worker.id_number,
        worker.name,
        employer.uscc,
        employer.name,
        f"{THIS_MONTH:%Y-%m}",
        "441900",
        "6000",
        "",
    ]
    page.set_input_files(
        "#contributions-import input[type=file]",
        files=[
            {
                "name": "缴费.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": xlsx([list(COLUMNS), november]),
            }
        ],
    )
    page.click("#contributions-import button[type=submit]")
    page.wait_for_selector("text=导入成功：写入 1 条")
    hires_confirm_task.call()  # what the task worker runs once the import has committed
    assert Hire.objects.get().state == Hire.State.CONFIRMED
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "worker_user")
    page.goto(f"{live_server.url}/timeline/mine/")
    timeline = page.inner_text("main")
    for title in ("录用已由社保缴费记录确认", "参保就业", "录用", "接受岗位匹配", "记录求职意向"):
        assert title in timeline, title
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_serious_violations(page, "/timeline/mine/ after a hire")
    screenshot(page, "matching-hire-on-timeline-phone")


def test_an_officer_follows_up_and_the_bureau_reads_the_statistics(live_server, page):
    from skillcity.matching.models import FollowUp, JobFair
    from skillcity.matching.services.officers import assignment_create, fair_create, fair_enterprise_add

    town = TownFactory(name="长安镇")
    employer = OrganisationFactory(town=town, name="东莞市长安精密制造有限公司")
    bureau = UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    officer = UserFactory(username="changan_officer", role=Role.TOWN_OFFICER, town=town)
    assignment_create(actor=bureau, officer=officer, enterprise=employer)
    today = datetime.date.today()
    fair = fair_create(
        actor=bureau,
        name="长安镇“就日服务日”招聘会",
        kind=JobFair.Kind.EMPLOYMENT_DAY,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
        town=town,
        venue="长安镇人力资源服务中心",
    )
    fair_enterprise_add(actor=bureau, fair=fair, enterprise=employer, booth="A01")

    page.set_viewport_size(DESK)
    login(page, live_server.url, "changan_officer")
    page.goto(f"{live_server.url}/matching/")
    assert "待跟进" in page.inner_text("#my-assignments")
    assert "长安镇“就日服务日”招聘会" in page.inner_text("#officer-fairs")
    page.click("#my-assignments a")
    page.fill("#id_date", today.isoformat())
    page.select_option("#id_way", "visit")
    page.fill("#id_next_date", (today + datetime.timedelta(days=30)).isoformat())
    page.click("#follow-up-form button[type=submit]")
    assert "请填写“跟进内容”" in page.inner_text("#follow-up-form")  # the error next to the field
    page.fill("#id_done", "走访企业，了解数控车工用工需求")
    page.click("#follow-up-form button[type=submit]")
    page.wait_for_selector("text=跟进记录已保存")
    assert FollowUp.objects.get().way == "visit"
    no_serious_violations(page, "assignment")
    screenshot(page, "matching-follow-up-desk")

    login(page, live_server.url, "bureau_officer")
    page.goto(f"{live_server.url}/matching/statistics/")
    assert "长安镇" in page.inner_text("#by-town") or "暂无数据" in page.inner_text("#by-town")
    no_serious_violations(page, "statistics")
    screenshot(page, "matching-statistics-desk")

    page.set_viewport_size(PHONE)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/matching/fairs/{fair.pk}/")
    assert "东莞市长安精密制造有限公司" in page.inner_text("#fair-enterprises")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_serious_violations(page, "fair (phone)")
    screenshot(page, "matching-fair-phone")
