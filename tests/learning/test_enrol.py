# ruff: noqa: F811  (the fixtures imported from catalogue_fixtures are named as the tests' arguments)
"""Enrolment: a worker enrols once in a published course; again answers the same enrolment."""

from __future__ import annotations

import pytest

from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.learning.models import CourseState, Enrolment
from skillcity.learning.services.enrolments import enrolment_create
from tests.learning.catalogue_fixtures import _media_in_tmp, make_course, provider  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_worker_enrols_once_and_again_gets_the_same_enrolment(worker_user, provider):
    course = make_course(provider)
    first = enrolment_create(actor=worker_user, course=course)
    again = enrolment_create(actor=worker_user, course=course)
    assert first.pk == again.pk
    assert Enrolment.objects.count() == 1
    assert AuditEvent.objects.filter(action="learning.enrolment.create").count() == 1


def test_an_unpublished_course_refuses_with_its_reason(worker_user, provider):
    course = make_course(provider, state=CourseState.UNPUBLISHED, unpublished_reason="教材更新中")
    with pytest.raises(DomainError) as caught:
        enrolment_create(actor=worker_user, course=course)
    assert caught.value.code == "course_not_published"
    assert "已下架" in str(caught.value.message) and "教材更新中" in str(caught.value.message)
    draft = make_course(provider, state=CourseState.DRAFT)
    with pytest.raises(DomainError):
        enrolment_create(actor=worker_user, course=draft)


def test_only_workers_enrol(enterprise_user, bureau_officer, provider):
    course = make_course(provider)
    for user in (enterprise_user, bureau_officer):
        with pytest.raises(PermissionDenied):
            enrolment_create(actor=user, course=course)


def test_the_enrol_page_enrols_and_redirects_to_the_course(client, worker_user, provider):
    course = make_course(provider)
    client.force_login(worker_user)
    answer = client.post(f"/learning/courses/{course.pk}/enrol/")
    assert answer.status_code == 302 and answer["Location"] == f"/learning/courses/{course.code}/"
    page = client.get(answer["Location"]).content.decode()
    assert "报名成功" in page and 'id="continue"' in page and 'id="enrol-form"' not in page
    assert client.post(f"/learning/courses/{course.pk}/enrol/").status_code == 302
    assert Enrolment.objects.count() == 1


def test_an_anonymous_enrol_goes_to_the_login_with_the_course_as_next(client, provider):
    course = make_course(provider)
    answer = client.post(f"/learning/courses/{course.pk}/enrol/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/") or "login" in answer["Location"]
    assert f"next=/learning/courses/{course.code}/" in answer["Location"].replace("%2F", "/")
    assert not Enrolment.objects.exists()


def test_the_enrol_page_names_the_refusal(client, worker_user, provider):
    course = make_course(provider, state=CourseState.UNPUBLISHED, unpublished_reason="教材更新中")
    client.force_login(worker_user)
    answer = client.post(f"/learning/courses/{course.pk}/enrol/", follow=True)
    assert "教材更新中" in answer.content.decode()
    draft = make_course(provider, state=CourseState.DRAFT)
    assert client.post(f"/learning/courses/{draft.pk}/enrol/").status_code == 404


def test_the_api_enrols_a_worker(client, worker_user, provider):
    from skillcity.accounts.services import token_create

    course = make_course(provider)
    h = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=worker_user, name='t', actor=worker_user)[1]}"}
    first = client.post(f"/api/v1/learning/courses/{course.pk}/enrol", **h)
    second = client.post(f"/api/v1/learning/courses/{course.pk}/enrol", **h)
    assert first.status_code == 200 and first.json()["id"] == second.json()["id"]
    assert first.json()["course_code"] == course.code
