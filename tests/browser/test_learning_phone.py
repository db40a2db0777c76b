"""Issue 18 on a phone (375×812): a resident registers with their real name, enrols in a course, plays
its 6-second video lesson to the end in the player (player.js sends the statements), sees the progress
derived from the log, and downloads the certificate of completion. Screenshots at 375 and 1366 px of
registration, my courses and the player."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from skillcity.learning.models import (
    Completion,
    Course,
    CourseState,
    Enrolment,
    Lesson,
    LessonKind,
    Statement,
)
from skillcity.learning.services.progress import progress_aggregate
from skillcity.registry.models import OrganisationCategory
from tests.browser.conftest import screenshot
from tests.factories import OrganisationFactory, TownFactory, WorkerFactory
from tests.learning.conftest import VIDEO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESK = {"width": 1366, "height": 900}
PASSWORD = "kept-Secret-2026"


def _course(provider):
    course = Course.objects.create(
        code="KC90001",
        title="数控车床安全操作（视频课）",
        category="skill",
        provider=provider,
        state=CourseState.PUBLISHED,
        completion_share=90,
    )
    lesson = Lesson(
        course=course, position=1, title="第1讲 安全须知", kind=LessonKind.VIDEO, duration_seconds=6
    )
    lesson.media_type = "video/mp4"
    lesson.media.save("lesson.mp4", ContentFile(VIDEO.read_bytes()), save=False)
    lesson.save()
    return course, lesson


QUEUE_EMPTY = (
    "() => Object.keys(localStorage).every("
    "k => !k.startsWith('sc-learning-queue') || localStorage.getItem(k) === '[]')"
)


def _wait_for(predicate, seconds: float = 15.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_resident_registers_plays_a_lesson_completes_and_downloads_the_pdf(
    live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    base = live_server.url
    changan = TownFactory(name="长安镇")
    provider = OrganisationFactory(
        town=changan, name="东莞市长安职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )
    resident = WorkerFactory(town=changan, name="陈学习", phone="13912345678")
    course, lesson = _course(provider)

    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True
    )
    page = context.new_page()

    # Real-name registration: a mismatch is refused without saying which field, then the right details.
    page.goto(f"{base}/learning/register/")
    screenshot(page, "learning-register-phone")
    page.fill("#id_name", resident.name)
    page.fill("#id_id_number", resident.id_number)
    page.fill("#id_phone", "13900000000")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    assert "不一致" in page.inner_text(".sc-form-errors")
    screenshot(page, "learning-register-refused-phone")
    page.fill("#id_phone", resident.phone)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/learning/my/")

    # Enrol on the course's page, then open the player from my courses.
    page.goto(f"{base}/learning/courses/{course.code}/")
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#continue")
    enrolment = Enrolment.objects.get(worker=resident, course=course)
    page.goto(f"{base}/learning/my/")
    assert page.locator("[data-testid=my-course]").count() == 1
    page.click("[data-testid=my-course] a.btn-primary")
    page.wait_for_url(f"{base}/learning/lessons/{lesson.pk}/")

    # Play it to the end, muted (a muted video may play without a gesture).
    _wait_for(lambda: page.evaluate("() => document.getElementById('sc-video').readyState >= 1"))
    page.evaluate("() => { const v = document.getElementById('sc-video'); v.muted = true; return v.play(); }")
    _wait_for(lambda: page.evaluate("() => document.getElementById('sc-video').ended"), seconds=20)
    _wait_for(lambda: Statement.objects.filter(worker=resident, verb="completed").exists())
    screenshot(page, "learning-player-phone")
    # Leaving the page sends `terminated` (pagehide, fetch with keepalive).
    page.goto(f"{base}/learning/my/")
    _wait_for(lambda: Statement.objects.filter(worker=resident, verb="terminated").exists())
    verbs = list(Statement.objects.filter(worker=resident).order_by("id").values_list("verb", flat=True))
    assert verbs[0] == "initialized" and "completed" in verbs

    # The progress is derived in the background from the log.
    progress_aggregate(now=timezone.now() + datetime.timedelta(seconds=15))
    enrolment.refresh_from_db()
    assert enrolment.state == "completed" and enrolment.progress == 100
    completion = Completion.objects.get(enrolment=enrolment)

    page.reload()
    assert page.inner_text("[data-testid=progress]") == "100%"
    assert page.get_attribute("[data-testid=my-course] .badge", "data-state") == "completed"
    screenshot(page, "learning-my-courses-phone")
    with page.expect_download() as download_info:
        page.click("[data-testid=certificate]")
    download = download_info.value
    assert download.suggested_filename == f"{completion.number}.pdf"
    assert Path(download.path()).read_bytes()[:4] == b"%PDF"

    # The same pages at desk width.
    page.set_viewport_size(DESK)
    screenshot(page, "learning-my-courses-desk")
    page.goto(f"{base}/learning/lessons/{lesson.pk}/")
    screenshot(page, "learning-player-desk")
    # What the closed pages' keepalive requests sent is sent again from here (same UUIDs, stored once).
    _wait_for(lambda: page.evaluate(QUEUE_EMPTY))
    context.close()

    desk = browser.new_context(locale="zh-CN", viewport=DESK)
    anonymous = desk.new_page()
    anonymous.goto(f"{base}/learning/register/")
    screenshot(anonymous, "learning-register-desk")
    desk.close()


def test_a_document_lesson_is_shown_and_timed_and_a_quiz_is_graded_at_desk_width(
    live_server, browser, settings, tmp_path
):
    from tests.learning.conftest import QUESTIONS

    settings.MEDIA_ROOT = tmp_path / "files"
    base = live_server.url
    changan = TownFactory(name="长安镇")
    provider = OrganisationFactory(
        town=changan, name="东莞市长安职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )
    course, _video = _course(provider)
    document = Lesson(
        course=course, position=2, title="课程讲义", kind=LessonKind.DOCUMENT, duration_seconds=60
    )
    document.media_type = "application/pdf"
    from skillcity.learning.demo import handout_pdf

    document.media.save("handout.pdf", ContentFile(handout_pdf()), save=False)
    document.save()
    quiz = Lesson.objects.create(
        course=course,
        position=3,
        title="课后测验",
        kind=LessonKind.QUIZ,
        duration_seconds=120,
        pass_score=60,
        questions=QUESTIONS,
    )
    worker = WorkerFactory(town=changan, name="陈文档", phone="13912345670")
    from skillcity.accounts.models import Role
    from tests.browser.conftest import login
    from tests.factories import UserFactory

    UserFactory(username="doc_learner", role=Role.WORKER, worker=worker)
    Enrolment.objects.create(worker=worker, course=course)

    page = browser.new_context(locale="zh-CN", viewport=DESK).new_page()
    login(page, base, "doc_learner")
    page.goto(f"{base}/learning/lessons/{document.pk}/")
    page.wait_for_selector("iframe.sc-player-doc")
    _wait_for(lambda: Statement.objects.filter(worker=worker, lesson=document, verb="initialized").exists())
    screenshot(page, "learning-player-document-desk")
    page.goto(f"{base}/learning/lessons/{quiz.pk}/")
    _wait_for(lambda: Statement.objects.filter(worker=worker, lesson=document, verb="terminated").exists())
    page.check("#q0-1")
    page.check("#q1-0")
    page.click("form.sc-quiz button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "测验通过" in page.inner_text(".alert-success")
    assert Statement.objects.get(worker=worker, lesson=quiz).verb == "passed"
    screenshot(page, "learning-player-quiz-desk")
    page.set_viewport_size(PHONE)
    screenshot(page, "learning-player-quiz-phone")
    _wait_for(lambda: page.evaluate(QUEUE_EMPTY))
    page.context.close()


def test_statements_not_answered_wait_in_the_browser_and_are_sent_again_with_their_ids(
    live_server, browser, settings, tmp_path
):
    from skillcity.accounts.models import Role
    from tests.browser.conftest import login
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path / "files"
    base = live_server.url
    changan = TownFactory(name="长安镇")
    provider = OrganisationFactory(
        town=changan, name="东莞市长安职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )
    course, lesson = _course(provider)
    worker = WorkerFactory(town=changan, name="陈离线", phone="13912345671")
    UserFactory(username="offline_learner", role=Role.WORKER, worker=worker)
    Enrolment.objects.create(worker=worker, course=course)

    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, base, "offline_learner")
    page.goto(f"{base}/learning/lessons/{lesson.pk}/")
    _wait_for(lambda: page.evaluate("() => document.getElementById('sc-video').readyState >= 1"))
    # The network to the statement endpoint fails (offline, a server restarting).
    page.route("**/api/v1/learning/statements", lambda route: route.abort())
    page.evaluate("() => { const v = document.getElementById('sc-video'); v.muted = true; return v.play(); }")
    _wait_for(lambda: page.evaluate("() => document.getElementById('sc-video').ended"), seconds=20)
    queued = page.evaluate(
        "() => JSON.parse(localStorage.getItem('sc-learning-queue:' + document.getElementById('sc-player')"
        ".dataset.learner) || '[]')"
    )
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in queued][:1] == ["initialized"]
    assert "completed" in [s["verb"]["id"].rsplit("/", 1)[1] for s in queued]
    assert not Statement.objects.exists()

    # Back online: the next page sends what waited, with the ids made in the browser.
    page.unroute("**/api/v1/learning/statements")
    page.goto(f"{base}/learning/lessons/{lesson.pk}/")
    ids = {s["id"] for s in queued}
    _wait_for(lambda: ids <= {str(u) for u in Statement.objects.values_list("uuid", flat=True)})
    _wait_for(lambda: page.evaluate(QUEUE_EMPTY))
    context.close()
