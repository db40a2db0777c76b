"""The expert pool in a real browser: the bureau sees the pool's coverage, draws a panel (the replay
check shown), records a decline and sees the full phone on request; an expert declines an assignment
on a phone. Screenshots at 1366 and 375 px."""

from __future__ import annotations

import pytest

from skillcity.platforms.models.experts import DrawPurpose, Expert, ExpertDraw
from skillcity.platforms.services import experts as services
from tests.browser.conftest import login, screenshot
from tests.platforms.experts_helpers import make_pool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_bureau_draws_a_panel_and_records_a_decline(live_server, page, bureau_officer):
    make_pool(bureau_officer, {"electronics": 5, "textiles": 4, "services": 3})
    base = live_server.url
    login(page, base, bureau_officer.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/platforms/experts/")
    assert "在库专家 12 人" in page.inner_text("#expert-coverage")
    screenshot(page, "experts-pool-1366")
    page.goto(f"{base}/platforms/experts/draws/")
    screenshot(page, "experts-draws-1366")
    page.select_option("#draw-purpose", "studio_review")
    page.fill("#draw-subject_label", "2024年技能大师工作室评审第一组")
    page.fill("#draw-size", "4")
    page.click("#draw-form button[type=submit]")
    page.wait_for_url("**/platforms/experts/draws/*/")
    assert "复核通过" in page.inner_text("#replay-check")
    draw = ExpertDraw.objects.get()
    first = draw.members.order_by("position").first()
    page.click(f"#decline-open-{first.pk}")
    page.fill(f"#decline-{first.pk}-reason", "评审当日出差")
    page.click("#draw-members tr:first-child button[type=submit]")
    page.wait_for_load_state()
    assert "评审当日出差" in page.inner_text("#draw-members")
    assert "递补" in page.inner_text("#draw-members") and "复核通过" in page.inner_text("#replay-check")
    screenshot(page, "experts-draw-1366")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    _fits(page, 375)
    screenshot(page, "experts-draw-375")
    page.goto(f"{base}/platforms/experts/")
    _fits(page, 375)
    screenshot(page, "experts-pool-375")
    page.goto(f"{base}/platforms/experts/import/")
    _fits(page, 375)
    screenshot(page, "experts-import-375")
    page.goto(f"{base}/platforms/experts/{first.expert_id}/")
    page.click("#show-phone")
    page.wait_for_load_state()
    assert "13912345678" in page.inner_text("#expert-phone")
    _fits(page, 375)
    screenshot(page, "experts-detail-375")


def test_an_expert_declines_an_assignment_on_a_phone(live_server, page, bureau_officer, worker_user):
    make_pool(bureau_officer, {"food": 2})
    Expert.objects.create(
        worker=worker_user.worker,
        sector="food",
        title="高级技师",
        organisation=worker_user.worker.employer,
        phone="13700001111",
        created_by=bureau_officer,
    )
    services.expert_draw(
        actor=bureau_officer,
        purpose=DrawPurpose.GRANT_REVIEW,
        subject_key="grant:2024-h1",
        subject_label="2024年上半年职业技能提升补贴评审",
        size=2,
        sectors=["food"],
        seed=3,
    )
    services.expert_draw(
        actor=bureau_officer,
        purpose=DrawPurpose.STANDARD_ACCEPTANCE,
        subject_key="standard:9",
        subject_label="电子装配培训评价标准验收",
        size=3,
        seed=4,
    )
    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, base, worker_user.username)
    page.goto(f"{base}/platforms/my-assignments/")
    assert "电子装配培训评价标准验收" in page.inner_text("#my-assignments")
    _fits(page, 375)
    screenshot(page, "experts-my-assignments-375")
    row = page.locator("#my-assignments tbody tr", has_text="电子装配培训评价标准验收")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "谢绝理由" in page.inner_text("#my-assignments")
    row = page.locator("#my-assignments tbody tr", has_text="电子装配培训评价标准验收")
    row.locator("input[name=reason]").fill("与申报单位有合作项目")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "与申报单位有合作项目" in page.inner_text("#my-assignments")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    screenshot(page, "experts-my-assignments-1366")


def test_the_organiser_draws_judges_from_the_project_page(live_server, page, bureau_officer):
    from tests.competitions.marking_setup import make_marked

    marked = make_marked(bureau_officer)
    make_pool(bureau_officer, {"electronics": 4})
    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, base, marked.organiser_user.username)
    page.goto(f"{base}/competitions/manage/projects/{marked.project.pk}/")
    page.fill("#expert-draw-size", "2")
    page.click("#expert-draw-judges button[type=submit]")
    page.wait_for_load_state()
    assert "已从专家库抽取" in page.inner_text("main")
    assert len(page.locator("#judge-list tbody tr").all()) == 5
    _fits(page, 375)
    screenshot(page, "experts-contest-judges-375")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    screenshot(page, "experts-contest-judges-1366")
