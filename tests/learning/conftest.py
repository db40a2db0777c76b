"""Fixtures of the learner's pages: a published course of a provider with a video, a document and a quiz
lesson (rows made with the ORM), a learner enrolled in it and a stranger who is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from skillcity.accounts.models import Role
from skillcity.learning.models import Course, CourseState, Enrolment, Lesson, LessonKind
from skillcity.registry.models import OrganisationCategory
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory

VIDEO = Path(__file__).resolve().parents[2] / "skillcity" / "learning" / "demo_media" / "lesson.mp4"
QUESTIONS = [
    {"text": "一加一等于几？", "options": ["一", "二", "三"], "answer": 1},
    {"text": "东莞属于哪个省？", "options": ["广东", "广西"], "answer": 0},
]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def provider(changan):
    return OrganisationFactory(
        town=changan, name="东莞市长安职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )


@pytest.fixture
def provider_user(provider):
    return UserFactory(username="provider_user", role=Role.ORGANISATION_USER, organisation=provider)


@pytest.fixture
def course(provider):
    return Course.objects.create(
        code="KC90001",
        title="数控车床操作入门",
        category="skill",
        provider=provider,
        state=CourseState.PUBLISHED,
    )


@pytest.fixture
def video_lesson(course, media_root):
    lesson = Lesson(course=course, position=1, title="第1讲 视频", kind=LessonKind.VIDEO, duration_seconds=6)
    lesson.media_type = "video/mp4"
    lesson.media.save("lesson.mp4", ContentFile(VIDEO.read_bytes()), save=False)
    lesson.save()
    return lesson


@pytest.fixture
def document_lesson(course, media_root):
    lesson = Lesson(
        course=course, position=2, title="课程讲义", kind=LessonKind.DOCUMENT, duration_seconds=60
    )
    lesson.media_type = "application/pdf"
    lesson.media.save("handout.pdf", ContentFile(b"%PDF-1.4 demo"), save=False)
    lesson.save()
    return lesson


@pytest.fixture
def quiz_lesson(course):
    return Lesson.objects.create(
        course=course,
        position=3,
        title="课后测验",
        kind=LessonKind.QUIZ,
        duration_seconds=120,
        pass_score=60,
        questions=QUESTIONS,
    )


@pytest.fixture
def learner(changan):
    worker = WorkerFactory(town=changan, name="李学员", phone="13912345678")
    return UserFactory(username="learner_user", role=Role.WORKER, worker=worker)


@pytest.fixture
def enrolment(learner, course):
    return Enrolment.objects.create(worker=learner.worker, course=course)


@pytest.fixture
def stranger(humen):
    worker = WorkerFactory(town=humen, name="王路人")
    return UserFactory(username="stranger_user", role=Role.WORKER, worker=worker)
