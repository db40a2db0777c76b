"""Issue 18 §1/§3: the public catalogue on a phone (375 px) — browse, filter, open a course, enrol as a
worker (through the login page and back); the provider → bureau publishing flow at 1366 px; the
review and statistics pages. Screenshots of each (SKILLCITY_TEST_ARTIFACTS)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from skillcity.accounts.models import Role
from skillcity.learning.models import Category, Course, CourseState, Enrolment, Lesson, LessonKind
from skillcity.registry.models import OrganisationCategory
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD
from tests.factories import IndustryFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory
from tests.learning.catalogue_fixtures import MP4_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1366, "height": 900}


def _no_serious_violations(page, where: str) -> None:
    found = serious(axe_violations(page))
    assert not found, describe(where, found)


def _no_sideways_scroll(page, where: str) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{where}: the page scrolls sideways by {overflow} px"


@pytest.fixture
def city(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    town = TownFactory(name="长安镇")
    provider = OrganisationFactory(
        town=town, name="东莞市长安职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )
    industry = IndustryFactory()
    titles = [
        ("数控车床编程与操作", Category.SKILL),
        ("工业机器人应用编程", Category.SKILL),
        ("机电技术应用（非全日制中职）", Category.DIPLOMA),
        ("职场沟通与团队协作", Category.GENERAL),
    ]
    for n, (title, category) in enumerate(titles, start=1):
        course = Course.objects.create(
            code=f"KC20260{n:04d}",
            title=title,
            category=category,
            summary="面向东莞制造业一线员工的免费在线课程，结合真实岗位案例讲解。",
            provider=provider,
            state=CourseState.PUBLISHED,
            published_at=timezone.now(),
        )
        if n <= 2:
            course.industries.add(industry)
        for p in (1, 2, 3):
            Lesson.objects.create(
                course=course,
                position=p,
                title=f"第{p}讲 岗位技能要点",
                kind=LessonKind.VIDEO if p < 3 else LessonKind.QUIZ,
                duration_seconds=900,
                media=f"learning/{course.pk}/x{p}.mp4" if p < 3 else "",
                media_type="video/mp4" if p < 3 else "",
                pass_score=60 if p == 3 else None,
            )
    worker = WorkerFactory(town=town, name="陈学员")
    UserFactory(username="learner", role=Role.WORKER, worker=worker)
    UserFactory(username="provider_user", role=Role.ORGANISATION_USER, organisation=provider)
    UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    return {"provider": provider, "industry": industry}


def test_a_phone_visitor_browses_filters_and_enrols_as_a_worker(live_server, page, city):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/learning/")
    assert page.locator(".sc-course-card").count() == 4
    _no_sideways_scroll(page, "catalogue")
    _no_serious_violations(page, "catalogue at 375 px")
    screenshot(page, "learning-catalogue-375")

    page.select_option("#f-category", "skill")
    page.click("#catalogue-filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".sc-course-card").count() == 2
    page.fill("#f-q", "机器人")
    page.click("#catalogue-filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".sc-course-card").count() == 1

    page.click(".sc-course-card a")
    page.wait_for_selector("#enrol")
    assert "工业机器人应用编程" in page.inner_text("h1")
    assert page.locator("#lesson-list li").count() == 3
    _no_sideways_scroll(page, "course page")
    screenshot(page, "learning-course-375")

    # Anonymous: 报名 goes to the login page, which comes back to the course.
    page.click("#enrol")
    page.wait_for_selector("#id_username")
    page.fill("#id_username", "learner")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#enrol")
    page.click("#enrol")
    page.wait_for_selector("#continue")
    assert "报名成功" in page.content()
    assert Enrolment.objects.filter(worker__name="陈学员", course__title="工业机器人应用编程").count() == 1
    _no_serious_violations(page, "course page, enrolled, at 375 px")
    screenshot(page, "learning-course-enrolled-375")


def test_a_provider_submits_and_the_bureau_publishes(live_server, page, city):
    base = live_server.url
    page.set_viewport_size(DESK)
    login(page, base, "provider_user")
    page.goto(f"{base}/learning/provider/new/")
    page.fill("#id_title", "电梯安装维修工（四级）")
    page.select_option("#id_category", "skill")
    page.fill("#id_summary", "电梯安装、调试与日常维修保养。")
    page.check(f"input[name=industries][value='{city['industry'].pk}']")
    page.click("#course-save")
    page.wait_for_selector("#lesson-form")

    def add_lesson(name: str, content: bytes) -> None:
        page.fill("#lesson-form #id_title", "第一讲 安全规范")
        page.select_option("#lesson-form #id_kind", "video")
        page.fill("#lesson-form #id_duration_minutes", "15")
        page.set_input_files(
            "#lesson-form #id_file", files=[{"name": name, "mimeType": "video/mp4", "buffer": content}]
        )
        page.click("#lesson-add")
        page.wait_for_load_state()

    add_lesson("fake.mp4", b"not a video at all" * 10)
    assert "不是 MP4、WebM 文件" in page.inner_text("#error-file")
    add_lesson("safety.mp4", MP4_BYTES)
    assert page.locator("#lesson-table tbody tr").count() == 1
    screenshot(page, "learning-provider-course-1366")
    page.click("#course-submit")
    page.wait_for_selector("#not-editable")

    login(page, base, "bureau_officer")
    page.goto(f"{base}/learning/review/")
    card = page.locator("article[data-code]", has_text="电梯安装维修工（四级）")
    _no_serious_violations(page, "review at 1366 px")
    screenshot(page, "learning-review-1366")
    card.locator("button[data-action=publish]").click()
    page.wait_for_selector("#queue-empty")
    course = Course.objects.get(title="电梯安装维修工（四级）")
    assert course.state == CourseState.PUBLISHED

    page.goto(f"{base}/learning/courses/{course.code}/")
    page.wait_for_selector("#unpublish-form")
    screenshot(page, "learning-course-bureau-1366")
    page.goto(f"{base}/learning/?q=电梯")
    assert page.locator(".sc-course-card").count() == 1
    screenshot(page, "learning-catalogue-1366")

    page.goto(f"{base}/learning/stats/")
    page.wait_for_selector("#catalogue-progress")
    assert page.inner_text("[data-figure=published]").startswith("5")
    _no_serious_violations(page, "stats at 1366 px")
    screenshot(page, "learning-stats-1366")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/learning/stats/")
    _no_sideways_scroll(page, "stats")
    screenshot(page, "learning-stats-375")
    page.goto(f"{base}/learning/review/")
    _no_sideways_scroll(page, "review")
    screenshot(page, "learning-review-375")
