"""Fixtures of the catalogue's tests: a training institution with its user, another provider, the
media files a lesson takes (and one that only pretends), and courses made directly for reads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from skillcity.accounts.models import Role
from skillcity.learning.models import Category, Course, CourseState, Lesson, LessonKind
from skillcity.registry.models import OrganisationCategory
from tests.factories import OrganisationFactory, UserFactory

MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM_BYTES = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def mp4(name: str = "lesson.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MP4_BYTES, content_type="video/mp4")


def pdf(name: str = "notes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def fake_mp4(name: str = "fake.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"MZ\x90\x00 this is a program, not a video" * 4, content_type="video/mp4"
    )


_codes = iter(range(1, 10**5))


def make_course(
    provider,
    *,
    title: str = "数控车床编程与操作",
    state: str = CourseState.PUBLISHED,
    category: str = Category.SKILL,
    lessons: int = 2,
    **fields,
) -> Course:
    """A course with its lessons, written directly (the reads' tests do not need the review flow)."""
    course = Course.objects.create(
        code=f"KC2099{next(_codes):05d}",
        title=title,
        category=category,
        provider=provider,
        state=state,
        published_at=timezone.now() if state == CourseState.PUBLISHED else None,
        **fields,
    )
    for n in range(1, lessons + 1):
        Lesson.objects.create(
            course=course,
            position=n,
            title=f"第{n}讲",
            kind=LessonKind.VIDEO,
            duration_seconds=600,
            media=f"learning/{course.pk}/x{n}.mp4",
            media_type="video/mp4",
        )
    return course


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def provider(changan):
    return OrganisationFactory(
        town=changan, name="东莞市长安职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )


@pytest.fixture
def provider_user(provider):
    return UserFactory(username="provider_user", role=Role.ORGANISATION_USER, organisation=provider)


@pytest.fixture
def other_provider(humen):
    return OrganisationFactory(
        town=humen, name="东莞市虎门职业培训中心", category=OrganisationCategory.TRAINING_INSTITUTION
    )


@pytest.fixture
def other_provider_user(other_provider):
    return UserFactory(
        username="other_provider_user", role=Role.ORGANISATION_USER, organisation=other_provider
    )
