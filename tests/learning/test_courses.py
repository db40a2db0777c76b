# ruff: noqa: F811  (the fixtures imported from catalogue_fixtures are named as the tests' arguments)
"""Courses: the provider writes and submits, the bureau publishes, returns or unpublishes; uploads
are checked by their content; each step writes its decision and its audit row."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.learning.models import (
    LESSON_SECONDS_MAX,
    Category,
    Course,
    CourseDecision,
    CourseState,
    Lesson,
    LessonKind,
)
from skillcity.learning.services import courses as svc
from skillcity.learning.services.courses import media
from tests.factories import IndustryFactory, OccupationFactory
from tests.learning.catalogue_fixtures import (  # noqa: F401
    _media_in_tmp,
    fake_mp4,
    mp4,
    other_provider,
    other_provider_user,
    pdf,
    provider,
    provider_user,
)

pytestmark = pytest.mark.django_db


def _draft(user, **kwargs) -> Course:
    return svc.course_create(actor=user, title="工业机器人操作与运维", category=Category.SKILL, **kwargs)


def _ready(user) -> Course:
    course = _draft(user)
    svc.lesson_add(
        actor=user, course=course, title="安全规范", kind=LessonKind.VIDEO, duration_seconds=900, media=mp4()
    )
    return course


def test_it_numbers_courses_per_year(provider_user):
    first = _draft(provider_user)
    second = _draft(provider_user)
    year = first.created_at.astimezone().year
    assert first.code == f"KC{year}00001"
    assert second.code == f"KC{year}00002"
    assert first.state == CourseState.DRAFT
    assert AuditEvent.objects.filter(action="learning.course.create").count() == 2


def test_it_takes_the_next_number_when_another_provider_took_it_first(provider_user, monkeypatch):
    _draft(provider_user)
    taken = Course.objects.get().code
    calls = iter([taken])  # the first attempt reads a stale "next" code, as a concurrent creator would
    original = svc._next_code

    def stale(year: int) -> str:
        return next(calls, None) or original(year)

    monkeypatch.setattr(svc, "_next_code", stale)
    course = _draft(provider_user)
    assert course.code != taken
    assert Course.objects.count() == 2


def test_only_a_providers_organisation_user_creates_courses(worker_user, bureau_officer, changan_officer):
    for user in (worker_user, bureau_officer, changan_officer):
        with pytest.raises(PermissionDenied):
            _draft(user)


def test_level_requires_an_occupation(provider_user):
    with pytest.raises(DomainError) as caught:
        _draft(provider_user, level=4)
    assert "level" in caught.value.fields
    course = _draft(provider_user, level=4, occupation=OccupationFactory())
    assert course.level == 4


def test_strategic_industry_tags_are_registry_industries(provider_user):
    industry = IndustryFactory()
    course = _draft(provider_user, industries=[industry])
    assert list(course.industries.all()) == [industry]


def test_another_organisation_cannot_edit_the_course(provider_user, other_provider_user):
    course = _draft(provider_user)
    with pytest.raises(PermissionDenied):
        svc.course_update(actor=other_provider_user, course=course, title="x", category=Category.SKILL)
    with pytest.raises(PermissionDenied):
        svc.lesson_add(
            actor=other_provider_user,
            course=course,
            title="x",
            kind=LessonKind.QUIZ,
            duration_seconds=60,
            pass_score=60,
        )


def test_a_fake_mp4_is_refused_naming_the_field(provider_user):
    course = _draft(provider_user)
    with pytest.raises(DomainError) as caught:
        svc.lesson_add(
            actor=provider_user,
            course=course,
            title="x",
            kind=LessonKind.VIDEO,
            duration_seconds=60,
            media=fake_mp4(),
        )
    assert caught.value.code == "invalid_media"
    assert "media" in caught.value.fields
    assert "fake.mp4" in str(caught.value.message)
    assert not Lesson.objects.exists()


def test_a_pdf_is_not_a_video_and_a_video_not_a_document(provider_user):
    course = _draft(provider_user)
    with pytest.raises(DomainError):
        svc.lesson_add(
            actor=provider_user,
            course=course,
            title="x",
            kind=LessonKind.VIDEO,
            duration_seconds=60,
            media=pdf("renamed.mp4"),
        )
    with pytest.raises(DomainError):
        svc.lesson_add(
            actor=provider_user,
            course=course,
            title="x",
            kind=LessonKind.DOCUMENT,
            duration_seconds=60,
            media=mp4(),
        )


def test_uploads_are_bounded_by_kind(provider_user, monkeypatch):
    course = _draft(provider_user)
    big = pdf()
    big.size = media.DOCUMENT_MAX_MB * media.MB + 1
    with pytest.raises(DomainError) as caught:
        svc.lesson_add(
            actor=provider_user,
            course=course,
            title="x",
            kind=LessonKind.DOCUMENT,
            duration_seconds=60,
            media=big,
        )
    assert caught.value.status == 413 and "media" in caught.value.fields


def test_webm_and_pdf_lessons_are_stored_with_their_type(provider_user):
    course = _draft(provider_user)
    webm = SimpleUploadedFile("a.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 40)
    video = svc.lesson_add(
        actor=provider_user, course=course, title="a", kind=LessonKind.VIDEO, duration_seconds=60, media=webm
    )
    document = svc.lesson_add(
        actor=provider_user,
        course=course,
        title="b",
        kind=LessonKind.DOCUMENT,
        duration_seconds=60,
        media=pdf(),
    )
    assert (video.media_type, document.media_type) == ("video/webm", "application/pdf")
    assert (video.position, document.position) == (1, 2)
    assert video.media.name.endswith(".webm") and not video.media.name.endswith("/a.webm")


def test_quiz_lessons_need_a_pass_score_and_durations_are_bounded(provider_user):
    course = _draft(provider_user)
    with pytest.raises(DomainError) as caught:
        svc.lesson_add(
            actor=provider_user, course=course, title="测验", kind=LessonKind.QUIZ, duration_seconds=60
        )
    assert "pass_score" in caught.value.fields
    with pytest.raises(DomainError) as caught:
        svc.lesson_add(
            actor=provider_user,
            course=course,
            title="测验",
            kind=LessonKind.QUIZ,
            duration_seconds=LESSON_SECONDS_MAX + 1,
            pass_score=60,
        )
    assert "duration_seconds" in caught.value.fields
    quiz = svc.lesson_add(
        actor=provider_user,
        course=course,
        title="测验",
        kind=LessonKind.QUIZ,
        duration_seconds=600,
        pass_score=60,
    )
    assert quiz.pass_score == 60


def test_a_video_lesson_needs_its_file(provider_user):
    course = _draft(provider_user)
    with pytest.raises(DomainError) as caught:
        svc.lesson_add(
            actor=provider_user, course=course, title="x", kind=LessonKind.VIDEO, duration_seconds=60
        )
    assert "media" in caught.value.fields


def test_removing_a_lesson_moves_the_later_ones_up(provider_user):
    course = _draft(provider_user)
    lessons = [
        svc.lesson_add(
            actor=provider_user,
            course=course,
            title=f"l{n}",
            kind=LessonKind.QUIZ,
            duration_seconds=60,
            pass_score=60,
        )
        for n in range(3)
    ]
    svc.lesson_remove(actor=provider_user, lesson=lessons[0])
    assert list(course.lessons.values_list("title", "position")) == [("l1", 1), ("l2", 2)]


def test_the_review_flow_publishes_with_decisions_and_audit_rows(provider_user, bureau_officer):
    course = _ready(provider_user)
    svc.course_submit(actor=provider_user, course=course)
    svc.course_return(actor=bureau_officer, course=course, reason="视频画面不清晰")
    course.refresh_from_db()
    assert course.state == CourseState.RETURNED
    svc.course_update(
        actor=provider_user, course=course, title="工业机器人操作与运维（修订）", category=Category.SKILL
    )
    svc.course_submit(actor=provider_user, course=course)
    svc.course_publish(actor=bureau_officer, course=course)
    course.refresh_from_db()
    assert course.state == CourseState.PUBLISHED and course.published_at is not None
    assert list(course.decisions.values_list("action", "reason")) == [
        ("submit", ""),
        ("return", "视频画面不清晰"),
        ("submit", ""),
        ("publish", ""),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"learning.course.submit", "learning.course.return", "learning.course.publish"} <= actions


def test_a_published_course_is_edited_only_after_unpublishing(provider_user, bureau_officer):
    course = _ready(provider_user)
    svc.course_submit(actor=provider_user, course=course)
    svc.course_publish(actor=bureau_officer, course=course)
    with pytest.raises(DomainError) as caught:
        svc.course_update(actor=provider_user, course=course, title="改名", category=Category.SKILL)
    assert caught.value.code == "bad_state" and "下架" in str(caught.value.message)
    with pytest.raises(DomainError):
        svc.lesson_add(
            actor=provider_user,
            course=course,
            title="x",
            kind=LessonKind.QUIZ,
            duration_seconds=60,
            pass_score=60,
        )
    svc.course_unpublish(actor=bureau_officer, course=course, reason="内容过时")
    course.refresh_from_db()
    assert course.state == CourseState.UNPUBLISHED and course.unpublished_reason == "内容过时"
    svc.course_update(actor=provider_user, course=course, title="改名", category=Category.SKILL)
    assert CourseDecision.objects.filter(course=course, action="unpublish", reason="内容过时").exists()


def test_return_and_unpublish_require_a_reason_named_in_the_error(provider_user, bureau_officer):
    course = _ready(provider_user)
    svc.course_submit(actor=provider_user, course=course)
    with pytest.raises(DomainError) as caught:
        svc.course_return(actor=bureau_officer, course=course, reason="  ")
    assert caught.value.code == "reason_required" and "reason" in caught.value.fields
    assert "退回原因" in str(caught.value.message)
    svc.course_publish(actor=bureau_officer, course=course)
    with pytest.raises(DomainError) as caught:
        svc.course_unpublish(actor=bureau_officer, course=course, reason="")
    assert "下架原因" in str(caught.value.message)


def test_only_the_bureau_reviews(provider_user, changan_officer):
    course = _ready(provider_user)
    svc.course_submit(actor=provider_user, course=course)
    for user in (provider_user, changan_officer):
        with pytest.raises(PermissionDenied):
            svc.course_publish(actor=user, course=course)


def test_a_course_without_lessons_or_files_cannot_be_submitted(provider_user):
    course = _draft(provider_user)
    with pytest.raises(DomainError) as caught:
        svc.course_submit(actor=provider_user, course=course)
    assert caught.value.code == "no_lessons"


def test_a_draft_cannot_be_published_directly(provider_user, bureau_officer):
    course = _ready(provider_user)
    with pytest.raises(DomainError) as caught:
        svc.course_publish(actor=bureau_officer, course=course)
    assert caught.value.status == 409


# ---- the pages ------------------------------------------------------------------------------------


def test_the_provider_pages_create_upload_and_submit(client, provider_user):
    client.force_login(provider_user)
    assert client.get("/learning/provider/").status_code == 200
    answer = client.post(
        "/learning/provider/new/", {"title": "", "category": "skill", "completion_share": 90}
    )
    assert answer.status_code == 400 and "课程名称" in answer.content.decode()
    answer = client.post(
        "/learning/provider/new/",
        {"title": "电工基础", "category": "skill", "completion_share": 90, "level": "3"},
    )
    assert answer.status_code == 400 and "须同时选择职业" in answer.content.decode()
    answer = client.post(
        "/learning/provider/new/", {"title": "电工基础", "category": "skill", "completion_share": 90}
    )
    course = Course.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/learning/provider/courses/{course.pk}/"
    url = f"/learning/provider/courses/{course.pk}/lessons/"
    fake = client.post(
        url, {"title": "第一讲", "kind": "video", "duration_minutes": "12", "file": fake_mp4()}
    )
    html = fake.content.decode()
    assert fake.status_code == 400 and "不是 MP4、WebM 文件" in html and 'id="error-file"' in html
    ok = client.post(url, {"title": "第一讲", "kind": "video", "duration_minutes": "12.5", "file": mp4()})
    assert ok.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.duration_seconds == 750 and lesson.media_type == "video/mp4"
    assert client.post(f"/learning/provider/courses/{course.pk}/submit/").status_code == 302
    course.refresh_from_db()
    assert course.state == CourseState.SUBMITTED
    page = client.get(f"/learning/provider/courses/{course.pk}/").content.decode()
    assert 'id="not-editable"' in page and 'id="lesson-form"' not in page


def test_another_organisation_cannot_open_the_course_pages(client, provider_user, other_provider_user):
    course = _ready(provider_user)
    client.force_login(other_provider_user)
    assert client.get(f"/learning/provider/courses/{course.pk}/").status_code == 404
    assert client.post(f"/learning/provider/courses/{course.pk}/submit/").status_code == 404
    lesson = course.lessons.get()
    assert client.post(f"/learning/provider/lessons/{lesson.pk}/remove/").status_code == 404
    assert course.lessons.count() == 1


def test_the_review_pages(client, provider_user, bureau_officer, changan_officer):
    course = _ready(provider_user)
    svc.course_submit(actor=provider_user, course=course)
    client.force_login(changan_officer)
    assert client.get("/learning/review/").status_code == 403
    assert client.post(f"/learning/review/{course.pk}/publish/").status_code == 403
    client.force_login(bureau_officer)
    assert course.title in client.get("/learning/review/").content.decode()
    # A reason of spaces (the field's `required` lets it through) is refused under that course's field.
    answer = client.post(f"/learning/review/{course.pk}/return/", {"reason": "  "})
    page = answer.content.decode()
    field_error = f'id="reason-{course.pk}-error"'
    assert answer.status_code == 400 and field_error in page
    assert "请填写退回原因" in page.split(field_error)[1].split("</div>")[0]
    client.post(f"/learning/review/{course.pk}/publish/")
    course.refresh_from_db()
    assert course.state == CourseState.PUBLISHED
    answer = client.post(f"/learning/review/{course.pk}/unpublish/", {"reason": " ", "next": "course"})
    page = answer.content.decode()
    assert answer.status_code == 400 and 'class="form-control mb-1 is-invalid" id="unpublish-reason"' in page
    assert "请填写下架原因" in page.split('id="unpublish-reason-error"')[1].split("</div>")[0]
    answer = client.post(
        f"/learning/review/{course.pk}/unpublish/", {"reason": "课程内容过时", "next": "course"}
    )
    assert answer["Location"] == f"/learning/courses/{course.code}/"
    course.refresh_from_db()
    assert course.state == CourseState.UNPUBLISHED


def test_the_api_flow_with_a_multipart_upload(client, provider_user, bureau_officer, other_provider_user):
    from skillcity.accounts.services import token_create

    def auth(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}

    h = auth(provider_user)
    created = client.post(
        "/api/v1/learning/provider/courses",
        {"title": "焊工入门", "category": "skill", "industry_ids": [IndustryFactory().pk]},
        content_type="application/json",
        **h,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["code"].startswith("KC")
    url = f"/api/v1/learning/provider/courses/{pk}/lessons"
    fake = client.post(
        url, {"title": "一", "kind": "video", "duration_seconds": 60, "media": fake_mp4()}, **h
    )
    assert fake.status_code == 400 and "media" in fake.json()["fields"]
    ok = client.post(url, {"title": "一", "kind": "video", "duration_seconds": 60, "media": mp4()}, **h)
    assert ok.status_code == 201 and ok.json()["media_type"] == "video/mp4"
    assert client.post(url, {"title": "x", "kind": "quiz", "duration_seconds": 0}, **h).status_code == 422
    assert (
        client.post(f"/api/v1/learning/provider/courses/{pk}/submit", **auth(other_provider_user)).status_code
        == 404
    )
    assert client.post(f"/api/v1/learning/provider/courses/{pk}/submit", **h).json()["state"] == "submitted"
    b = auth(bureau_officer)
    assert client.post(f"/api/v1/learning/review/{pk}/publish", **h).status_code == 403
    refused = client.post(f"/api/v1/learning/review/{pk}/return", {}, content_type="application/json", **b)
    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    assert [c["id"] for c in client.get("/api/v1/learning/review", **b).json()] == [pk]
    assert client.post(f"/api/v1/learning/review/{pk}/publish", **b).json()["state"] == "published"
    edit = client.put(
        f"/api/v1/learning/provider/courses/{pk}",
        {"title": "改", "category": "skill"},
        content_type="application/json",
        **h,
    )
    assert edit.status_code == 409


def test_a_lesson_title_with_nul_is_refused(provider_user):
    course = _draft(provider_user)
    with pytest.raises(DomainError) as caught:
        svc.lesson_add(
            actor=provider_user,
            course=course,
            title="a\x00b",
            kind=LessonKind.QUIZ,
            duration_seconds=60,
            pass_score=1,
        )
    assert "title" in caught.value.fields


def test_only_the_lesson_upload_paths_take_videos_past_the_general_limit(settings):
    from skillcity.core.uploads import upload_limit_for_path, upload_max_bytes

    settings.UPLOAD_MAX_MB = 20
    assert upload_limit_for_path("/learning/provider/courses/1/lessons/") == media.VIDEO_MAX_MB * media.MB
    assert (
        upload_limit_for_path("/api/v1/learning/provider/courses/1/lessons") == media.VIDEO_MAX_MB * media.MB
    )
    assert upload_limit_for_path("/alliances/1/documents/") == upload_max_bytes() == 20 * media.MB
